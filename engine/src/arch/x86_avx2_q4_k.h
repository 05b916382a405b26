// The packed 6-bit scales and mins of eight Q4_K rows, unpacked one row per 32-bit lane: shared
// by the AVX2 kernels (x86_avx2_gemm_q4_k.cpp) and the AVX512-VNNI decode kernel
// (x86_avx512vnni.cpp). Include only from files compiled with AVX2.
#pragma once

#include <immintrin.h>

#include "../quant_blocks.h"
#include "x86_avx2_rows8.h"

namespace hearth::engine::avx2 {

// Scales and mins of super-block b of eight rows, laid out for madd: scales[s] has row j's scale
// of sub-block s in both 16-bit halves of lane j; mins[u] has row j's mins of sub-blocks 2u and
// 2u+1 in lane j.
struct RowScales {
  __m256i scales[8];
  __m256i mins[4];
  __m256 d, dmin;
};

// From 32-bit lanes holding one row's 6-bit scale or min each.
inline __m256i both_halves(__m256i v) { return _mm256_or_si256(v, _mm256_slli_epi32(v, 16)); }
inline __m256i low_and_high(__m256i lo, __m256i hi) { return _mm256_or_si256(lo, _mm256_slli_epi32(hi, 16)); }

// From the packed bytes of eight rows, one row per lane (v[k] lane j = scale bytes 4k..4k+3 of
// row j), the bit layout of scale_min_k4 in quant_k.cpp for all rows at once: sc[s] and mn[s]
// lane j = row j's scale and min of sub-block s.
inline void unpack_scales_mins(const __m256i v[3], __m256i sc[8], __m256i mn[8]) {
  const __m256i six = _mm256_set1_epi32(63), four = _mm256_set1_epi32(0x0f), two = _mm256_set1_epi32(3);
  for (int s = 0; s < 4; ++s) {
    sc[s] = _mm256_and_si256(_mm256_srli_epi32(v[0], 8 * s), six);
    mn[s] = _mm256_and_si256(_mm256_srli_epi32(v[1], 8 * s), six);
    const __m256i top_sc = _mm256_and_si256(_mm256_srli_epi32(v[0], 8 * s + 6), two);
    const __m256i top_mn = _mm256_and_si256(_mm256_srli_epi32(v[1], 8 * s + 6), two);
    sc[s + 4] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi32(v[2], 8 * s), four), _mm256_slli_epi32(top_sc, 4));
    mn[s + 4] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi32(v[2], 8 * s + 4), four), _mm256_slli_epi32(top_mn, 4));
  }
}

// The same, laid out for madd (RowScales).
inline void unpack_scales(const __m256i v[3], RowScales& rs) {
  __m256i sc[8], mn[8];
  unpack_scales_mins(v, sc, mn);
  for (int s = 0; s < 8; ++s) rs.scales[s] = both_halves(sc[s]);
  for (int u = 0; u < 4; ++u) rs.mins[u] = low_and_high(mn[2 * u], mn[2 * u + 1]);
}

// The min term of one super-block for the eight rows: sum_s min_s * sum(y over sub-block s), with
// mins laid out as RowScales::mins and the sums from the activation block's sums of 16.
inline __m256i mins_dot(const __m256i mins[4], const BlockQ8_K& y) {
  __m256i m = _mm256_setzero_si256();
  for (int u = 0; u < 4; ++u) {
    // Sums of sub-blocks 2u and 2u+1 (four groups of 16), as one 16-bit pair.
    const auto s0 = static_cast<int16_t>(y.bsums[4 * u] + y.bsums[4 * u + 1]);
    const auto s1 = static_cast<int16_t>(y.bsums[4 * u + 2] + y.bsums[4 * u + 3]);
    m = _mm256_add_epi32(m, _mm256_madd_epi16(mins[u], pair_i16(s0, s1)));
  }
  return m;
}

}  // namespace hearth::engine::avx2
