// hearth/engine/gguf.h — a validating reader of GGUF v2/v3 model files over mmap.
//
// Everything is checked before use: magic, version, counts, string lengths, array sizes, tensor
// dimensions (no overflow), element counts against the block size, tensor types, alignment, and
// that every tensor's bytes lie inside the file without overlapping another. A bad file yields
// ErrorCode::kBadFormat (or kUnsupported for a valid feature this engine lacks) with a message
// naming the byte offset or the tensor/key; the reader never reads outside the buffer.
//
// Ownership: GgufFile owns the mapping; tensor data pointers stay valid while it lives.
// Thread-safety: immutable after open(); any number of threads may read it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "hearth/engine/error.h"
#include "hearth/engine/tensor_type.h"

namespace hearth::engine {

// GGUF metadata value types (the numbers are the file format's).
enum class GgufValueType : uint32_t {
  kU8 = 0, kI8 = 1, kU16 = 2, kI16 = 3, kU32 = 4, kI32 = 5, kF32 = 6, kBool = 7,
  kString = 8, kArray = 9, kU64 = 10, kI64 = 11, kF64 = 12,
};
const char* to_string(GgufValueType t);

// One metadata value. Integers of every width are held as int64_t/uint64_t, floats as double.
// Arrays hold elements of a single scalar or string type (nested arrays are refused).
struct GgufArray {
  GgufValueType element_type = GgufValueType::kU8;
  std::vector<std::string> strings;  // element_type == kString
  std::vector<double> numbers;       // every other type (bool as 0/1, ints exactly up to 2^53)
  size_t size() const { return element_type == GgufValueType::kString ? strings.size() : numbers.size(); }
};

struct GgufValue {
  GgufValueType type = GgufValueType::kU8;
  std::variant<uint64_t, int64_t, double, bool, std::string, GgufArray> value;

  // Typed access; nullopt when the value is of another kind.
  std::optional<uint64_t> as_uint() const;  // any non-negative integer
  std::optional<int64_t> as_int() const;    // any integer that fits
  std::optional<double> as_float() const;   // any number
  const std::string* as_string() const;
  const GgufArray* as_array() const;
};

struct GgufTensorInfo {
  std::string name;
  std::vector<uint64_t> dims;   // ggml order: dims[0] is the row length (contiguous)
  TensorType type = TensorType::kF32;
  uint64_t offset = 0;          // absolute byte offset in the file
  uint64_t n_elements = 0;
  uint64_t n_bytes = 0;
  uint64_t rows() const { return dims.empty() ? 0 : n_elements / dims[0]; }
};

class GgufFile {
 public:
  // Maps and validates a file.
  static Result<std::unique_ptr<GgufFile>> open(const std::string& path);
  // Validates a buffer in memory; the GgufFile keeps its own copy.
  static Result<std::unique_ptr<GgufFile>> parse(std::span<const uint8_t> bytes, std::string name = "<memory>");
  ~GgufFile();
  GgufFile(const GgufFile&) = delete;
  GgufFile& operator=(const GgufFile&) = delete;

  const std::string& path() const { return path_; }
  uint32_t version() const { return version_; }
  uint64_t file_size() const { return size_; }
  uint64_t alignment() const { return alignment_; }
  uint64_t data_offset() const { return data_offset_; }

  // Metadata in file order.
  const std::vector<std::pair<std::string, GgufValue>>& metadata() const { return kv_; }
  const GgufValue* find(const std::string& key) const;
  std::optional<std::string> get_string(const std::string& key) const;
  std::optional<uint64_t> get_uint(const std::string& key) const;
  std::optional<double> get_float(const std::string& key) const;
  const GgufArray* get_array(const std::string& key) const;

  const std::vector<GgufTensorInfo>& tensors() const { return tensors_; }
  const GgufTensorInfo* find_tensor(const std::string& name) const;
  // The tensor's first byte inside the mapping; n_bytes of it are readable.
  const uint8_t* tensor_data(const GgufTensorInfo& t) const { return base_ + t.offset; }
  // Tells the OS this process no longer needs these bytes of a mapped file: their whole pages
  // leave its resident memory (read again from the file if touched). No-op for parsed buffers.
  void release(const uint8_t* data, uint64_t n_bytes) const;

 private:
  GgufFile() = default;
  Result<void> parse_all();

  std::string path_;
  const uint8_t* base_ = nullptr;
  uint64_t size_ = 0;
  void* mapping_ = nullptr;            // mmap'd region, or nullptr
  std::vector<uint8_t> owned_;         // copy for parse()
  uint32_t version_ = 0;
  uint64_t alignment_ = 32;
  uint64_t data_offset_ = 0;
  std::vector<std::pair<std::string, GgufValue>> kv_;
  std::map<std::string, size_t, std::less<>> kv_index_;
  std::vector<GgufTensorInfo> tensors_;
  std::map<std::string, size_t, std::less<>> tensor_index_;
};

}  // namespace hearth::engine
