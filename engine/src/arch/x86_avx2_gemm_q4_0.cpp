// Q4_0 weights x Q8_0 activations, AVX2: eight weight rows per vector.
//
// The row-by-row kernels (x86_q8_kernels.inc) keep one row in a vector and pay, for every
// 32-element block of every (row, token) pair, a sign fix-up, a float conversion, a scale product
// and a horizontal sum at the end. Here lane j of a vector belongs to row j: four consecutive
// 4-bit values of each row per 32-bit lane. The token's four matching activation bytes are
// broadcast to all lanes, one maddubs multiplies all eight rows, and the block scale is applied
// once per eight rows. The rows come either in the file's layout, transposed in registers at
// every block (a few shuffles, shared by the tokens of a prompt), or interleaved at load time
// (interleave.h), loaded as they are: what decode uses.
//
// The 4-bit values stay unsigned (q in 0..15, as stored) so maddubs can take them as its unsigned
// operand; the format's -8 offset comes back through the activation block sums:
// sum((q - 8) * y) = sum(q * y) - 8 * sum(y).
#include <immintrin.h>

#include <algorithm>
#include <cstddef>
#include <cstring>

#include "../quant_blocks.h"
#include "x86_avx2.h"
#include "x86_avx2_rows8.h"

namespace hearth::engine::avx2 {

namespace {

inline void split_nibbles(const __m256i w[4], __m256i q[8]) {
  const __m256i nibble = _mm256_set1_epi8(0x0f);
  for (int k = 0; k < 4; ++k) {
    q[k] = _mm256_and_si256(w[k], nibble);
    q[k + 4] = _mm256_and_si256(_mm256_srli_epi16(w[k], 4), nibble);
  }
}

// Block b of eight rows: q[k] lane j = values 4k..4k+3 of row j (k < 4, low nibbles), q[k + 4]
// lane j = values 16+4k..16+4k+3 (high nibbles); scale lane j = row j's d.
struct FileRows {
  const uint8_t* base;
  size_t stride;
  void prefetch(size_t) const {}
  void load(size_t b, __m256i q[8], __m256& scale) const {
    const size_t block = b * sizeof(BlockQ4_0);
    __m256i w[4];
    transpose_8_rows_16_bytes(base, stride, block + offsetof(BlockQ4_0, qs), w);
    split_nibbles(w, q);
    scale = gather_8_rows_f16(base, stride, block + offsetof(BlockQ4_0, d));
  }
};

struct InterleavedRows {
  const uint8_t* group;
  void prefetch(size_t b) const {
    const uint8_t* g = group + b * 8 * sizeof(BlockQ4_0) + kDecodePrefetchAhead;
    for (size_t off = 0; off < 8 * sizeof(BlockQ4_0); off += 64) _mm_prefetch(reinterpret_cast<const char*>(g + off), _MM_HINT_T0);
  }
  void load(size_t b, __m256i q[8], __m256& scale) const {
    const uint8_t* g = group + b * 8 * sizeof(BlockQ4_0);
    scale = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(g)));
    __m256i w[4];
    for (int k = 0; k < 4; ++k) w[k] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(g + 16 + 32 * k));
    split_nibbles(w, q);
  }
};

// The eight rows' products with one token's block b, as 32-bit sums of (q - 8) * y.
inline __m256i block_dot(const __m256i q[8], const BlockQ8_0& y, int32_t y_sum) {
  // int16 lanes cannot overflow: each maddubs pair is at most 2 * 15 * 127 = 3810, and eight of
  // them sum to at most 30480 < 32767.
  __m256i s = _mm256_maddubs_epi16(q[0], _mm256_set1_epi32(load_i32(y.qs)));
  for (int k = 1; k < 4; ++k) s = _mm256_add_epi16(s, _mm256_maddubs_epi16(q[k], _mm256_set1_epi32(load_i32(y.qs + 4 * k))));
  for (int k = 0; k < 4; ++k)
    s = _mm256_add_epi16(s, _mm256_maddubs_epi16(q[k + 4], _mm256_set1_epi32(load_i32(y.qs + 16 + 4 * k))));
  return _mm256_sub_epi32(_mm256_madd_epi16(s, _mm256_set1_epi16(1)), _mm256_set1_epi32(8 * y_sum));
}

// Eight rows x n_tokens tokens (at most kMaxTokens); out[t * out_stride + j] for row j, token t.
// Each block of the eight rows is loaded once and multiplied with every token; the tokens'
// accumulators live in L1 between blocks.
template <class Rows>
void tile_8_rows(const Rows& rows, const uint8_t* act, size_t act_stride, const int32_t* sums, size_t nb,
                 size_t n_tokens, float* out, size_t out_stride) {
  alignas(32) float acc[kMaxTokens][8];
  std::memset(acc, 0, n_tokens * sizeof acc[0]);
  for (size_t b = 0; b < nb; ++b) {
    __m256i q[8];
    __m256 dx;
    rows.load(b, q, dx);
    for (size_t t = 0; t < n_tokens; ++t) {
      const BlockQ8_0& y = reinterpret_cast<const BlockQ8_0*>(act + t * act_stride)[b];
      const __m256 d = _mm256_mul_ps(dx, _mm256_set1_ps(_cvtsh_ss(y.d)));
      _mm256_store_ps(acc[t], _mm256_fmadd_ps(_mm256_cvtepi32_ps(block_dot(q, y, sums[t * nb + b])), d,
                                              _mm256_load_ps(acc[t])));
    }
  }
  for (size_t t = 0; t < n_tokens; ++t) _mm256_storeu_ps(out + t * out_stride, _mm256_load_ps(acc[t]));
}

// Eight rows x one token (decode), the accumulator in a register.
template <class Rows>
void rows_8_one_token(const Rows& rows, const BlockQ8_0* y, const int32_t* sums, size_t nb, float* out) {
  __m256 acc = _mm256_setzero_ps();
  for (size_t b = 0; b < nb; ++b) {
    rows.prefetch(b);
    __m256i q[8];
    __m256 dx;
    rows.load(b, q, dx);
    const __m256 d = _mm256_mul_ps(dx, _mm256_set1_ps(_cvtsh_ss(y[b].d)));
    acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(block_dot(q, y[b], sums[b])), d, acc);
  }
  _mm256_storeu_ps(out, acc);
}

}  // namespace

void gemm_q4_0_q8_0_rows8(const void* w, size_t stride, size_t rows, const void* a, size_t a_stride,
                          const int32_t* sums, size_t tokens, size_t n, float* out, size_t out_stride) {
  if (sums == nullptr) return gemm_q4_0_q8_0(w, stride, rows, a, a_stride, sums, tokens, n, out, out_stride);
  const uint8_t* base = static_cast<const uint8_t*>(w);
  const uint8_t* act = static_cast<const uint8_t*>(a);
  const size_t nb = n / kQK4_0;
  const size_t r = each_tile(rows, tokens, [&](size_t r8, size_t t, size_t nt) {
    tile_8_rows(FileRows{base + r8 * stride, stride}, act + t * a_stride, a_stride, sums + t * nb, nb, nt,
                out + t * out_stride + r8, out_stride);
  });
  if (r < rows) gemm_q4_0_q8_0(base + r * stride, stride, rows - r, a, a_stride, sums, tokens, n, out + r, out_stride);
}

void gemm_q4_0_q8_0_interleaved(const void* w, size_t stride, size_t rows, const void* a, size_t a_stride,
                                const int32_t* sums, size_t tokens, size_t n, float* out, size_t out_stride) {
  const uint8_t* base = static_cast<const uint8_t*>(w);
  const uint8_t* act = static_cast<const uint8_t*>(a);
  const size_t nb = n / kQK4_0;
  each_tile(rows, tokens, [&](size_t r8, size_t t, size_t nt) {
    const InterleavedRows group{base + r8 * stride};
    if (tokens == 1) rows_8_one_token(group, static_cast<const BlockQ8_0*>(a), sums, nb, out + r8);
    else tile_8_rows(group, act + t * a_stride, a_stride, sums + t * nb, nb, nt, out + t * out_stride + r8, out_stride);
  });
}

}  // namespace hearth::engine::avx2
