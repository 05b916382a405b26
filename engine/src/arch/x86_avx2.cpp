// AVX2 + FMA + F16C versions of the hot kernels. Compiled with those instructions enabled and
// installed into the type table at start-up only when the CPU has them (cpu_features.cpp); the
// scalar kernels in quant_*.cpp are the specification these must match (tests/engine).
#include <immintrin.h>

#include <cmath>
#include <cstring>

#include "../fp16.h"
#include "../kernels.h"
#include "../quant_blocks.h"
#include "x86_avx2.h"

namespace hearth::engine::avx2 {

// AVX2 has no single instruction for it: pairwise products to int16, then pairs to int32. The
// int16 step cannot overflow: |u| <= 128 and |s| <= 127, and 2 * 128 * 127 < 32767.
#define HEARTH_U8S8_DOT(u, s) _mm256_madd_epi16(_mm256_maddubs_epi16((u), (s)), _mm256_set1_epi16(1))
#define HEARTH_GEMM_TOKENS 2
#define HEARTH_Q4_0_ROW_GEMM
#include "x86_q8_kernels.inc"
#undef HEARTH_Q4_0_ROW_GEMM
#undef HEARTH_GEMM_TOKENS
#undef HEARTH_U8S8_DOT

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

// Same results as the scalar quantize_row_q8_k, bit for bit: the first value of largest
// magnitude maps to -128, values round to nearest even (lrintf), NaN gives 0.
void quantize_row_q8_k(const float* x, void* dst, size_t n) {
  BlockQ8_K* y = static_cast<BlockQ8_K*>(dst);
  const __m256 sign_mask = _mm256_set1_ps(-0.0f);
  for (size_t b = 0; b < n / kQK_K; ++b, x += kQK_K) {
    __m256 vmax = _mm256_setzero_ps();
    for (int j = 0; j < kQK_K; j += 8) {
      // max_ps returns its second operand when one is NaN: NaN values are skipped, as in the scalar loop.
      vmax = _mm256_max_ps(_mm256_andnot_ps(sign_mask, _mm256_loadu_ps(x + j)), vmax);
    }
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(vmax), _mm256_extractf128_ps(vmax, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_movehdup_ps(m));
    const float amax = _mm_cvtss_f32(m);
    std::memset(y[b].bsums, 0, sizeof y[b].bsums);
    if (!(amax > 0.0f) || !std::isfinite(amax)) {
      y[b].d = 0.0f;
      std::memset(y[b].qs, 0, sizeof y[b].qs);
      continue;
    }
    float max = 0.0f;
    for (int j = 0; j < kQK_K; ++j)
      if (std::fabs(x[j]) == amax) {
        max = x[j];
        break;
      }
    const float iscale = -128.0f / max;
    const __m256 vscale = _mm256_set1_ps(iscale);
    for (int j = 0; j < kQK_K; j += 32) {
      __m256i q32[4];
      for (int i = 0; i < 4; ++i) {
        const __m256 v = _mm256_mul_ps(vscale, _mm256_loadu_ps(x + j + 8 * i));
        const __m256i ordered = _mm256_castps_si256(_mm256_cmp_ps(v, v, _CMP_ORD_Q));
        q32[i] = _mm256_and_si256(_mm256_min_epi32(_mm256_cvtps_epi32(v), _mm256_set1_epi32(127)), ordered);
      }
      // Sums of 16: two groups of 32-bit values each.
      for (int g = 0; g < 2; ++g) {
        const __m256i s = _mm256_add_epi32(q32[2 * g], q32[2 * g + 1]);
        __m128i h = _mm_add_epi32(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
        h = _mm_add_epi32(h, _mm_shuffle_epi32(h, 0x4e));
        h = _mm_add_epi32(h, _mm_shuffle_epi32(h, 0xb1));
        y[b].bsums[j / 16 + g] = static_cast<int16_t>(_mm_cvtsi128_si32(h));
      }
      __m256i p = _mm256_packs_epi16(_mm256_packs_epi32(q32[0], q32[1]), _mm256_packs_epi32(q32[2], q32[3]));
      p = _mm256_permutevar8x32_epi32(p, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(y[b].qs + j), p);
    }
    y[b].d = 1.0f / iscale;
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

namespace {

// The 6-bit scales and mins of a Q4_K block, as in scale_min_k4 of quant_k.cpp.
inline void q4_k_scales(const uint8_t* q, uint8_t* sc, uint8_t* mn) {
  for (int j = 0; j < 4; ++j) {
    sc[j] = q[j] & 63;
    mn[j] = q[j + 4] & 63;
  }
  for (int j = 4; j < 8; ++j) {
    sc[j] = static_cast<uint8_t>((q[j + 4] & 0x0f) | ((q[j - 4] >> 6) << 4));
    mn[j] = static_cast<uint8_t>((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
  }
}

}  // namespace

float vec_dot_q4_k_q8_k(const void* w, const void* a, size_t n) {
  const BlockQ4_K* x = static_cast<const BlockQ4_K*>(w);
  const BlockQ8_K* y = static_cast<const BlockQ8_K*>(a);
  const __m256i low = _mm256_set1_epi8(0x0f);
  __m256 acc = _mm256_setzero_ps();
  float acc_min = 0.0f;
  for (size_t b = 0; b < n / kQK_K; ++b) {
    uint8_t sc[8], mn[8];
    q4_k_scales(x[b].scales, sc, mn);
    int mins = 0;
    for (int j = 0; j < 8; ++j) mins += mn[j] * (y[b].bsums[2 * j] + y[b].bsums[2 * j + 1]);
    acc_min += y[b].d * h2f(x[b].dmin) * static_cast<float>(mins);
    __m256i sumi = _mm256_setzero_si256();
    for (int c = 0; c < 4; ++c) {
      // 32 bytes hold sub-block 2c in the low nibbles and 2c+1 in the high ones.
      const __m256i q4 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x[b].qs + 32 * c));
      const __m256i lo = _mm256_and_si256(q4, low);
      const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(q4, 4), low);
      const __m256i y_lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(y[b].qs + 64 * c));
      const __m256i y_hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(y[b].qs + 64 * c + 32));
      const __m256i p_lo = _mm256_madd_epi16(_mm256_maddubs_epi16(lo, y_lo), _mm256_set1_epi16(sc[2 * c]));
      const __m256i p_hi = _mm256_madd_epi16(_mm256_maddubs_epi16(hi, y_hi), _mm256_set1_epi16(sc[2 * c + 1]));
      sumi = _mm256_add_epi32(sumi, _mm256_add_epi32(p_lo, p_hi));
    }
    acc = _mm256_fmadd_ps(_mm256_set1_ps(y[b].d * h2f(x[b].d)), _mm256_cvtepi32_ps(sumi), acc);
  }
  return hsum(acc) - acc_min;
}

float vec_dot_q6_k_q8_k(const void* w, const void* a, size_t n) {
  const BlockQ6_K* x = static_cast<const BlockQ6_K*>(w);
  const BlockQ8_K* y = static_cast<const BlockQ8_K*>(a);
  const __m256i low = _mm256_set1_epi8(0x0f), two = _mm256_set1_epi8(3);
  __m256 acc = _mm256_setzero_ps();
  for (size_t b = 0; b < n / kQK_K; ++b) {
    const int8_t* sc = x[b].scales;
    // The -32 offset of every value, through the activations' sums of 16.
    int offset = 0;
    for (int j = 0; j < 16; ++j) offset += sc[j] * y[b].bsums[j];
    __m256i sumi = _mm256_setzero_si256();
    for (int h = 0; h < 2; ++h) {
      const __m256i ql0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x[b].ql + 64 * h));
      const __m256i ql1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x[b].ql + 64 * h + 32));
      const __m256i qh = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x[b].qh + 32 * h));
      const __m256i q[4] = {
          _mm256_or_si256(_mm256_and_si256(ql0, low), _mm256_slli_epi16(_mm256_and_si256(qh, two), 4)),
          _mm256_or_si256(_mm256_and_si256(ql1, low),
                          _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 2), two), 4)),
          _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql0, 4), low),
                          _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 4), two), 4)),
          _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql1, 4), low),
                          _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 6), two), 4))};
      for (int k = 0; k < 4; ++k) {
        const __m256i q8 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(y[b].qs + 128 * h + 32 * k));
        // Values 0..15 of this vector use scale 2k of the half, 16..31 use scale 2k+1.
        const __m256i scales = _mm256_set_m128i(_mm_set1_epi16(sc[8 * h + 2 * k + 1]), _mm_set1_epi16(sc[8 * h + 2 * k]));
        sumi = _mm256_add_epi32(sumi, _mm256_madd_epi16(_mm256_maddubs_epi16(q[k], q8), scales));
      }
    }
    sumi = _mm256_sub_epi32(sumi, _mm256_setr_epi32(32 * offset, 0, 0, 0, 0, 0, 0, 0));
    acc = _mm256_fmadd_ps(_mm256_set1_ps(y[b].d * h2f(x[b].d)), _mm256_cvtepi32_ps(sumi), acc);
  }
  return hsum(acc);
}

}  // namespace hearth::engine::avx2
