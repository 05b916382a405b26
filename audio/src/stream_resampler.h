// Rate conversion for a stream that arrives in pieces (a device that cannot record at 16 kHz).
// Linear interpolation, with a moving-average low-pass in front when going down so that what
// lies above the new Nyquist frequency is damped rather than folded into speech.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

namespace hearth::audio::detail {

class StreamResampler {
 public:
  StreamResampler(int from, int to) : step_(static_cast<double>(from) / to) {
    taps_ = step_ > 1.0 ? static_cast<int>(std::ceil(step_)) : 1;
  }

  void push(const int16_t* in, size_t n, std::vector<int16_t>& out) {
    for (size_t i = 0; i < n; ++i) {
      // Low-pass: the mean of the last `taps_` samples.
      window_.push_back(in[i]);
      sum_ += in[i];
      if (static_cast<int>(window_.size()) > taps_) {
        sum_ -= window_.front();
        window_.erase(window_.begin());
      }
      const double x = static_cast<double>(sum_) / static_cast<double>(window_.size());
      // Emit every output sample that falls between the previous input sample and this one.
      while (pos_ <= 1.0) {
        const double y = prev_ + (x - prev_) * pos_;
        out.push_back(static_cast<int16_t>(std::lround(std::fmax(-32768.0, std::fmin(32767.0, y)))));
        pos_ += step_;
      }
      pos_ -= 1.0;
      prev_ = x;
    }
  }

 private:
  double step_;
  double pos_ = 1.0;  // where the next output sample lies, in input samples after prev_
  double prev_ = 0;
  int taps_ = 1;
  std::vector<int16_t> window_;
  long sum_ = 0;
};

}  // namespace hearth::audio::detail
