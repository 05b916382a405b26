// In-place iterative radix-2 FFT (and pi), for the audio front end's short frames (features.cpp,
// noise_suppressor.cpp). Internal to audio/.
#pragma once

#include <cmath>
#include <complex>
#include <cstddef>
#include <utility>
#include <vector>

namespace hearth::audio {

inline constexpr double kPi = 3.14159265358979323846;

// Forward transform of a.size() points (a power of two).
inline void fft(std::vector<std::complex<double>>& a) {
  const size_t n = a.size();
  for (size_t i = 1, j = 0; i < n; ++i) {
    size_t bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) std::swap(a[i], a[j]);
  }
  for (size_t len = 2; len <= n; len <<= 1) {
    const double ang = -2 * kPi / static_cast<double>(len);
    const std::complex<double> wl(std::cos(ang), std::sin(ang));
    for (size_t i = 0; i < n; i += len) {
      std::complex<double> w(1);
      for (size_t k = 0; k < len / 2; ++k) {
        const auto u = a[i + k], v = a[i + k + len / 2] * w;
        a[i + k] = u + v;
        a[i + k + len / 2] = u - v;
        w *= wl;
      }
    }
  }
}

// Inverse transform, scaled by 1/n: conj(fft(conj(a))) / n.
inline void inverse_fft(std::vector<std::complex<double>>& a) {
  for (auto& v : a) v = std::conj(v);
  fft(a);
  const double scale = 1.0 / static_cast<double>(a.size());
  for (auto& v : a) v = std::conj(v) * scale;
}

}  // namespace hearth::audio
