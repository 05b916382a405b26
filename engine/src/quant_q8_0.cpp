// Q8_0: blocks of 32 int8 values with one fp16 scale. Also the activation format of Q8_0 and
// Q4_0 dot products.
#include <cmath>

#include "fp16.h"
#include "kernels.h"
#include "quant_blocks.h"

namespace hearth::engine {

// The reference algorithm: d = max|x| / 127, q = round(x / d).
void quantize_row_q8_0(const float* x, void* dst, size_t n) {
  BlockQ8_0* y = static_cast<BlockQ8_0*>(dst);
  for (size_t b = 0; b < n / kQK8_0; ++b) {
    float amax = 0.0f;
    for (int j = 0; j < kQK8_0; ++j) amax = std::fmax(amax, std::fabs(x[b * kQK8_0 + j]));
    const float d = amax / 127.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    y[b].d = fp32_to_fp16(d);
    for (int j = 0; j < kQK8_0; ++j) {
      // |x * id| <= 127 for finite input; the clamp only matters for NaN/inf (a broken model),
      // where a plain cast would be undefined behaviour.
      const float v = std::roundf(x[b * kQK8_0 + j] * id);
      y[b].qs[j] = static_cast<int8_t>(v >= -127.0f && v <= 127.0f ? v : 0.0f);
    }
  }
}

void dequantize_row_q8_0(const void* src, float* y, size_t n) {
  const BlockQ8_0* x = static_cast<const BlockQ8_0*>(src);
  for (size_t b = 0; b < n / kQK8_0; ++b) {
    const float d = fp16_to_fp32(x[b].d);
    for (int j = 0; j < kQK8_0; ++j) y[b * kQK8_0 + j] = x[b].qs[j] * d;
  }
}

void q8_0_block_sums(const void* src, size_t n, int32_t* sums) {
  const BlockQ8_0* x = static_cast<const BlockQ8_0*>(src);
  for (size_t b = 0; b < n / kQK8_0; ++b) {
    int32_t s = 0;
    for (int j = 0; j < kQK8_0; ++j) s += x[b].qs[j];
    sums[b] = s;
  }
}

float vec_dot_q8_0_q8_0(const void* w, const void* a, size_t n) {
  const BlockQ8_0* x = static_cast<const BlockQ8_0*>(w);
  const BlockQ8_0* y = static_cast<const BlockQ8_0*>(a);
  float sum = 0.0f;
  for (size_t b = 0; b < n / kQK8_0; ++b) {
    int sumi = 0;
    for (int j = 0; j < kQK8_0; ++j) sumi += x[b].qs[j] * y[b].qs[j];
    sum += static_cast<float>(sumi) * (fp16_to_fp32(x[b].d) * fp16_to_fp32(y[b].d));
  }
  return sum;
}

}  // namespace hearth::engine
