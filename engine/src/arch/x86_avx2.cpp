// AVX2 + FMA + F16C versions of the hot kernels. Compiled with those instructions enabled and
// installed into the type table at start-up only when the CPU has them (cpu_features.cpp); the
// scalar kernels in quant_*.cpp are the specification these must match (tests/engine).
#include <immintrin.h>

#include <cmath>

#include "../fp16.h"
#include "../kernels.h"
#include "../quant_blocks.h"
#include "x86_avx2.h"

namespace hearth::engine::avx2 {

namespace {

inline float hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

// Sum of 8 int32 lanes of (x * y) over 32 int8 pairs, as floats.
inline __m256 dot_i8(__m256i x, __m256i y) {
  // maddubs needs an unsigned first operand: |x| and y with x's sign moved onto it.
  const __m256i ax = _mm256_sign_epi8(x, x);
  const __m256i sy = _mm256_sign_epi8(y, x);
  const __m256i dot16 = _mm256_maddubs_epi16(ax, sy);
  const __m256i dot32 = _mm256_madd_epi16(dot16, _mm256_set1_epi16(1));
  return _mm256_cvtepi32_ps(dot32);
}

// The 32 4-bit values of a Q4_0 block as signed bytes (q - 8), element order.
inline __m256i unpack_q4_0(const uint8_t* qs) {
  const __m128i packed = _mm_loadu_si128(reinterpret_cast<const __m128i*>(qs));
  const __m256i both = _mm256_set_m128i(_mm_srli_epi16(packed, 4), packed);
  const __m256i nibbles = _mm256_and_si256(both, _mm256_set1_epi8(0x0f));
  return _mm256_sub_epi8(nibbles, _mm256_set1_epi8(8));
}

}  // namespace

float vec_dot_q8_0_q8_0(const void* w, const void* a, size_t n) {
  const BlockQ8_0* x = static_cast<const BlockQ8_0*>(w);
  const BlockQ8_0* y = static_cast<const BlockQ8_0*>(a);
  const size_t nb = n / kQK8_0;
  __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
  size_t b = 0;
  for (; b + 1 < nb; b += 2) {
    const __m256 d0 = _mm256_set1_ps(fp16_to_fp32(x[b].d) * fp16_to_fp32(y[b].d));
    const __m256 d1 = _mm256_set1_ps(fp16_to_fp32(x[b + 1].d) * fp16_to_fp32(y[b + 1].d));
    const __m256i qx0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x[b].qs));
    const __m256i qy0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(y[b].qs));
    const __m256i qx1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x[b + 1].qs));
    const __m256i qy1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(y[b + 1].qs));
    acc0 = _mm256_fmadd_ps(d0, dot_i8(qx0, qy0), acc0);
    acc1 = _mm256_fmadd_ps(d1, dot_i8(qx1, qy1), acc1);
  }
  for (; b < nb; ++b) {
    const __m256 d = _mm256_set1_ps(fp16_to_fp32(x[b].d) * fp16_to_fp32(y[b].d));
    const __m256i qx = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x[b].qs));
    const __m256i qy = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(y[b].qs));
    acc0 = _mm256_fmadd_ps(d, dot_i8(qx, qy), acc0);
  }
  return hsum(_mm256_add_ps(acc0, acc1));
}

float vec_dot_q4_0_q8_0(const void* w, const void* a, size_t n) {
  const BlockQ4_0* x = static_cast<const BlockQ4_0*>(w);
  const BlockQ8_0* y = static_cast<const BlockQ8_0*>(a);
  const size_t nb = n / kQK4_0;
  __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
  size_t b = 0;
  for (; b + 1 < nb; b += 2) {
    const __m256 d0 = _mm256_set1_ps(fp16_to_fp32(x[b].d) * fp16_to_fp32(y[b].d));
    const __m256 d1 = _mm256_set1_ps(fp16_to_fp32(x[b + 1].d) * fp16_to_fp32(y[b + 1].d));
    const __m256i qy0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(y[b].qs));
    const __m256i qy1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(y[b + 1].qs));
    acc0 = _mm256_fmadd_ps(d0, dot_i8(unpack_q4_0(x[b].qs), qy0), acc0);
    acc1 = _mm256_fmadd_ps(d1, dot_i8(unpack_q4_0(x[b + 1].qs), qy1), acc1);
  }
  for (; b < nb; ++b) {
    const __m256 d = _mm256_set1_ps(fp16_to_fp32(x[b].d) * fp16_to_fp32(y[b].d));
    const __m256i qy = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(y[b].qs));
    acc0 = _mm256_fmadd_ps(d, dot_i8(unpack_q4_0(x[b].qs), qy), acc0);
  }
  return hsum(_mm256_add_ps(acc0, acc1));
}

namespace {

// Horizontal sums of four vectors, stored as out[0..3].
inline void hsum4(__m256 a, __m256 b, __m256 c, __m256 d, float* out) {
  const __m256 ab = _mm256_hadd_ps(a, b);   // a01 a23 b01 b23 | a45 a67 b45 b67
  const __m256 cd = _mm256_hadd_ps(c, d);
  const __m256 abcd = _mm256_hadd_ps(ab, cd);  // a0123 b0123 c0123 d0123 | a4567 ...
  const __m128 s = _mm_add_ps(_mm256_castps256_ps128(abcd), _mm256_extractf128_ps(abcd, 1));
  _mm_storeu_ps(out, s);
}

template <class Block, __m256i (*Load)(const Block&)>
inline void vec_dot4_impl(const void* w, size_t stride, const void* a, size_t n, float* out) {
  const BlockQ8_0* y = static_cast<const BlockQ8_0*>(a);
  const uint8_t* base = static_cast<const uint8_t*>(w);
  const Block* x0 = reinterpret_cast<const Block*>(base);
  const Block* x1 = reinterpret_cast<const Block*>(base + stride);
  const Block* x2 = reinterpret_cast<const Block*>(base + 2 * stride);
  const Block* x3 = reinterpret_cast<const Block*>(base + 3 * stride);
  __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps(), acc2 = _mm256_setzero_ps(),
         acc3 = _mm256_setzero_ps();
  for (size_t b = 0; b < n / 32; ++b) {
    const __m256i qy = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(y[b].qs));
    const float dy = fp16_to_fp32(y[b].d);
    acc0 = _mm256_fmadd_ps(_mm256_set1_ps(fp16_to_fp32(x0[b].d) * dy), dot_i8(Load(x0[b]), qy), acc0);
    acc1 = _mm256_fmadd_ps(_mm256_set1_ps(fp16_to_fp32(x1[b].d) * dy), dot_i8(Load(x1[b]), qy), acc1);
    acc2 = _mm256_fmadd_ps(_mm256_set1_ps(fp16_to_fp32(x2[b].d) * dy), dot_i8(Load(x2[b]), qy), acc2);
    acc3 = _mm256_fmadd_ps(_mm256_set1_ps(fp16_to_fp32(x3[b].d) * dy), dot_i8(Load(x3[b]), qy), acc3);
  }
  hsum4(acc0, acc1, acc2, acc3, out);
}

inline __m256i load_q8_0(const BlockQ8_0& b) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.qs)); }
inline __m256i load_q4_0(const BlockQ4_0& b) { return unpack_q4_0(b.qs); }

}  // namespace

void vec_dot4_q8_0_q8_0(const void* w, size_t stride, const void* a, size_t n, float* out) {
  vec_dot4_impl<BlockQ8_0, load_q8_0>(w, stride, a, n, out);
}

void vec_dot4_q4_0_q8_0(const void* w, size_t stride, const void* a, size_t n, float* out) {
  vec_dot4_impl<BlockQ4_0, load_q4_0>(w, stride, a, n, out);
}

// Same results as the scalar quantize_row_q8_0, bit for bit: max|x| / 127 as the scale and
// rounding half away from zero (roundf), done without the scalar loop.
void quantize_row_q8_0(const float* x, void* dst, size_t n) {
  BlockQ8_0* y = static_cast<BlockQ8_0*>(dst);
  const __m256 sign_mask = _mm256_set1_ps(-0.0f);
  for (size_t b = 0; b < n / kQK8_0; ++b) {
    const float* xb = x + b * kQK8_0;
    __m256 v[4];
    __m256 amax = _mm256_setzero_ps();
    for (int i = 0; i < 4; ++i) {
      v[i] = _mm256_loadu_ps(xb + 8 * i);
      amax = _mm256_max_ps(amax, _mm256_andnot_ps(sign_mask, v[i]));
    }
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(amax), _mm256_extractf128_ps(amax, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_movehdup_ps(m));
    const float d = _mm_cvtss_f32(m) / 127.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    y[b].d = fp32_to_fp16(d);
    const __m256 vid = _mm256_set1_ps(id);
    __m256i q32[4];
    for (int i = 0; i < 4; ++i) {
      const __m256 s = _mm256_mul_ps(v[i], vid);
      // roundf: truncate, then step away from zero when the dropped part is at least one half.
      const __m256 t = _mm256_round_ps(s, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
      const __m256 frac = _mm256_andnot_ps(sign_mask, _mm256_sub_ps(s, t));
      const __m256 step = _mm256_and_ps(_mm256_cmp_ps(frac, _mm256_set1_ps(0.5f), _CMP_GE_OQ),
                                        _mm256_or_ps(_mm256_and_ps(s, sign_mask), _mm256_set1_ps(1.0f)));
      q32[i] = _mm256_cvttps_epi32(_mm256_add_ps(t, step));
    }
    // Pack 32 int32 -> 32 int8 in element order.
    const __m256i p01 = _mm256_packs_epi32(q32[0], q32[1]);
    const __m256i p23 = _mm256_packs_epi32(q32[2], q32[3]);
    __m256i p = _mm256_packs_epi16(p01, p23);
    p = _mm256_permutevar8x32_epi32(p, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(y[b].qs), p);
  }
}

float vec_dot_f32(const void* w, const void* a, size_t n) {
  const float* x = static_cast<const float*>(w);
  const float* y = static_cast<const float*>(a);
  __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
  size_t i = 0;
  for (; i + 32 <= n; i += 32)
    for (int j = 0; j < 4; ++j)
      acc[j] = _mm256_fmadd_ps(_mm256_loadu_ps(x + i + 8 * j), _mm256_loadu_ps(y + i + 8 * j), acc[j]);
  for (; i + 8 <= n; i += 8) acc[0] = _mm256_fmadd_ps(_mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i), acc[0]);
  float sum = hsum(_mm256_add_ps(_mm256_add_ps(acc[0], acc[2]), _mm256_add_ps(acc[1], acc[3])));
  for (; i < n; ++i) sum += x[i] * y[i];
  return sum;
}

float vec_dot_f16_f32(const void* w, const void* a, size_t n) {
  const uint16_t* x = static_cast<const uint16_t*>(w);
  const float* y = static_cast<const float*>(a);
  __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
  size_t i = 0;
  for (; i + 32 <= n; i += 32)
    for (int j = 0; j < 4; ++j) {
      const __m256 xv = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + i + 8 * j)));
      acc[j] = _mm256_fmadd_ps(xv, _mm256_loadu_ps(y + i + 8 * j), acc[j]);
    }
  for (; i + 8 <= n; i += 8) {
    const __m256 xv = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + i)));
    acc[0] = _mm256_fmadd_ps(xv, _mm256_loadu_ps(y + i), acc[0]);
  }
  float sum = hsum(_mm256_add_ps(_mm256_add_ps(acc[0], acc[2]), _mm256_add_ps(acc[1], acc[3])));
  for (; i < n; ++i) sum += fp16_to_fp32(x[i]) * y[i];
  return sum;
}

void dequantize_row_f16(const void* src, float* dst, size_t n) {
  const uint16_t* x = static_cast<const uint16_t*>(src);
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + i))));
  for (; i < n; ++i) dst[i] = fp16_to_fp32(x[i]);
}

void axpy_f16(float* out, float a, const uint16_t* v, size_t n) {
  const __m256 va = _mm256_set1_ps(a);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256 x = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(v + i)));
    _mm256_storeu_ps(out + i, _mm256_fmadd_ps(va, x, _mm256_loadu_ps(out + i)));
  }
  for (; i < n; ++i) out[i] += a * fp16_to_fp32(v[i]);
}

}  // namespace hearth::engine::avx2
