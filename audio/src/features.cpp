#include "hearth/audio/features.h"

#include <cmath>
#include <complex>

#include "fft.h"

namespace hearth::audio {
namespace {

double hz_to_mel(double hz) { return 2595.0 * std::log10(1.0 + hz / 700.0); }
double mel_to_hz(double mel) { return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0); }

}  // namespace

LogMel::LogMel() : window_(kFrameWindow), filters_(kMelBands) {
  for (int i = 0; i < kFrameWindow; ++i) window_[i] = static_cast<float>(0.5 - 0.5 * std::cos(2 * kPi * i / kFrameWindow));
  // Band b rises from edge b to edge b+1 and falls to edge b+2 (edges equally spaced in mel).
  const double lo = hz_to_mel(60.0), hi = hz_to_mel(7600.0);
  std::vector<double> edges(kMelBands + 2);
  for (int i = 0; i < kMelBands + 2; ++i) edges[i] = mel_to_hz(lo + (hi - lo) * i / (kMelBands + 1));
  for (int b = 0; b < kMelBands; ++b)
    for (int k = 0; k <= kFftSize / 2; ++k) {
      const double f = static_cast<double>(k) * 16000.0 / kFftSize;
      double w = 0;
      if (f > edges[b] && f <= edges[b + 1]) w = (f - edges[b]) / (edges[b + 1] - edges[b]);
      else if (f > edges[b + 1] && f < edges[b + 2]) w = (edges[b + 2] - f) / (edges[b + 2] - edges[b + 1]);
      if (w > 0) filters_[b].push_back({k, static_cast<float>(w)});
    }
}

MelFrame LogMel::frame(const float* x) const {
  std::vector<std::complex<double>> a(kFftSize);
  for (int i = 0; i < kFrameWindow; ++i) a[i] = x[i] * window_[i];
  fft(a);
  MelFrame out{};
  for (int b = 0; b < kMelBands; ++b) {
    double e = 0;
    for (const auto& [k, w] : filters_[b]) e += w * std::norm(a[k]);
    out[b] = static_cast<float>(std::log(e + 1e-6));
  }
  return out;
}

void LogMel::feed(const int16_t* samples, size_t n, std::vector<MelFrame>& out) {
  for (size_t i = 0; i < n; ++i) pending_.push_back(samples[i] / 32768.0f);
  size_t at = 0;
  while (pending_.size() - at >= static_cast<size_t>(kFrameWindow)) {
    out.push_back(frame(pending_.data() + at));
    at += kFrameHop;
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<long>(at));
}

void LogMel::reset() { pending_.clear(); }

std::vector<MelFrame> log_mel(const std::vector<int16_t>& samples) {
  LogMel m;
  std::vector<MelFrame> out;
  m.feed(samples.data(), samples.size(), out);
  return out;
}

}  // namespace hearth::audio
