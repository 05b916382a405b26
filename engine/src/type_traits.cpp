// The one table indexed by tensor type: layout facts and kernels.
#include <array>
#include <cstdio>
#include <cstdlib>

#include "hearth/engine/tensor_type.h"
#include "kernels.h"
#include "quant_blocks.h"

namespace hearth::engine {

namespace {

constexpr std::array kInfos = {
    TensorTypeInfo{TensorType::kF32, "F32", 1, 4},
    TensorTypeInfo{TensorType::kF16, "F16", 1, 2},
    TensorTypeInfo{TensorType::kQ4_0, "Q4_0", kQK4_0, sizeof(BlockQ4_0)},
    TensorTypeInfo{TensorType::kQ8_0, "Q8_0", kQK8_0, sizeof(BlockQ8_0)},
    TensorTypeInfo{TensorType::kQ4_K, "Q4_K", kQK_K, sizeof(BlockQ4_K)},
    TensorTypeInfo{TensorType::kQ6_K, "Q6_K", kQK_K, sizeof(BlockQ6_K)},
    TensorTypeInfo{TensorType::kQ8_K, "Q8_K", kQK_K, sizeof(BlockQ8_K)},
};

const std::array kScalarKernels = {
    TypeKernels{TensorType::kF32, TensorType::kF32, dequantize_row_f32, quantize_row_f32, vec_dot_f32},
    TypeKernels{TensorType::kF16, TensorType::kF32, dequantize_row_f16, quantize_row_f16, vec_dot_f16_f32},
    TypeKernels{TensorType::kQ4_0, TensorType::kQ8_0, dequantize_row_q4_0, quantize_row_q4_0, vec_dot_q4_0_q8_0},
    TypeKernels{TensorType::kQ8_0, TensorType::kQ8_0, dequantize_row_q8_0, quantize_row_q8_0, vec_dot_q8_0_q8_0},
    TypeKernels{TensorType::kQ4_K, TensorType::kQ8_K, dequantize_row_q4_k, quantize_row_q4_k, vec_dot_q4_k_q8_k},
    TypeKernels{TensorType::kQ6_K, TensorType::kQ8_K, dequantize_row_q6_k, quantize_row_q6_k, vec_dot_q6_k_q8_k},
    // Activations only: no dot product of its own.
    TypeKernels{TensorType::kQ8_K, TensorType::kQ8_K, dequantize_row_q8_k, quantize_row_q8_k, nullptr},
};

[[noreturn]] void unknown_type(TensorType t) {
  std::fprintf(stderr, "hearth engine: no table entry for tensor type %u\n", static_cast<unsigned>(t));
  std::abort();
}

}  // namespace

const TensorTypeInfo* tensor_type_info(uint32_t raw_type) {
  for (const auto& i : kInfos)
    if (static_cast<uint32_t>(i.type) == raw_type) return &i;
  return nullptr;
}

const TensorTypeInfo& tensor_type_info(TensorType type) {
  if (auto* i = tensor_type_info(static_cast<uint32_t>(type))) return *i;
  unknown_type(type);
}

std::optional<TensorType> tensor_type_from_name(std::string_view name) {
  for (const auto& i : kInfos)
    if (i.name == name) return i.type;
  return std::nullopt;
}

namespace {
struct Tables {
  std::array<TypeKernels, kScalarKernels.size()> kernels = kScalarKernels;
  VectorOps ops{attend_f16, silu_mul, to_f16};
  Tables() { install_simd_kernels(kernels.data(), kernels.size(), ops); }
};
const Tables& tables() {
  static const Tables t;  // initialised once, thread-safe
  return t;
}
}  // namespace

const TypeKernels& kernels_for(TensorType type) {
  for (const auto& k : tables().kernels)
    if (k.type == type) return k;
  unknown_type(type);
}

const VectorOps& vector_ops() { return tables().ops; }

}  // namespace hearth::engine
