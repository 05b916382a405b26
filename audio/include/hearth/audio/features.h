// hearth/audio/features.h — log-mel features of 16 kHz speech, for the wake-word model.
//
// 25 ms Hann windows every 10 ms, a 512-point FFT, 40 triangular mel bands (HTK mel scale,
// 60-7600 Hz), natural log of band energy + 1e-6. audio/training/features.py computes the same
// numbers in numpy for training; tests/audio checks that the two agree.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace hearth::audio {

constexpr int kMelBands = 40;
constexpr int kFrameHop = 160;     // 10 ms
constexpr int kFrameWindow = 400;  // 25 ms
constexpr int kFftSize = 512;

using MelFrame = std::array<float, kMelBands>;

// Streaming: feed samples as they come; whole frames come out (one per 160 samples once 400
// have been heard).
class LogMel {
 public:
  LogMel();
  void feed(const int16_t* samples, size_t n, std::vector<MelFrame>& out);
  void reset();

  // The frame of exactly kFrameWindow samples.
  MelFrame frame(const float* window400) const;

 private:
  std::vector<float> window_;                 // Hann, 400
  std::vector<std::vector<std::pair<int, float>>> filters_;  // per band: (FFT bin, weight)
  std::vector<float> pending_;                // samples not yet framed
};

// All frames of a clip (for tests and tools).
std::vector<MelFrame> log_mel(const std::vector<int16_t>& samples);

}  // namespace hearth::audio
