// hearth/audio/vad.h — where speech starts and ends in a stream of 16 kHz samples.
//
// An energy detector over 20 ms frames against a noise floor that follows the room: the floor
// tracks the quietest frame of the last 3 s, falling fast and rising at most 3 dB a second, so a
// fan switched on becomes the floor within seconds while a sentence (with its pauses) does not. Speech starts after `start_ms` of frames
// `start_db` above the floor and ends after `hangover_ms` below `end_db` (or `end_below_peak_db`
// under the utterance's loudest frame, whichever is higher); an utterance longer
// than `max_utterance_ms` is cut (kCut) so a television cannot hold the microphone forever.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

namespace hearth::audio {

struct VadOptions {
  int frame_ms = 20;
  double start_db = 10.0;        // above the noise floor to count as speech
  double end_db = 6.0;           // below this above the floor counts as silence again
  // ... or this far below the loudest frame of the utterance: in a quiet room the floor is far
  // below the voice, and the fading end of the last word would otherwise count as speech for
  // another 100 ms or so before the hang-over even starts.
  double end_below_peak_db = 35.0;
  int start_ms = 60;             // this much speech in a row starts an utterance
  int hangover_ms = 600;         // this much silence in a row ends it
  int max_utterance_ms = 10000;  // longer is cut
  double min_floor_db = -75.0;   // the floor never goes below this (digital silence)
};

enum class VadEvent { kNone, kStart, kEnd, kCut };

class Vad {
 public:
  explicit Vad(const VadOptions& options = {});

  // Feeds samples (any count); returns the events in the order they happened, each with the
  // sample position (counted from the first sample ever fed) where it took effect.
  struct Change {
    VadEvent event;
    uint64_t at;
  };
  std::vector<Change> feed(const int16_t* samples, size_t n);

  bool in_speech() const { return in_speech_; }
  double level_db() const { return level_db_; }  // the last frame's level, dBFS
  double floor_db() const { return floor_db_; }
  int frame_samples() const { return frame_; }
  void reset();  // forget the current utterance; keep the learnt floor

 private:
  Change on_frame(double db, uint64_t end);

  VadOptions o_;
  int frame_;
  std::vector<int16_t> partial_;
  std::deque<double> recent_;  // the last 3 s of frame levels
  uint64_t fed_ = 0;
  double level_db_ = -100, floor_db_ = -60;
  bool floor_known_ = false;
  bool in_speech_ = false;
  int loud_run_ = 0, quiet_run_ = 0, speech_frames_ = 0;
  double peak_db_ = -100.0;  // the loudest frame of the utterance so far
};

// Level in dBFS of a block of samples (-100 for digital silence).
double level_dbfs(const int16_t* samples, size_t n);

}  // namespace hearth::audio
