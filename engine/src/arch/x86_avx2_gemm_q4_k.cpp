// Q4_K weights x Q8_K activations for prompt evaluation, AVX2: eight weight rows per vector, as
// the Q4_0 kernel (x86_avx2_gemm_q4_0.cpp) does, with the K format's two-level scales.
//
// The rows come in the file's layout (transposed at every super-block) or interleaved at load
// (interleave.h), which decode uses.
//
// A Q4_K super-block holds 256 values in eight sub-blocks of 32, each with a 6-bit scale and a
// 6-bit min: x = d * scale * q - dmin * min. For one row and one token,
//   sum(x * y) = dy * (d * sum_s scale_s * sum(q * y over s) - dmin * sum_s min_s * sum(y over s)).
// The inner sums are maddubs products of the unsigned 4-bit values (one row per 32-bit lane, so
// eight rows at once); the sub-block scale is applied by the madd that widens them to 32 bits,
// with the scale in both 16-bit halves of the row's lane. The min term uses the activation
// block's sums of 16 (bsums), two sub-blocks per madd.
#include <immintrin.h>

#include <algorithm>
#include <cstddef>
#include <cstring>

#include "../quant_blocks.h"
#include "x86_avx2.h"
#include "x86_avx2_q4_k.h"
#include "x86_avx2_rows8.h"

namespace hearth::engine::avx2 {

namespace {

// Super-block b of eight rows: load_scales fills RowScales; load_chunk(b, c, w) gives the 32 value
// bytes of chunk c with w[k] lane j = bytes 4k..4k+3 of row j (low nibbles: sub-block 2c, high
// nibbles: sub-block 2c + 1).
struct FileRows {
  const uint8_t* base;
  size_t stride;
  void prefetch(size_t) const {}
  void load_scales(size_t b, RowScales& rs) const {
    const size_t block = b * sizeof(BlockQ4_K);
    alignas(32) uint8_t bytes[3][32];
    for (int r = 0; r < 8; ++r)
      for (int k = 0; k < 3; ++k) std::memcpy(&bytes[k][4 * r], base + r * stride + block + offsetof(BlockQ4_K, scales) + 4 * k, 4);
    const __m256i v[3] = {_mm256_load_si256(reinterpret_cast<const __m256i*>(bytes[0])),
                          _mm256_load_si256(reinterpret_cast<const __m256i*>(bytes[1])),
                          _mm256_load_si256(reinterpret_cast<const __m256i*>(bytes[2]))};
    unpack_scales(v, rs);
    rs.d = gather_8_rows_f16(base, stride, block + offsetof(BlockQ4_K, d));
    rs.dmin = gather_8_rows_f16(base, stride, block + offsetof(BlockQ4_K, dmin));
  }
  void load_chunk(size_t b, int c, __m256i w[8]) const {
    const size_t qs = b * sizeof(BlockQ4_K) + offsetof(BlockQ4_K, qs) + 32 * c;
    transpose_8_rows_16_bytes(base, stride, qs, w);
    transpose_8_rows_16_bytes(base, stride, qs + 16, w + 4);
  }
};

// The layout of interleave_q4_k: d x8, dmin x8, 3 vectors of scale bytes, then 4 chunks of 8 vectors.
struct InterleavedRows {
  const uint8_t* group;
  const uint8_t* at(size_t b) const { return group + b * 8 * sizeof(BlockQ4_K); }
  void prefetch(size_t b) const {
    for (size_t off = 0; off < 8 * sizeof(BlockQ4_K); off += 64)
      _mm_prefetch(reinterpret_cast<const char*>(at(b) + kDecodePrefetchAhead + off), _MM_HINT_T0);
  }
  void load_scales(size_t b, RowScales& rs) const {
    const uint8_t* g = at(b);
    const __m256i v[3] = {_mm256_loadu_si256(reinterpret_cast<const __m256i*>(g + 32)),
                          _mm256_loadu_si256(reinterpret_cast<const __m256i*>(g + 64)),
                          _mm256_loadu_si256(reinterpret_cast<const __m256i*>(g + 96))};
    unpack_scales(v, rs);
    rs.d = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(g)));
    rs.dmin = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(g + 16)));
  }
  void load_chunk(size_t b, int c, __m256i w[8]) const {
    const uint8_t* v = at(b) + 128 + 256 * c;
    for (int k = 0; k < 8; ++k) w[k] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(v + 32 * k));
  }
};

// Eight rows x n_tokens tokens (at most kMaxTokens); out[t * out_stride + j] for row j, token t.
template <class Rows>
void tile_8_rows(const Rows& rows, const uint8_t* act, size_t act_stride, size_t nsb, size_t n_tokens, float* out,
                 size_t out_stride) {
  alignas(32) float acc[kMaxTokens][8];
  std::memset(acc, 0, n_tokens * sizeof acc[0]);
  alignas(32) int32_t isum[kMaxTokens][8];
  const __m256i nibble = _mm256_set1_epi8(0x0f);
  RowScales rs;
  for (size_t b = 0; b < nsb; ++b) {
    rows.prefetch(b);
    rows.load_scales(b, rs);
    std::memset(isum, 0, n_tokens * sizeof isum[0]);
    for (int c = 0; c < 4; ++c) {
      __m256i w[8];
      rows.load_chunk(b, c, w);
      for (int h = 0; h < 2; ++h) {
        __m256i q[8];
        for (int k = 0; k < 8; ++k) q[k] = _mm256_and_si256(h ? _mm256_srli_epi16(w[k], 4) : w[k], nibble);
        const __m256i scale = rs.scales[2 * c + h];
        const size_t y_off = 64 * c + 32 * h;
        for (size_t t = 0; t < n_tokens; ++t) {
          const int8_t* y = reinterpret_cast<const BlockQ8_K*>(act + t * act_stride)[b].qs + y_off;
          // int16 lanes cannot overflow: a maddubs pair is at most 2 * 15 * 128 = 3840, and
          // eight of them sum to at most 30720 < 32767.
          __m256i s = _mm256_maddubs_epi16(q[0], _mm256_set1_epi32(load_i32(y)));
          for (int k = 1; k < 8; ++k) s = _mm256_add_epi16(s, _mm256_maddubs_epi16(q[k], _mm256_set1_epi32(load_i32(y + 4 * k))));
          __m256i* sum = reinterpret_cast<__m256i*>(isum[t]);
          _mm256_store_si256(sum, _mm256_add_epi32(_mm256_load_si256(sum), _mm256_madd_epi16(s, scale)));
        }
      }
    }
    for (size_t t = 0; t < n_tokens; ++t) {
      const BlockQ8_K& y = reinterpret_cast<const BlockQ8_K*>(act + t * act_stride)[b];
      const __m256i m = mins_dot(rs.mins, y);
      const __m256 dy = _mm256_set1_ps(y.d);
      __m256 a = _mm256_load_ps(acc[t]);
      a = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_load_si256(reinterpret_cast<const __m256i*>(isum[t]))),
                          _mm256_mul_ps(rs.d, dy), a);
      a = _mm256_fnmadd_ps(_mm256_cvtepi32_ps(m), _mm256_mul_ps(rs.dmin, dy), a);
      _mm256_store_ps(acc[t], a);
    }
  }
  for (size_t t = 0; t < n_tokens; ++t) _mm256_storeu_ps(out + t * out_stride, _mm256_load_ps(acc[t]));
}

}  // namespace

void gemm_q4_k_q8_k_rows8(const void* w, size_t stride, size_t rows, const void* a, size_t a_stride, const int32_t*,
                          size_t tokens, size_t n, float* out, size_t out_stride) {
  const uint8_t* base = static_cast<const uint8_t*>(w);
  const uint8_t* act = static_cast<const uint8_t*>(a);
  const size_t nsb = n / kQK_K;
  size_t r = each_tile(rows, tokens, [&](size_t r8, size_t t, size_t nt) {
    tile_8_rows(FileRows{base + r8 * stride, stride}, act + t * a_stride, a_stride, nsb, nt, out + t * out_stride + r8, out_stride);
  });
  for (; r < rows; ++r)
    for (size_t t = 0; t < tokens; ++t)
      out[t * out_stride + r] = vec_dot_q4_k_q8_k(base + r * stride, act + t * a_stride, n);
}

void gemm_q4_k_q8_k_interleaved(const void* w, size_t stride, size_t rows, const void* a, size_t a_stride,
                                const int32_t*, size_t tokens, size_t n, float* out, size_t out_stride) {
  const uint8_t* base = static_cast<const uint8_t*>(w);
  const uint8_t* act = static_cast<const uint8_t*>(a);
  const size_t nsb = n / kQK_K;
  each_tile(rows, tokens, [&](size_t r8, size_t t, size_t nt) {
    tile_8_rows(InterleavedRows{base + r8 * stride}, act + t * a_stride, a_stride, nsb, nt, out + t * out_stride + r8, out_stride);
  });
}

}  // namespace hearth::engine::avx2
