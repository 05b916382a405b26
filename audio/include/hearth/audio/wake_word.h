// hearth/audio/wake_word.h — hearth's own wake-word model and the detector that runs it.
//
// The model (audio/model/*.hww, trained by audio/training/) is a small 1-D convolutional network
// over the last ~1.2 s of log-mel frames (features.h): dilated convolutions with ReLU, a max over
// time and one linear output, the logit of "the wake phrase was said in this window". The file is
// "HWW1", a little-endian u32 header length, a JSON header (phrase, window, layers, calibrated
// threshold) and the float32 weights in layer order; everything is checked before use, so a
// damaged or hostile file is refused with a message, never read out of bounds.
//
// The detector scores the window every `hop_frames` frames on the caller's (audio) thread: a
// few hundred thousand multiply-adds a time, about 1% of one core at the defaults
// (benchmarks/results/audio.md).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hearth/audio/error.h"
#include "hearth/audio/features.h"

namespace hearth::audio {

class WakeWordModel {
 public:
  static Result<WakeWordModel> parse(const std::string& bytes, const std::string& name = "<wake model>");
  static Result<WakeWordModel> load(const std::string& path);

  const std::string& phrase() const { return phrase_; }
  int window_frames() const { return window_frames_; }
  float threshold() const { return threshold_; }  // calibrated logit for sensitivity 0.5

  // The logit for a window of exactly window_frames() frames, oldest first.
  float score(const std::vector<MelFrame>& window) const;

 private:
  struct Layer {
    enum Kind { kConv, kMaxTime, kLinear } kind = kConv;
    int in = 0, out = 0, kernel = 1, dilation = 1;
    bool relu = false;
    std::vector<float> weight, bias;
  };
  std::string phrase_;
  int window_frames_ = 0;
  float threshold_ = 0;
  std::vector<Layer> layers_;
};

struct WakeOptions {
  double sensitivity = 0.5;  // 0..1: higher wakes more easily (and falsely more often)
  int hop_frames = 5;        // score every 50 ms
  int refractory_ms = 1500;  // after a wake, none for this long
};

class WakeWordDetector {
 public:
  WakeWordDetector(std::shared_ptr<const WakeWordModel> model, const WakeOptions& options = {});

  // Feeds 16 kHz samples; returns the sample position (counted from the first sample fed)
  // where a wake ended, if one did in these samples. At the start (and after reset()) the window
  // is filled with silence before the first frame, so that a phrase said at once is heard where
  // training put it: ending near the window's end.
  std::optional<uint64_t> feed(const int16_t* samples, size_t n);
  float last_score() const { return last_; }   // the latest logit
  float threshold() const { return threshold_; }
  void reset();                                // forget heard audio (after a command, say)

 private:
  std::shared_ptr<const WakeWordModel> model_;
  WakeOptions o_;
  float threshold_;
  LogMel mel_;
  std::deque<MelFrame> frames_;
  MelFrame silence_;  // the frame of digital silence that pads a window at the start
  std::vector<MelFrame> scratch_;
  uint64_t frames_seen_ = 0, last_wake_frame_ = 0;
  bool woke_ = false;
  int since_score_ = 0;
  float last_ = -100;
};

}  // namespace hearth::audio
