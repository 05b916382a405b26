// hearth/engine/tensor_type.h — the tensor element types of GGUF files (ggml's numbering).
//
// A row of n elements of a block type is n / block_size blocks of block_bytes each; n must be a
// multiple of block_size. Per-type kernels live in quant_*.cpp; the table in type_traits.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace hearth::engine {

enum class TensorType : uint32_t {
  kF32 = 0,
  kF16 = 1,
  kQ4_0 = 2,
  kQ8_0 = 8,
  kQ4_K = 12,
  kQ6_K = 14,
  kQ8_K = 15,  // activations of the K-type dot products; not a weight type
};

struct TensorTypeInfo {
  TensorType type;
  std::string_view name;  // "F32", "Q4_K", as llama.cpp prints them
  size_t block_size;      // elements per block
  size_t block_bytes;     // bytes per block
};

// nullptr for a type id this engine does not know (the reader refuses such tensors).
const TensorTypeInfo* tensor_type_info(uint32_t raw_type);
const TensorTypeInfo& tensor_type_info(TensorType type);
std::optional<TensorType> tensor_type_from_name(std::string_view name);

// Bytes of a row of n elements; precondition: n % block_size == 0.
inline size_t row_bytes(const TensorTypeInfo& t, size_t n) { return n / t.block_size * t.block_bytes; }

}  // namespace hearth::engine
