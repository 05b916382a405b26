// hearth/engine/quantize.h — post-training quantization of a GGUF model (`hearth llm quantize`).
//
// Weight matrices (2-D tensors whose rows fit the block size) are converted to the target type
// with the reference quantizers of the type table; norms, biases and other 1-D tensors stay F32.
// All metadata is copied, general.file_type is set as llama.cpp sets it, so the output loads in
// other GGUF runtimes.
#pragma once

#include <cstdint>
#include <string>

#include "hearth/engine/error.h"

namespace hearth::engine {

struct QuantizeReport {
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  int tensors_quantized = 0;
  int tensors_kept = 0;
};

// type: "Q8_0", "Q4_0", "Q4_K_M" (Q4_K, with Q6_K for the output and, in some layers, attn_v and
// ffn_down, as llama.cpp mixes them), "Q6_K", "F16", "F32". Rows that do not split into 256-value
// blocks fall back to Q4_0 (for Q4_K) or Q8_0 (for Q6_K). kInvalidArgument for another type.
Result<QuantizeReport> quantize_model(const std::string& in_path, const std::string& out_path, const std::string& type);

}  // namespace hearth::engine
