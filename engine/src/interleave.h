// Eight rows of a weight matrix side by side (private to the engine).
//
// The 8-row kernels (arch/x86_avx2_gemm_*.cpp) keep one row in each 32-bit lane of a vector.
// Model loading can store a matrix's rows that way once ("interleaved"), so that the kernels
// load their vectors directly instead of transposing eight rows at every block; decode, which
// multiplies each block with a single token, gains the most. Per block index b of a group of
// eight rows, the group holds the eight rows' block-b scales, then their values as 32-byte vectors
// in which bytes 4k..4k+3 of row j's values sit at offset 4j of vector k. A group takes exactly
// the bytes of its eight rows, so row 8g's offset in the matrix is group g's offset.
#pragma once

#include <cstddef>
#include <cstdint>

namespace hearth::engine {

// rows: eight rows, row_bytes apart; n: values per row (a multiple of the type's block size);
// dst: 8 * row_bytes bytes.
// Q8_0 block b: the eight fp16 scales (16 bytes), then 8 vectors of the 32 value bytes.
void interleave_q8_0(const uint8_t* rows, size_t row_bytes, size_t n, uint8_t* dst);
// Q4_0 block b: the eight fp16 scales (16 bytes), then 4 vectors of the 16 value bytes.
void interleave_q4_0(const uint8_t* rows, size_t row_bytes, size_t n, uint8_t* dst);
// Q4_K super-block b: the eight d (16 bytes), the eight dmin (16 bytes), the 12 packed scale bytes
// as 3 vectors (so the kernels unpack eight rows' scales at once), then the 128 value bytes as 4
// chunks of 8 vectors.
void interleave_q4_k(const uint8_t* rows, size_t row_bytes, size_t n, uint8_t* dst);
// Q6_K super-block b: the eight d (16 bytes), the 16 scales of the eight rows scale by scale (the
// eight rows' scale s at 16 + 8s), then per half h (128 values): ql[64h, +32), ql[64h + 32, +32) and qh[32h, +32),
// 8 vectors each.
void interleave_q6_k(const uint8_t* rows, size_t row_bytes, size_t n, uint8_t* dst);

// The inverse, for one row: row j (< 8) of the group at `group` back in the file's layout
// (row_bytes bytes), e.g. to look up one token's embedding in an interleaved tied matrix.
void row_of_q8_0(const uint8_t* group, size_t row_bytes, size_t n, size_t j, uint8_t* row);
void row_of_q4_0(const uint8_t* group, size_t row_bytes, size_t n, size_t j, uint8_t* row);
void row_of_q4_k(const uint8_t* group, size_t row_bytes, size_t n, size_t j, uint8_t* row);
void row_of_q6_k(const uint8_t* group, size_t row_bytes, size_t n, size_t j, uint8_t* row);

}  // namespace hearth::engine
