// Q4_0: blocks of 32 4-bit values with one fp16 scale; dotted with Q8_0 activations.
#include <algorithm>
#include <cmath>

#include "fp16.h"
#include "kernels.h"
#include "quant_blocks.h"

namespace hearth::engine {

namespace {
// min(15, (int8_t)v) of the reference algorithm; v is in [0.5, 16.5] for finite input, and NaN or
// inf (a broken model) gives 0 instead of undefined behaviour.
inline uint8_t nibble(float v) { return v >= 0.0f && v < 127.0f ? static_cast<uint8_t>(std::min(15, static_cast<int>(v))) : 0; }
}  // namespace

// The reference algorithm: the value of largest magnitude maps to -8, d = max / -8,
// q = min(15, trunc(x / d + 8.5)).
void quantize_row_q4_0(const float* x, void* dst, size_t n) {
  BlockQ4_0* y = static_cast<BlockQ4_0*>(dst);
  for (size_t b = 0; b < n / kQK4_0; ++b) {
    const float* xb = x + b * kQK4_0;
    float amax = 0.0f, max = 0.0f;
    for (int j = 0; j < kQK4_0; ++j) {
      if (amax < std::fabs(xb[j])) {
        amax = std::fabs(xb[j]);
        max = xb[j];
      }
    }
    const float d = max / -8.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    y[b].d = fp32_to_fp16(d);
    for (int j = 0; j < kQK4_0 / 2; ++j) {
      y[b].qs[j] = static_cast<uint8_t>(nibble(xb[j] * id + 8.5f) | (nibble(xb[j + kQK4_0 / 2] * id + 8.5f) << 4));
    }
  }
}

void dequantize_row_q4_0(const void* src, float* y, size_t n) {
  const BlockQ4_0* x = static_cast<const BlockQ4_0*>(src);
  for (size_t b = 0; b < n / kQK4_0; ++b) {
    const float d = fp16_to_fp32(x[b].d);
    for (int j = 0; j < kQK4_0 / 2; ++j) {
      y[b * kQK4_0 + j] = ((x[b].qs[j] & 0x0f) - 8) * d;
      y[b * kQK4_0 + j + kQK4_0 / 2] = ((x[b].qs[j] >> 4) - 8) * d;
    }
  }
}

float vec_dot_q4_0_q8_0(const void* w, const void* a, size_t n) {
  const BlockQ4_0* x = static_cast<const BlockQ4_0*>(w);
  const BlockQ8_0* y = static_cast<const BlockQ8_0*>(a);
  float sum = 0.0f;
  for (size_t b = 0; b < n / kQK4_0; ++b) {
    int sumi = 0;
    for (int j = 0; j < kQK4_0 / 2; ++j) {
      sumi += ((x[b].qs[j] & 0x0f) - 8) * y[b].qs[j];
      sumi += ((x[b].qs[j] >> 4) - 8) * y[b].qs[j + kQK4_0 / 2];
    }
    sum += static_cast<float>(sumi) * (fp16_to_fp32(x[b].d) * fp16_to_fp32(y[b].d));
  }
  return sum;
}

}  // namespace hearth::engine
