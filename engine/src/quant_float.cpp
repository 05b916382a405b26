// F32 and F16: plain floats, no blocks.
#include <cstdint>
#include <cstring>

#include "fp16.h"
#include "kernels.h"

namespace hearth::engine {

void dequantize_row_f32(const void* src, float* dst, size_t n) { std::memcpy(dst, src, n * sizeof(float)); }
void quantize_row_f32(const float* src, void* dst, size_t n) { std::memcpy(dst, src, n * sizeof(float)); }

float vec_dot_f32(const void* w, const void* a, size_t n) {
  const float* x = static_cast<const float*>(w);
  const float* y = static_cast<const float*>(a);
  // Eight independent partial sums: the order a vectorised loop adds in, so the scalar and SIMD
  // versions round alike.
  float acc[8] = {};
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int k = 0; k < 8; ++k) acc[k] += x[i + k] * y[i + k];
  float sum = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
  for (; i < n; ++i) sum += x[i] * y[i];
  return sum;
}

void dequantize_row_f16(const void* src, float* dst, size_t n) {
  const uint16_t* h = static_cast<const uint16_t*>(src);
  for (size_t i = 0; i < n; ++i) dst[i] = fp16_to_fp32(h[i]);
}

void quantize_row_f16(const float* src, void* dst, size_t n) {
  uint16_t* h = static_cast<uint16_t*>(dst);
  for (size_t i = 0; i < n; ++i) h[i] = fp32_to_fp16(src[i]);
}

float vec_dot_f16_f32(const void* w, const void* a, size_t n) {
  const uint16_t* x = static_cast<const uint16_t*>(w);
  const float* y = static_cast<const float*>(a);
  float acc[8] = {};
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int k = 0; k < 8; ++k) acc[k] += fp16_to_fp32(x[i + k]) * y[i + k];
  float sum = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
  for (; i < n; ++i) sum += fp16_to_fp32(x[i]) * y[i];
  return sum;
}

void axpy_f16(float* out, float a, const uint16_t* v, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] += a * fp16_to_fp32(v[i]);
}

}  // namespace hearth::engine
