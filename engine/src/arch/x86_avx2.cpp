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

// F16C conversions; the portable ones in fp16.h give the same values, slower.
inline float h2f(uint16_t h) { return _cvtsh_ss(h); }

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
    const __m256 d0 = _mm256_set1_ps(h2f(x[b].d) * h2f(y[b].d));
    const __m256 d1 = _mm256_set1_ps(h2f(x[b + 1].d) * h2f(y[b + 1].d));
    const __m256i qx0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x[b].qs));
    const __m256i qy0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(y[b].qs));
    const __m256i qx1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x[b + 1].qs));
    const __m256i qy1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(y[b + 1].qs));
    acc0 = _mm256_fmadd_ps(d0, dot_i8(qx0, qy0), acc0);
    acc1 = _mm256_fmadd_ps(d1, dot_i8(qx1, qy1), acc1);
  }
  for (; b < nb; ++b) {
    const __m256 d = _mm256_set1_ps(h2f(x[b].d) * h2f(y[b].d));
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
    const __m256 d0 = _mm256_set1_ps(h2f(x[b].d) * h2f(y[b].d));
    const __m256 d1 = _mm256_set1_ps(h2f(x[b + 1].d) * h2f(y[b + 1].d));
    const __m256i qy0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(y[b].qs));
    const __m256i qy1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(y[b + 1].qs));
    acc0 = _mm256_fmadd_ps(d0, dot_i8(unpack_q4_0(x[b].qs), qy0), acc0);
    acc1 = _mm256_fmadd_ps(d1, dot_i8(unpack_q4_0(x[b + 1].qs), qy1), acc1);
  }
  for (; b < nb; ++b) {
    const __m256 d = _mm256_set1_ps(h2f(x[b].d) * h2f(y[b].d));
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

// Four rows against one activation row. |y| is computed once per block for all four rows; each
// row's signed bytes take y's sign, so maddubs(|y|, sign(x, y)) = x * y pairwise.
template <class Block, __m256i (*Load)(const Block&)>
inline void dot_4_rows(const uint8_t* base, size_t stride, const BlockQ8_0* y, size_t nb, float* out) {
  const Block* x0 = reinterpret_cast<const Block*>(base);
  const Block* x1 = reinterpret_cast<const Block*>(base + stride);
  const Block* x2 = reinterpret_cast<const Block*>(base + 2 * stride);
  const Block* x3 = reinterpret_cast<const Block*>(base + 3 * stride);
  const __m256i ones = _mm256_set1_epi16(1);
  __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps(), acc2 = _mm256_setzero_ps(),
         acc3 = _mm256_setzero_ps();
  auto row = [&](const Block& x, __m256i ay, __m256i qy, float dy, __m256 acc) {
    const __m256i p16 = _mm256_maddubs_epi16(ay, _mm256_sign_epi8(Load(x), qy));
    const __m256 p = _mm256_cvtepi32_ps(_mm256_madd_epi16(p16, ones));
    return _mm256_fmadd_ps(_mm256_set1_ps(h2f(x.d) * dy), p, acc);
  };
  for (size_t b = 0; b < nb; ++b) {
    const __m256i qy = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(y[b].qs));
    const __m256i ay = _mm256_sign_epi8(qy, qy);
    const float dy = h2f(y[b].d);
    acc0 = row(x0[b], ay, qy, dy, acc0);
    acc1 = row(x1[b], ay, qy, dy, acc1);
    acc2 = row(x2[b], ay, qy, dy, acc2);
    acc3 = row(x3[b], ay, qy, dy, acc3);
  }
  hsum4(acc0, acc1, acc2, acc3, out);
}

inline __m256i load_q8_0(const BlockQ8_0& b) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.qs)); }
inline __m256i load_q4_0(const BlockQ4_0& b) { return unpack_q4_0(b.qs); }

template <class Block, __m256i (*Load)(const Block&), float (*Dot)(const void*, const void*, size_t)>
inline void gemv_impl(const void* w, size_t stride, size_t rows, const void* a, size_t n, float* out) {
  const uint8_t* base = static_cast<const uint8_t*>(w);
  const BlockQ8_0* y = static_cast<const BlockQ8_0*>(a);
  size_t r = 0;
  for (; r + 4 <= rows; r += 4) dot_4_rows<Block, Load>(base + r * stride, stride, y, n / 32, out + r);
  for (; r < rows; ++r) out[r] = Dot(base + r * stride, a, n);
}

// Four rows x two tokens: each weight block is loaded (and unpacked) once for both tokens.
template <class Block, __m256i (*Load)(const Block&)>
inline void dot_4x2(const uint8_t* base, size_t stride, const BlockQ8_0* y0, const BlockQ8_0* y1, size_t nb,
                    float* out0, float* out1) {
  const __m256i ones = _mm256_set1_epi16(1);
  __m256 acc[2][4];
  for (auto& t : acc)
    for (auto& a : t) a = _mm256_setzero_ps();
  const Block* x[4];
  for (int i = 0; i < 4; ++i) x[i] = reinterpret_cast<const Block*>(base + i * stride);
  for (size_t b = 0; b < nb; ++b) {
    const __m256i q0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(y0[b].qs));
    const __m256i q1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(y1[b].qs));
    const __m256i a0 = _mm256_sign_epi8(q0, q0), a1 = _mm256_sign_epi8(q1, q1);
    const float d0 = h2f(y0[b].d), d1 = h2f(y1[b].d);
    for (int i = 0; i < 4; ++i) {
      const __m256i qx = Load(x[i][b]);
      const float dx = h2f(x[i][b].d);
      const __m256 p0 = _mm256_cvtepi32_ps(_mm256_madd_epi16(_mm256_maddubs_epi16(a0, _mm256_sign_epi8(qx, q0)), ones));
      const __m256 p1 = _mm256_cvtepi32_ps(_mm256_madd_epi16(_mm256_maddubs_epi16(a1, _mm256_sign_epi8(qx, q1)), ones));
      acc[0][i] = _mm256_fmadd_ps(_mm256_set1_ps(dx * d0), p0, acc[0][i]);
      acc[1][i] = _mm256_fmadd_ps(_mm256_set1_ps(dx * d1), p1, acc[1][i]);
    }
  }
  hsum4(acc[0][0], acc[0][1], acc[0][2], acc[0][3], out0);
  hsum4(acc[1][0], acc[1][1], acc[1][2], acc[1][3], out1);
}

template <class Block, __m256i (*Load)(const Block&), float (*Dot)(const void*, const void*, size_t)>
inline void gemm_impl(const void* w, size_t stride, size_t rows, const void* a, size_t a_stride, size_t tokens,
                      size_t n, float* out, size_t out_stride) {
  const uint8_t* base = static_cast<const uint8_t*>(w);
  const uint8_t* act = static_cast<const uint8_t*>(a);
  size_t r = 0;
  for (; r + 4 <= rows; r += 4) {
    size_t t = 0;
    for (; t + 2 <= tokens; t += 2) {
      float o0[4], o1[4];
      dot_4x2<Block, Load>(base + r * stride, stride, reinterpret_cast<const BlockQ8_0*>(act + t * a_stride),
                           reinterpret_cast<const BlockQ8_0*>(act + (t + 1) * a_stride), n / 32, o0, o1);
      for (int i = 0; i < 4; ++i) {
        out[t * out_stride + r + i] = o0[i];
        out[(t + 1) * out_stride + r + i] = o1[i];
      }
    }
    for (; t < tokens; ++t) {
      float o[4];
      dot_4_rows<Block, Load>(base + r * stride, stride, reinterpret_cast<const BlockQ8_0*>(act + t * a_stride), n / 32, o);
      for (int i = 0; i < 4; ++i) out[t * out_stride + r + i] = o[i];
    }
  }
  for (; r < rows; ++r)
    for (size_t t = 0; t < tokens; ++t) out[t * out_stride + r] = Dot(base + r * stride, act + t * a_stride, n);
}

}  // namespace

void gemm_q8_0_q8_0(const void* w, size_t stride, size_t rows, const void* a, size_t a_stride, size_t tokens, size_t n,
                    float* out, size_t out_stride) {
  gemm_impl<BlockQ8_0, load_q8_0, vec_dot_q8_0_q8_0>(w, stride, rows, a, a_stride, tokens, n, out, out_stride);
}

void gemm_q4_0_q8_0(const void* w, size_t stride, size_t rows, const void* a, size_t a_stride, size_t tokens, size_t n,
                    float* out, size_t out_stride) {
  gemm_impl<BlockQ4_0, load_q4_0, vec_dot_q4_0_q8_0>(w, stride, rows, a, a_stride, tokens, n, out, out_stride);
}

void gemv_q8_0_q8_0(const void* w, size_t stride, size_t rows, const void* a, size_t n, float* out) {
  gemv_impl<BlockQ8_0, load_q8_0, vec_dot_q8_0_q8_0>(w, stride, rows, a, n, out);
}

void gemv_q4_0_q8_0(const void* w, size_t stride, size_t rows, const void* a, size_t n, float* out) {
  gemv_impl<BlockQ4_0, load_q4_0, vec_dot_q4_0_q8_0>(w, stride, rows, a, n, out);
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
  for (; i < n; ++i) sum += h2f(x[i]) * y[i];
  return sum;
}

void dequantize_row_f16(const void* src, float* dst, size_t n) {
  const uint16_t* x = static_cast<const uint16_t*>(src);
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + i))));
  for (; i < n; ++i) dst[i] = h2f(x[i]);
}

void axpy_f16(float* out, float a, const uint16_t* v, size_t n) {
  const __m256 va = _mm256_set1_ps(a);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256 x = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(v + i)));
    _mm256_storeu_ps(out + i, _mm256_fmadd_ps(va, x, _mm256_loadu_ps(out + i)));
  }
  for (; i < n; ++i) out[i] += a * h2f(v[i]);
}

}  // namespace hearth::engine::avx2
