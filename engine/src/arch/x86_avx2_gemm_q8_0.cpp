// Q8_0 weights x Q8_0 activations for prompt evaluation, AVX2: eight weight rows per vector, as
// the 4-bit kernels (x86_avx2_gemm_q4_0.cpp). Q8_0 matrices stay in the file's layout: decode
// reads them faster with the row-by-row gemv (x86_q8_kernels.inc) than interleaved (measured on
// the 110M shape: 180 against 144 tokens/s), and prompts pay only a transpose per block.
//
// Both operands are signed here, and AVX2's byte product (maddubs) needs one unsigned operand
// with products small enough for 16 bits. The weights' magnitudes |w| are the unsigned operand
// and each broadcast activation takes the weight's sign (sign_epi8), so |w| * sign(y, w) = w * y
// pairwise. One maddubs pair reaches 2 * 127 * 127 = 32258, so each product is widened to 32
// bits (madd with ones) before it is summed.
#include <immintrin.h>

#include <algorithm>
#include <cstddef>
#include <cstring>

#include "../quant_blocks.h"
#include "x86_avx2.h"
#include "x86_avx2_rows8.h"

namespace hearth::engine::avx2 {

namespace {

// Block b of eight rows: w[k] lane j = values 4k..4k+3 of row j; scale lane j = row j's d.
struct FileRows {
  const uint8_t* base;
  size_t stride;
  void load(size_t b, __m256i w[8], __m256& scale) const {
    const size_t block = b * sizeof(BlockQ8_0);
    transpose_8_rows_16_bytes(base, stride, block + offsetof(BlockQ8_0, qs), w);
    transpose_8_rows_16_bytes(base, stride, block + offsetof(BlockQ8_0, qs) + 16, w + 4);
    scale = gather_8_rows_f16(base, stride, block + offsetof(BlockQ8_0, d));
  }
};

// The eight rows' products with one token's block, as 32-bit sums; u[k] = |w[k]|.
inline __m256i block_dot(const __m256i w[8], const __m256i u[8], const BlockQ8_0& y) {
  const __m256i ones = _mm256_set1_epi16(1);
  __m256i dot = _mm256_setzero_si256();
  for (int k = 0; k < 8; ++k) {
    const __m256i yk = _mm256_sign_epi8(_mm256_set1_epi32(load_i32(y.qs + 4 * k)), w[k]);
    dot = _mm256_add_epi32(dot, _mm256_madd_epi16(_mm256_maddubs_epi16(u[k], yk), ones));
  }
  return dot;
}

// Eight rows x n_tokens tokens (at most kMaxTokens); out[t * out_stride + j] for row j, token t.
void tile_8_rows(const FileRows& rows, const uint8_t* act, size_t act_stride, size_t nb, size_t n_tokens, float* out,
                 size_t out_stride) {
  alignas(32) float acc[kMaxTokens][8];
  std::memset(acc, 0, n_tokens * sizeof acc[0]);
  for (size_t b = 0; b < nb; ++b) {
    __m256i w[8], u[8];
    __m256 dx;
    rows.load(b, w, dx);
    for (int k = 0; k < 8; ++k) u[k] = _mm256_abs_epi8(w[k]);
    for (size_t t = 0; t < n_tokens; ++t) {
      const BlockQ8_0& y = reinterpret_cast<const BlockQ8_0*>(act + t * act_stride)[b];
      const __m256 d = _mm256_mul_ps(dx, _mm256_set1_ps(_cvtsh_ss(y.d)));
      _mm256_store_ps(acc[t], _mm256_fmadd_ps(_mm256_cvtepi32_ps(block_dot(w, u, y)), d, _mm256_load_ps(acc[t])));
    }
  }
  for (size_t t = 0; t < n_tokens; ++t) _mm256_storeu_ps(out + t * out_stride, _mm256_load_ps(acc[t]));
}

}  // namespace

void gemm_q8_0_q8_0_rows8(const void* w, size_t stride, size_t rows, const void* a, size_t a_stride,
                          const int32_t* sums, size_t tokens, size_t n, float* out, size_t out_stride) {
  const uint8_t* base = static_cast<const uint8_t*>(w);
  const uint8_t* act = static_cast<const uint8_t*>(a);
  const size_t nb = n / kQK8_0;
  const size_t r = each_tile(rows, tokens, [&](size_t r8, size_t t, size_t nt) {
    tile_8_rows(FileRows{base + r8 * stride, stride}, act + t * a_stride, a_stride, nb, nt, out + t * out_stride + r8, out_stride);
  });
  if (r < rows) gemm_q8_0_q8_0(base + r * stride, stride, rows - r, a, a_stride, sums, tokens, n, out + r, out_stride);
}

}  // namespace hearth::engine::avx2
