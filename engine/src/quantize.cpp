#include "hearth/engine/quantize.h"

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
  }
  return 0;
}

}  // namespace

Result<QuantizeReport> quantize_model(const std::string& in_path, const std::string& out_path, const std::string& type) {
  auto target = tensor_type_from_name(type);
  if (!target || !kernels_for(*target).quantize)
    return fail(ErrorCode::kInvalidArgument, "cannot quantize to '" + type + "'; supported: Q8_0, Q4_0, F16, F32");
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
  const TensorTypeInfo& out_info = tensor_type_info(*target);
  const QuantizeRowFn quantize = kernels_for(*target).quantize;
  std::vector<float> row;
  std::vector<uint8_t> bytes;
  for (const GgufTensorInfo& t : f.tensors()) {
    const TensorTypeInfo& in_info = tensor_type_info(t.type);
    const uint64_t cols = t.dims[0], rows = t.rows();
    const bool quantizable = t.dims.size() >= 2 && cols % out_info.block_size == 0;
    const uint8_t* src = f.tensor_data(t);
    if (!quantizable || t.type == *target) {
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
    if (auto r = w.add_tensor(t.name, t.dims, *target, bytes); !r) return Fail(r.error());
    ++report.tensors_quantized;
  }
  if (auto r = w.write(out_path); !r) return Fail(r.error());
  report.bytes_out = std::filesystem::file_size(out_path, ec);
  return report;
}

}  // namespace hearth::engine
