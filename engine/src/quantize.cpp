#include "hearth/engine/quantize.h"

#include <cstdlib>
#include <filesystem>

#include "hearth/engine/gguf.h"
#include "hearth/engine/gguf_writer.h"
#include "kernels.h"

namespace hearth::engine {

namespace {

// llama.cpp's llama_ftype numbers, written to general.file_type.
uint32_t file_type_of(TensorType t) {
  switch (t) {
    case TensorType::kF32: return 0;
    case TensorType::kF16: return 1;
    case TensorType::kQ4_0: return 2;
    case TensorType::kQ8_0: return 7;
    case TensorType::kQ4_K: return 15;  // Q4_K_M
    case TensorType::kQ6_K: return 18;
    case TensorType::kQ8_K: return 0;
  }
  return 0;
}

// llama.cpp's rule for which layers of a Q4_K_M model get more bits in attn_v and ffn_down: the
// first and last eighth, and every third layer between.
bool more_bits(int layer, int n_layer) {
  return layer < n_layer / 8 || layer >= 7 * n_layer / 8 || (layer - n_layer / 8) % 3 == 2;
}

int layer_of(const std::string& name) {
  if (name.rfind("blk.", 0) != 0) return -1;
  return std::atoi(name.c_str() + 4);
}

// The type a weight gets in a file of `target` ("Q4_K_M" mixes Q4_K and Q6_K), before the
// fallback for rows that are not a multiple of the block size.
TensorType type_for(const std::string& target, TensorType base, const std::string& name, int n_layer, bool tied) {
  if (target != "Q4_K_M") return base;
  const bool output = name == "output.weight" || (tied && name == "token_embd.weight");
  if (output) return TensorType::kQ6_K;
  const bool sensitive = name.find("attn_v.weight") != std::string::npos || name.find("ffn_down.weight") != std::string::npos;
  if (sensitive && more_bits(layer_of(name), n_layer)) return TensorType::kQ6_K;
  return TensorType::kQ4_K;
}

// Rows that do not split into the type's blocks: the nearest type that fits (as llama.cpp falls
// back from the K types for, e.g., 288-wide models).
TensorType fallback_for(TensorType t, uint64_t cols) {
  if (cols % tensor_type_info(t).block_size == 0) return t;
  if (t == TensorType::kQ4_K && cols % 32 == 0) return TensorType::kQ4_0;
  if (t == TensorType::kQ6_K && cols % 32 == 0) return TensorType::kQ8_0;
  return TensorType::kF16;
}

}  // namespace

Result<QuantizeReport> quantize_model(const std::string& in_path, const std::string& out_path, const std::string& type) {
  auto target = tensor_type_from_name(type == "Q4_K_M" ? "Q4_K" : type);
  if (!target || !kernels_for(*target).quantize || *target == TensorType::kQ8_K || type == "Q4_K")
    return fail(ErrorCode::kInvalidArgument,
                "cannot quantize to '" + type + "'; supported: Q8_0, Q4_0, Q4_K_M, Q6_K, F16, F32");
  std::error_code ec;
  if (std::filesystem::equivalent(in_path, out_path, ec))
    return fail(ErrorCode::kInvalidArgument, "the output must be a different file from the input");
  auto in = GgufFile::open(in_path);
  if (!in) return Fail(in.error());
  const GgufFile& f = **in;

  GgufWriter w;
  for (const auto& [key, value] : f.metadata()) {
    if (key == "general.file_type" || key == "general.quantization_version") continue;
    w.set_value(key, value);
  }
  w.set_u32("general.quantization_version", 2);
  w.set_u32("general.file_type", file_type_of(*target));

  QuantizeReport report;
  report.bytes_in = f.file_size();
  const std::string arch = f.get_string("general.architecture").value_or("llama");
  const int n_layer = static_cast<int>(f.get_uint(arch + ".block_count").value_or(0));
  const bool tied = f.find_tensor("output.weight") == nullptr;
  std::vector<float> row;
  std::vector<uint8_t> bytes;
  for (const GgufTensorInfo& t : f.tensors()) {
    const TensorTypeInfo& in_info = tensor_type_info(t.type);
    const uint64_t cols = t.dims[0], rows = t.rows();
    const TensorType out_type = fallback_for(type_for(type, *target, t.name, n_layer, tied), cols);
    const TensorTypeInfo& out_info = tensor_type_info(out_type);
    const QuantizeRowFn quantize = kernels_for(out_type).quantize;
    const bool quantizable = t.dims.size() >= 2;
    const uint8_t* src = f.tensor_data(t);
    if (!quantizable || t.type == out_type) {
      if (auto r = w.add_tensor(t.name, t.dims, t.type, std::span<const uint8_t>(src, t.n_bytes)); !r) return Fail(r.error());
      ++report.tensors_kept;
      continue;
    }
    row.resize(cols);
    bytes.resize(row_bytes(out_info, cols) * rows);
    const DequantizeRowFn dequantize = kernels_for(t.type).dequantize;
    for (uint64_t r = 0; r < rows; ++r) {
      dequantize(src + r * row_bytes(in_info, cols), row.data(), cols);
      quantize(row.data(), bytes.data() + r * row_bytes(out_info, cols), cols);
    }
    if (auto r = w.add_tensor(t.name, t.dims, out_type, bytes); !r) return Fail(r.error());
    ++report.tensors_quantized;
  }
  if (auto r = w.write(out_path); !r) return Fail(r.error());
  report.bytes_out = std::filesystem::file_size(out_path, ec);
  return report;
}

}  // namespace hearth::engine
