// Q6_K weights x Q8_K activations for prompt evaluation, AVX2: eight weight rows per vector, as
// the Q4_0 and Q4_K kernels (x86_avx2_gemm_q4_0.cpp, x86_avx2_gemm_q4_k.cpp).
//
// A Q6_K super-block holds 256 values q in 0..63 in sixteen sub-blocks of 16, each with a signed
// 8-bit scale: x = d * scale * (q - 32). For one row and one token,
//   sum(x * y) = dy * d * (sum_s scale_s * sum(q * y over s) - 32 * sum_s scale_s * sum(y over s)),
// the last sum from the activation block's sums of 16 (bsums). The unsigned 6-bit values are
// put together from their two planes (low 4 bits in ql, high 2 bits in qh) with one row per 32-bit
// lane: transposed at every super-block from the file's layout, or interleaved at load
// (interleave.h), which decode uses.
#include <immintrin.h>

#include <algorithm>
#include <cstddef>
#include <cstring>

#include "../quant_blocks.h"
#include "x86_avx2.h"
#include "x86_avx2_rows8.h"

namespace hearth::engine::avx2 {

namespace {

// The eight rows' scales of one super-block, laid out for madd: scales[s] has row j's scale of
// sub-block s in both 16-bit halves of lane j; pairs[u] has row j's scales of sub-blocks 2u and
// 2u+1 in lane j (for the offset term).
struct RowScales {
  __m256i scales[16];
  __m256i pairs[8];
};

// From sc[s]: the eight rows' scale of sub-block s as bytes, row j at byte j.
inline void spread_scales(const int8_t* sc, RowScales& rs) {
  const __m256i low16 = _mm256_set1_epi32(0xffff);
  for (int s = 0; s < 16; ++s) {
    const __m256i v = _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(sc + 8 * s)));
    rs.scales[s] = _mm256_or_si256(_mm256_and_si256(v, low16), _mm256_slli_epi32(v, 16));
  }
  for (int u = 0; u < 8; ++u) {
    const __m128i two = _mm_loadu_si128(reinterpret_cast<const __m128i*>(sc + 16 * u));  // scales 2u, 2u+1
    rs.pairs[u] = _mm256_cvtepi8_epi16(_mm_unpacklo_epi8(two, _mm_srli_si128(two, 8)));
  }
}

// Super-block b of eight rows. load_scales(b, rs), d(b): the eight rows' scales and d. load_half(b, h, l0, l1, hi): ql[64h, +32), ql[64h + 32, +32) and qh[32h, +32) of the
// eight rows, w[k] lane j = bytes 4k..4k+3 of row j.
struct FileRows {
  const uint8_t* base;
  size_t stride;
  void prefetch(size_t) const {}
  void load_scales(size_t b, RowScales& rs) const {
    alignas(16) int8_t sc[16 * 8];
    for (int r = 0; r < 8; ++r) {
      const int8_t* row = reinterpret_cast<const int8_t*>(base + r * stride + b * sizeof(BlockQ6_K) + offsetof(BlockQ6_K, scales));
      for (int s = 0; s < 16; ++s) sc[8 * s + r] = row[s];
    }
    spread_scales(sc, rs);
  }
  __m256 d(size_t b) const { return gather_8_rows_f16(base, stride, b * sizeof(BlockQ6_K) + offsetof(BlockQ6_K, d)); }
  void load_half(size_t b, int h, __m256i l0[8], __m256i l1[8], __m256i hi[8]) const {
    const size_t block = b * sizeof(BlockQ6_K);
    const size_t ql = block + offsetof(BlockQ6_K, ql) + 64 * h, qh = block + offsetof(BlockQ6_K, qh) + 32 * h;
    transpose_8_rows_16_bytes(base, stride, ql, l0);
    transpose_8_rows_16_bytes(base, stride, ql + 16, l0 + 4);
    transpose_8_rows_16_bytes(base, stride, ql + 32, l1);
    transpose_8_rows_16_bytes(base, stride, ql + 48, l1 + 4);
    transpose_8_rows_16_bytes(base, stride, qh, hi);
    transpose_8_rows_16_bytes(base, stride, qh + 16, hi + 4);
  }
};

// The layout of interleave_q6_k: d x8, 16 x 8 scales scale by scale, then per half 3 x 8 vectors.
struct InterleavedRows {
  const uint8_t* group;
  const uint8_t* at(size_t b) const { return group + b * 8 * sizeof(BlockQ6_K); }
  void prefetch(size_t b) const {
    for (size_t off = 0; off < 8 * sizeof(BlockQ6_K); off += 64)
      _mm_prefetch(reinterpret_cast<const char*>(at(b) + kDecodePrefetchAhead + off), _MM_HINT_T0);
  }
  void load_scales(size_t b, RowScales& rs) const { spread_scales(reinterpret_cast<const int8_t*>(at(b) + 16), rs); }
  __m256 d(size_t b) const { return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(at(b)))); }
  void load_half(size_t b, int h, __m256i l0[8], __m256i l1[8], __m256i hi[8]) const {
    const uint8_t* v = at(b) + 144 + 768 * h;
    for (int k = 0; k < 8; ++k) {
      l0[k] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(v + 32 * k));
      l1[k] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(v + 256 + 32 * k));
      hi[k] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(v + 512 + 32 * k));
    }
  }
};

// Eight rows x n_tokens tokens (at most kMaxTokens); out[t * out_stride + j] for row j, token t.
template <class Rows>
void tile_8_rows(const Rows& rows, const uint8_t* act, size_t act_stride, size_t nsb, size_t n_tokens, float* out,
                 size_t out_stride) {
  alignas(32) float acc[kMaxTokens][8];
  std::memset(acc, 0, n_tokens * sizeof acc[0]);
  alignas(32) int32_t isum[kMaxTokens][8];
  RowScales rs;
  const __m256i low4 = _mm256_set1_epi8(0x0f), bits45 = _mm256_set1_epi8(0x30);
  for (size_t b = 0; b < nsb; ++b) {
    rows.prefetch(b);
    rows.load_scales(b, rs);
    const __m256 d = rows.d(b);
    std::memset(isum, 0, n_tokens * sizeof isum[0]);
    for (int h = 0; h < 2; ++h) {
      __m256i l0[8], l1[8], hi[8];
      rows.load_half(b, h, l0, l1, hi);
      // Quarter m holds values 128h + 32m + l (l < 32): low bits from l0 (m even) or l1 (m odd),
      // nibble m / 2; high bits from hi, bits 2m and 2m+1.
      for (int m = 0; m < 4; ++m) {
        __m256i q[8];
        const __m256i* lo = m % 2 ? l1 : l0;
        for (int k = 0; k < 8; ++k) {
          const __m256i l = _mm256_and_si256(m >= 2 ? _mm256_srli_epi16(lo[k], 4) : lo[k], low4);
          // Bits 2m, 2m+1 of qh moved to bits 4, 5 (16-bit shifts; the mask drops what crossed
          // from the neighbouring byte).
          const __m256i top = m == 0 ? _mm256_slli_epi16(hi[k], 4) : m == 1 ? _mm256_slli_epi16(hi[k], 2)
                            : m == 2 ? hi[k] : _mm256_srli_epi16(hi[k], 2);
          q[k] = _mm256_or_si256(l, _mm256_and_si256(top, bits45));
        }
        const int s0 = 8 * h + 2 * m;
        const __m256i sc0 = rs.scales[s0], sc1 = rs.scales[s0 + 1];
        const size_t y_off = 128 * h + 32 * m;
        for (size_t t = 0; t < n_tokens; ++t) {
          const int8_t* y = reinterpret_cast<const BlockQ8_K*>(act + t * act_stride)[b].qs + y_off;
          const auto prod = [&](int k) { return _mm256_maddubs_epi16(q[k], _mm256_set1_epi32(load_i32(y + 4 * k))); };
          // int16 lanes hold two maddubs at most: each pair is at most 2 * 63 * 128 = 16128.
          const __m256i a = _mm256_madd_epi16(_mm256_add_epi16(prod(0), prod(1)), sc0);
          const __m256i b2 = _mm256_madd_epi16(_mm256_add_epi16(prod(2), prod(3)), sc0);
          const __m256i c = _mm256_madd_epi16(_mm256_add_epi16(prod(4), prod(5)), sc1);
          const __m256i e = _mm256_madd_epi16(_mm256_add_epi16(prod(6), prod(7)), sc1);
          __m256i* sum = reinterpret_cast<__m256i*>(isum[t]);
          const __m256i all = _mm256_add_epi32(_mm256_add_epi32(a, b2), _mm256_add_epi32(c, e));
          _mm256_store_si256(sum, _mm256_add_epi32(_mm256_load_si256(sum), all));
        }
      }
    }
    for (size_t t = 0; t < n_tokens; ++t) {
      const BlockQ8_K& y = reinterpret_cast<const BlockQ8_K*>(act + t * act_stride)[b];
      __m256i offset = _mm256_setzero_si256();
      for (int u = 0; u < 8; ++u)
        offset = _mm256_add_epi32(offset, _mm256_madd_epi16(rs.pairs[u], pair_i16(y.bsums[2 * u], y.bsums[2 * u + 1])));
      const __m256i total = _mm256_sub_epi32(_mm256_load_si256(reinterpret_cast<const __m256i*>(isum[t])),
                                             _mm256_slli_epi32(offset, 5));
      _mm256_store_ps(acc[t], _mm256_fmadd_ps(_mm256_cvtepi32_ps(total), _mm256_mul_ps(d, _mm256_set1_ps(y.d)),
                                              _mm256_load_ps(acc[t])));
    }
  }
  for (size_t t = 0; t < n_tokens; ++t) _mm256_storeu_ps(out + t * out_stride, _mm256_load_ps(acc[t]));
}

}  // namespace

void gemm_q6_k_q8_k_rows8(const void* w, size_t stride, size_t rows, const void* a, size_t a_stride, const int32_t*,
                          size_t tokens, size_t n, float* out, size_t out_stride) {
  const uint8_t* base = static_cast<const uint8_t*>(w);
  const uint8_t* act = static_cast<const uint8_t*>(a);
  const size_t nsb = n / kQK_K;
  size_t r = each_tile(rows, tokens, [&](size_t r8, size_t t, size_t nt) {
    tile_8_rows(FileRows{base + r8 * stride, stride}, act + t * a_stride, a_stride, nsb, nt, out + t * out_stride + r8, out_stride);
  });
  for (; r < rows; ++r)
    for (size_t t = 0; t < tokens; ++t)
      out[t * out_stride + r] = vec_dot_q6_k_q8_k(base + r * stride, act + t * a_stride, n);
}

void gemm_q6_k_q8_k_interleaved(const void* w, size_t stride, size_t rows, const void* a, size_t a_stride,
                                const int32_t*, size_t tokens, size_t n, float* out, size_t out_stride) {
  const uint8_t* base = static_cast<const uint8_t*>(w);
  const uint8_t* act = static_cast<const uint8_t*>(a);
  const size_t nsb = n / kQK_K;
  each_tile(rows, tokens, [&](size_t r8, size_t t, size_t nt) {
    tile_8_rows(InterleavedRows{base + r8 * stride}, act + t * a_stride, a_stride, nsb, nt, out + t * out_stride + r8, out_stride);
  });
}

}  // namespace hearth::engine::avx2
