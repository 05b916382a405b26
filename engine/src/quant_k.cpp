// Q4_K and Q6_K: 256-element super-blocks with 6-bit / 8-bit sub-block scales.
// Dequantisation follows the file format exactly. Their dot products here dequantise one
// super-block at a time and dot it with F32 activations: correct, not yet fast.
#include "fp16.h"
#include "kernels.h"
#include "quant_blocks.h"

namespace hearth::engine {

namespace {

// Scale and min of sub-block j (0..7) from the 12 packed bytes.
inline void scale_min_k4(int j, const uint8_t* q, uint8_t* d, uint8_t* m) {
  if (j < 4) {
    *d = q[j] & 63;
    *m = q[j + 4] & 63;
  } else {
    *d = static_cast<uint8_t>((q[j + 4] & 0x0f) | ((q[j - 4] >> 6) << 4));
    *m = static_cast<uint8_t>((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
  }
}

void dequantize_block_q4_k(const BlockQ4_K& b, float* y) {
  const float d = fp16_to_fp32(b.d);
  const float min = fp16_to_fp32(b.dmin);
  const uint8_t* q = b.qs;
  int is = 0;
  for (int j = 0; j < kQK_K; j += 64) {
    uint8_t sc, m;
    scale_min_k4(is, b.scales, &sc, &m);
    const float d1 = d * sc, m1 = min * m;
    scale_min_k4(is + 1, b.scales, &sc, &m);
    const float d2 = d * sc, m2 = min * m;
    for (int l = 0; l < 32; ++l) *y++ = d1 * (q[l] & 0x0f) - m1;
    for (int l = 0; l < 32; ++l) *y++ = d2 * (q[l] >> 4) - m2;
    q += 32;
    is += 2;
  }
}

void dequantize_block_q6_k(const BlockQ6_K& b, float* y) {
  const float d = fp16_to_fp32(b.d);
  const uint8_t* ql = b.ql;
  const uint8_t* qh = b.qh;
  const int8_t* sc = b.scales;
  for (int n = 0; n < kQK_K; n += 128) {
    for (int l = 0; l < 32; ++l) {
      const int is = l / 16;
      const int q1 = static_cast<int8_t>((ql[l] & 0x0f) | (((qh[l] >> 0) & 3) << 4)) - 32;
      const int q2 = static_cast<int8_t>((ql[l + 32] & 0x0f) | (((qh[l] >> 2) & 3) << 4)) - 32;
      const int q3 = static_cast<int8_t>((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
      const int q4 = static_cast<int8_t>((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
      y[l] = d * sc[is] * q1;
      y[l + 32] = d * sc[is + 2] * q2;
      y[l + 64] = d * sc[is + 4] * q3;
      y[l + 96] = d * sc[is + 6] * q4;
    }
    y += 128;
    ql += 64;
    qh += 32;
    sc += 8;
  }
}

template <class Block, void (*Dequant)(const Block&, float*)>
float vec_dot_k_f32(const void* w, const void* a, size_t n) {
  const Block* x = static_cast<const Block*>(w);
  const float* act = static_cast<const float*>(a);
  float buf[kQK_K];
  float sum = 0.0f;
  for (size_t b = 0; b < n / kQK_K; ++b) {
    Dequant(x[b], buf);
    sum += vec_dot_f32(buf, act + b * kQK_K, kQK_K);
  }
  return sum;
}

}  // namespace

void dequantize_row_q4_k(const void* src, float* dst, size_t n) {
  const BlockQ4_K* x = static_cast<const BlockQ4_K*>(src);
  for (size_t b = 0; b < n / kQK_K; ++b) dequantize_block_q4_k(x[b], dst + b * kQK_K);
}

void dequantize_row_q6_k(const void* src, float* dst, size_t n) {
  const BlockQ6_K* x = static_cast<const BlockQ6_K*>(src);
  for (size_t b = 0; b < n / kQK_K; ++b) dequantize_block_q6_k(x[b], dst + b * kQK_K);
}

float vec_dot_q4_k_f32(const void* w, const void* a, size_t n) {
  return vec_dot_k_f32<BlockQ4_K, dequantize_block_q4_k>(w, a, n);
}

float vec_dot_q6_k_f32(const void* w, const void* a, size_t n) {
  return vec_dot_k_f32<BlockQ6_K, dequantize_block_q6_k>(w, a, n);
}

}  // namespace hearth::engine
