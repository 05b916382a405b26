#include "interleave.h"

#include <cstring>

#include "quant_blocks.h"

namespace hearth::engine {

namespace {

// Moves bytes between the eight rows' blocks and a group. kToGroup: from rows to group;
// otherwise row `only` (< 8) is written back from the group (the other rows are not touched).
struct Mover {
  const uint8_t* rows_in;  // kToGroup
  uint8_t* rows_out;       // !kToGroup: row `only`, as if at row index `only`
  size_t row_bytes;
  bool to_group;
  size_t only;
  const uint8_t* group_in;
  uint8_t* group_out;

  void copy(size_t row, size_t row_offset, size_t group_offset, size_t n) const {
    if (to_group) std::memcpy(group_out + group_offset, rows_in + row * row_bytes + row_offset, n);
    else if (row == only) std::memcpy(rows_out + row_offset, group_in + group_offset, n);
  }
  // n_bytes (a multiple of 4) at row_offset of each row's block, as n_bytes / 4 vectors of 32
  // bytes: bytes 4k..4k+3 of row j at group[32k + 4j].
  void side_by_side(size_t row_offset, size_t n_bytes, size_t group_offset) const {
    for (size_t k = 0; k < n_bytes / 4; ++k)
      for (size_t j = 0; j < 8; ++j) copy(j, row_offset + 4 * k, group_offset + 32 * k + 4 * j, 4);
  }
  // n_bytes at row_offset of each row's block, byte-major: byte i of row j at group[8i + j].
  void byte_major(size_t row_offset, size_t n_bytes, size_t group_offset) const {
    for (size_t i = 0; i < n_bytes; ++i)
      for (size_t j = 0; j < 8; ++j) copy(j, row_offset + i, group_offset + 8 * i + j, 1);
  }
  // One field of field_bytes (at row_offset of each row's block) of the eight rows, one after
  // another.
  void field_of_rows(size_t row_offset, size_t field_bytes, size_t group_offset) const {
    for (size_t j = 0; j < 8; ++j) copy(j, row_offset, group_offset + j * field_bytes, field_bytes);
  }
};

Mover to_group(const uint8_t* rows, size_t row_bytes, uint8_t* dst) { return {rows, nullptr, row_bytes, true, 0, nullptr, dst}; }
Mover to_row(const uint8_t* group, size_t row_bytes, size_t j, uint8_t* row) {
  return {nullptr, row, row_bytes, false, j, group, nullptr};
}

// The layouts, one function per type, for both directions.
void move_q8_0(const Mover& m, size_t n) {
  for (size_t b = 0; b < n / kQK8_0; ++b) {
    const size_t block = b * sizeof(BlockQ8_0), group = 8 * block;
    m.field_of_rows(block + offsetof(BlockQ8_0, d), 2, group);
    m.side_by_side(block + offsetof(BlockQ8_0, qs), sizeof(BlockQ8_0::qs), group + 16);
  }
}

void move_q4_0(const Mover& m, size_t n) {
  for (size_t b = 0; b < n / kQK4_0; ++b) {
    const size_t block = b * sizeof(BlockQ4_0), group = 8 * block;
    m.field_of_rows(block + offsetof(BlockQ4_0, d), 2, group);
    m.side_by_side(block + offsetof(BlockQ4_0, qs), sizeof(BlockQ4_0::qs), group + 16);
  }
}

void move_q4_k(const Mover& m, size_t n) {
  for (size_t b = 0; b < n / kQK_K; ++b) {
    const size_t block = b * sizeof(BlockQ4_K), group = 8 * block;
    m.field_of_rows(block + offsetof(BlockQ4_K, d), 2, group);
    m.field_of_rows(block + offsetof(BlockQ4_K, dmin), 2, group + 16);
    m.side_by_side(block + offsetof(BlockQ4_K, scales), kKScaleBytes, group + 32);
    // Chunk c (32 value bytes per row) at 128 + 256c.
    for (size_t c = 0; c < 4; ++c) m.side_by_side(block + offsetof(BlockQ4_K, qs) + 32 * c, 32, group + 128 + 256 * c);
  }
}

void move_q6_k(const Mover& m, size_t n) {
  for (size_t b = 0; b < n / kQK_K; ++b) {
    const size_t block = b * sizeof(BlockQ6_K), group = 8 * block;
    m.field_of_rows(block + offsetof(BlockQ6_K, d), 2, group);
    m.byte_major(block + offsetof(BlockQ6_K, scales), sizeof(BlockQ6_K::scales), group + 16);
    // Half h at 144 + 768h: ql[64h, +32), ql[64h + 32, +32), qh[32h, +32), 256 bytes each.
    for (size_t h = 0; h < 2; ++h) {
      const size_t at = group + 144 + 768 * h;
      m.side_by_side(block + offsetof(BlockQ6_K, ql) + 64 * h, 32, at);
      m.side_by_side(block + offsetof(BlockQ6_K, ql) + 64 * h + 32, 32, at + 256);
      m.side_by_side(block + offsetof(BlockQ6_K, qh) + 32 * h, 32, at + 512);
    }
  }
}

}  // namespace

void interleave_q8_0(const uint8_t* rows, size_t row_bytes, size_t n, uint8_t* dst) {
  move_q8_0(to_group(rows, row_bytes, dst), n);
}
void interleave_q4_0(const uint8_t* rows, size_t row_bytes, size_t n, uint8_t* dst) {
  move_q4_0(to_group(rows, row_bytes, dst), n);
}
void interleave_q4_k(const uint8_t* rows, size_t row_bytes, size_t n, uint8_t* dst) {
  move_q4_k(to_group(rows, row_bytes, dst), n);
}

void interleave_q6_k(const uint8_t* rows, size_t row_bytes, size_t n, uint8_t* dst) {
  move_q6_k(to_group(rows, row_bytes, dst), n);
}

void row_of_q8_0(const uint8_t* group, size_t row_bytes, size_t n, size_t j, uint8_t* row) {
  move_q8_0(to_row(group, row_bytes, j, row), n);
}
void row_of_q4_0(const uint8_t* group, size_t row_bytes, size_t n, size_t j, uint8_t* row) {
  move_q4_0(to_row(group, row_bytes, j, row), n);
}
void row_of_q4_k(const uint8_t* group, size_t row_bytes, size_t n, size_t j, uint8_t* row) {
  move_q4_k(to_row(group, row_bytes, j, row), n);
}

void row_of_q6_k(const uint8_t* group, size_t row_bytes, size_t n, size_t j, uint8_t* row) {
  move_q6_k(to_row(group, row_bytes, j, row), n);
}

}  // namespace hearth::engine
