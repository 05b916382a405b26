// hearth/engine/gguf_writer.h — writes GGUF v3 files (quantize, make-test-model, tests).
//
// Metadata is written in the order it was added, then the tensor infos, then the data, each
// tensor aligned to general.alignment (32). Tensor data is copied when added; write() streams it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "hearth/engine/error.h"
#include "hearth/engine/gguf.h"

namespace hearth::engine {

class GgufWriter {
 public:
  void set_string(const std::string& key, const std::string& value);
  void set_u32(const std::string& key, uint32_t value);
  void set_i32(const std::string& key, int32_t value);
  void set_f32(const std::string& key, float value);
  void set_bool(const std::string& key, bool value);
  void set_strings(const std::string& key, const std::vector<std::string>& values);
  void set_f32s(const std::string& key, const std::vector<float>& values);
  void set_i32s(const std::string& key, const std::vector<int32_t>& values);
  // Copies a metadata value read from another file.
  void set_value(const std::string& key, const GgufValue& value);

  // dims in ggml order (dims[0] = row length). bytes must be exactly the tensor's size.
  Result<void> add_tensor(const std::string& name, std::vector<uint64_t> dims, TensorType type,
                          std::span<const uint8_t> bytes);

  // Writes the file (to path + ".tmp", then renamed, so a failure leaves no half file).
  Result<void> write(const std::string& path) const;
  // The whole file in memory (tests and fuzz seeds).
  std::vector<uint8_t> to_bytes() const;

 private:
  std::vector<uint8_t> header_bytes() const;  // everything before the tensor data
  struct Tensor {
    std::string name;
    std::vector<uint64_t> dims;
    TensorType type;
    std::vector<uint8_t> data;
  };
  std::vector<uint8_t> header_;  // serialised metadata entries
  uint64_t n_kv_ = 0;
  std::vector<Tensor> tensors_;
};

}  // namespace hearth::engine
