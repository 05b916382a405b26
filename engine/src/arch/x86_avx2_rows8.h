// What the AVX2 8-row kernels (x86_avx2_gemm_*.cpp) share: they put one weight row in each
// 32-bit lane of a vector, eight rows at a time, and multiply up to kMaxTokens tokens per pass.
// Include only from files compiled with AVX2.
#pragma once

#include <immintrin.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace hearth::engine::avx2 {

// Tokens per pass of a tile; their accumulators (8 floats each) live in L1 between blocks.
constexpr size_t kMaxTokens = 64;

// Decode reads each interleaved group once from DRAM, and the kernels ask for the bytes this far
// ahead of the block they compute (the hardware prefetcher alone runs too short a distance ahead
// of these loops). Measured on an Intel Xeon host with the weights on 2 MiB pages
// (benchmarks/results/engine.md, 2026-12-05): 4096 bytes ahead, the distance before, left
// one-thread decode of 500M Q4_K_M at 28 tokens/s (2048: 42; 1152: 43, but the 110M shape loses
// a fifth there); Q4_0 is flat from 2048 to 4096.
constexpr size_t kDecodePrefetchAhead = 2048;

// Four activation bytes, to broadcast to all lanes.
inline int32_t load_i32(const int8_t* p) {
  int32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// Two 16-bit values in every 32-bit lane (lo in the low half), a madd operand.
inline __m256i pair_i16(int16_t lo, int16_t hi) {
  return _mm256_set1_epi32(static_cast<int32_t>(static_cast<uint16_t>(lo) | (static_cast<uint32_t>(static_cast<uint16_t>(hi)) << 16)));
}

// Calls tile(r, t, n) for rows r = 0, 8, ... while eight rows are left, and tokens t = 0,
// kMaxTokens, ..., n of them; returns the first row left over (rows - rows % 8).
template <class Tile>
inline size_t each_tile(size_t rows, size_t tokens, Tile&& tile) {
  size_t r = 0;
  for (; r + 8 <= rows; r += 8)
    for (size_t t = 0; t < tokens; t += kMaxTokens) tile(r, t, std::min(kMaxTokens, tokens - t));
  return r;
}

// The 16 bytes at row_offset of eight rows (stride bytes apart from base) as four vectors:
// lane j of out[k] holds bytes 4k..4k+3 of row j.
inline void transpose_8_rows_16_bytes(const uint8_t* base, size_t stride, size_t row_offset, __m256i out[4]) {
  const auto pair = [&](int lo, int hi) {
    const auto at = [&](int r) { return reinterpret_cast<const __m128i*>(base + r * stride + row_offset); };
    return _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128(at(lo))), _mm_loadu_si128(at(hi)), 1);
  };
  // 128-bit halves: rows 0-3 low, rows 4-7 high; then a 4x4 transpose of 32-bit words per half.
  const __m256i r04 = pair(0, 4), r15 = pair(1, 5), r26 = pair(2, 6), r37 = pair(3, 7);
  const __m256i a_lo = _mm256_unpacklo_epi32(r04, r15), a_hi = _mm256_unpackhi_epi32(r04, r15);
  const __m256i b_lo = _mm256_unpacklo_epi32(r26, r37), b_hi = _mm256_unpackhi_epi32(r26, r37);
  out[0] = _mm256_unpacklo_epi64(a_lo, b_lo);
  out[1] = _mm256_unpackhi_epi64(a_lo, b_lo);
  out[2] = _mm256_unpacklo_epi64(a_hi, b_hi);
  out[3] = _mm256_unpackhi_epi64(a_hi, b_hi);
}

// Eight fp16 values, one per row (at row_offset of each row), as floats in lane order.
inline __m256 gather_8_rows_f16(const uint8_t* base, size_t stride, size_t row_offset) {
  // Inserted one by one: eight 2-byte stores to a buffer and one 16-byte load of it would stall
  // on store forwarding at every block.
  const auto at = [&](int r) {
    uint16_t h;
    __builtin_memcpy(&h, base + r * stride + row_offset, 2);
    return static_cast<short>(h);
  };
  return _mm256_cvtph_ps(_mm_setr_epi16(at(0), at(1), at(2), at(3), at(4), at(5), at(6), at(7)));
}

}  // namespace hearth::engine::avx2
