// The block layouts of GGUF's quantized types, byte for byte as in the file format
// (ggml-common.h). Each has a static_assert on its size.
#pragma once

#include <cstdint>

namespace hearth::engine {

constexpr int kQK8_0 = 32;
struct BlockQ8_0 {
  uint16_t d;             // fp16 scale
  int8_t qs[kQK8_0];      // x = qs * d
};
static_assert(sizeof(BlockQ8_0) == 34);

constexpr int kQK4_0 = 32;
struct BlockQ4_0 {
  uint16_t d;             // fp16 scale
  uint8_t qs[kQK4_0 / 2]; // element j in the low nibble of qs[j], j+16 in the high; x = (q - 8) * d
};
static_assert(sizeof(BlockQ4_0) == 18);

constexpr int kQK_K = 256;  // super-block size of the K types
constexpr int kKScaleBytes = 12;
struct BlockQ4_K {
  uint16_t d;                    // fp16 super-block scale for the 6-bit scales
  uint16_t dmin;                 // fp16 super-block scale for the 6-bit mins
  uint8_t scales[kKScaleBytes];  // 8 scales and 8 mins of 32-element sub-blocks, 6 bits each
  uint8_t qs[kQK_K / 2];         // 4-bit values; x = d*scale*q - dmin*min
};
static_assert(sizeof(BlockQ4_K) == 144);

struct BlockQ6_K {
  uint8_t ql[kQK_K / 2];      // low 4 bits
  uint8_t qh[kQK_K / 4];      // high 2 bits
  int8_t scales[kQK_K / 16];  // 8-bit scales of 16-element sub-blocks
  uint16_t d;                 // fp16 super-block scale; x = d * scale * (q - 32)
};
static_assert(sizeof(BlockQ6_K) == 210);

// The activation format of the K-type dot products (never stored in model files).
struct BlockQ8_K {
  float d;                   // x = qs * d
  int8_t qs[kQK_K];
  int16_t bsums[kQK_K / 16]; // sums of groups of 16 qs, for the K types' min terms
};
static_assert(sizeof(BlockQ8_K) == 292);

}  // namespace hearth::engine
