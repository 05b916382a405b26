// hearth/audio/noise_suppressor.h — takes steady background noise (a fan, a fridge, traffic hum)
// out of 16 kHz speech before the wake word, the VAD and the recognizer hear it.
//
// Short-time spectral suppression: 32 ms frames every 16 ms (square-root Hann windows, so
// overlap-add gives the input back where the gain is 1), a Wiener gain per frequency bin from the
// decision-directed estimate of the speech-to-noise ratio (Ephraim and Malah), never below
// `floor`. The noise spectrum is learned from the audio itself: a bin follows its power while
// that power stays near the estimate and creeps up slowly while it does not (speech); and it
// stays within a band around the least (smoothed) power the bin had over the last two seconds:
// so a room that got louder is learned within seconds, and speech, which pauses, is not taken
// for noise, even when a recording starts with a word. Measured on the voice bench's flite
// commands in 10 dB pink noise (benchmarks/results/audio.md): it is what lets the wake word
// and the grammar hear them.
//
// Streaming, one owner: process() takes any number of samples and returns those finished so
// far; output lags input by kDelay samples. noisy() says whether the room is loud enough for the
// output to be worth its delay (VoicePipeline switches between requests).
#pragma once

#include <array>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace hearth::audio {

struct NoiseSuppressorOptions {
  double floor = 0.1;          // smallest gain (-20 dB): deeper cuts leave "musical" noise
  double smoothing = 0.98;     // decision-directed weight of the previous frame's clean estimate
  double learn_rate = 0.05;    // per frame, towards a bin's power while it is noise-like
  double speech_ratio = 4.0;   // a bin this far above its noise estimate is not noise
  double rise_per_frame = 1.002;  // the estimate's creep while a bin is not noise-like
  double least_power_factor = 1.5;  // the estimate is at least this x the bin's recent least power
  double most_over_least = 10.0;      // ... and at most this x it
  // A room whose noise (a frame's least power over 5 s) is under this level is quiet (noisy()
  // false), with 3 dB of hysteresis. Callers hear such a room's audio untouched: measured,
  // taking even a quiet room's hiss out of speech made the wake word fire on ordinary speech
  // four times as often (21 against 5 false wakes in 5.83 hours), its model having learned
  // speech over an untouched room.
  double quiet_dbfs = -50.0;
};

class NoiseSuppressor {
 public:
  static constexpr size_t kFrame = 512;  // 32 ms
  static constexpr size_t kHop = 256;    // 16 ms
  static constexpr size_t kDelay = kHop;

  explicit NoiseSuppressor(NoiseSuppressorOptions options = {});

  // Appends to `out` the samples finished by these n (a multiple of kHop over time).
  void process(const int16_t* in, size_t n, std::vector<int16_t>& out);
  // Whether the room's noise, as learned so far, is above options.quiet_dbfs.
  bool noisy() const { return noisy_; }
  // The stream ended: appends the samples still in flight (what makes the output as long as
  // the input plus kDelay leading zeros), then reset().
  void flush(std::vector<int16_t>& out);
  // Forgets the audio in flight and the noise learned.
  void reset();

 private:
  void frame();

  NoiseSuppressorOptions o_;
  std::vector<double> window_;       // square-root periodic Hann
  std::vector<double> pending_;      // input not yet a full frame (starts with kDelay zeros)
  std::vector<double> overlap_;      // output being summed, kFrame
  std::vector<double> noise_;        // per bin, power
  std::vector<double> clean_ratio_;  // per bin, the last frame's |clean|^2 / noise
  double quiet_power_ = 0;           // all bins together, from quiet_dbfs
  bool noisy_ = false;
  std::vector<double> smoothed_;     // per bin, power smoothed over a few frames
  // Per bin, the least smoothed power of each of the last kSpans spans of kSpanFrames frames
  // (least_[span * bins + bin]), and of the span under way.
  static constexpr size_t kSpans = 8, kSpanFrames = 16;
  std::vector<double> least_, least_now_;
  // The same for a whole frame's power, over spans of kRoomSpanFrames (kSpans of them: 5 s):
  // measured, a two-second window took a stretch of speech without a pause for a loud room.
  static constexpr size_t kRoomSpanFrames = 40;
  std::array<double, kSpans> frame_least_{};
  double frame_least_now_ = 0;
  std::vector<std::complex<double>> spectrum_;
  size_t frames_ = 0;
  bool heard_any_ = false;  // input since the last reset
};

}  // namespace hearth::audio
