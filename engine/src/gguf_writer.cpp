#include "hearth/engine/gguf_writer.h"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace hearth::engine {

namespace {

constexpr uint64_t kAlignment = 32;

template <class T>
void put(std::vector<uint8_t>& out, T v) {
  const size_t at = out.size();
  out.resize(at + sizeof(T));
  std::memcpy(out.data() + at, &v, sizeof(T));
}

void put_string(std::vector<uint8_t>& out, const std::string& s) {
  put<uint64_t>(out, s.size());
  out.insert(out.end(), s.begin(), s.end());
}

void put_key(std::vector<uint8_t>& out, const std::string& key, GgufValueType type) {
  put_string(out, key);
  put<uint32_t>(out, static_cast<uint32_t>(type));
}

void put_number(std::vector<uint8_t>& out, GgufValueType t, double v) {
  switch (t) {
    case GgufValueType::kU8: put<uint8_t>(out, static_cast<uint8_t>(v)); break;
    case GgufValueType::kI8: put<int8_t>(out, static_cast<int8_t>(v)); break;
    case GgufValueType::kU16: put<uint16_t>(out, static_cast<uint16_t>(v)); break;
    case GgufValueType::kI16: put<int16_t>(out, static_cast<int16_t>(v)); break;
    case GgufValueType::kU32: put<uint32_t>(out, static_cast<uint32_t>(v)); break;
    case GgufValueType::kI32: put<int32_t>(out, static_cast<int32_t>(v)); break;
    case GgufValueType::kF32: put<float>(out, static_cast<float>(v)); break;
    case GgufValueType::kBool: put<uint8_t>(out, v != 0.0 ? 1 : 0); break;
    case GgufValueType::kU64: put<uint64_t>(out, static_cast<uint64_t>(v)); break;
    case GgufValueType::kI64: put<int64_t>(out, static_cast<int64_t>(v)); break;
    case GgufValueType::kF64: put<double>(out, v); break;
    default: break;
  }
}

}  // namespace

void GgufWriter::set_string(const std::string& key, const std::string& value) {
  put_key(header_, key, GgufValueType::kString);
  put_string(header_, value);
  ++n_kv_;
}

void GgufWriter::set_u32(const std::string& key, uint32_t value) {
  put_key(header_, key, GgufValueType::kU32);
  put<uint32_t>(header_, value);
  ++n_kv_;
}

void GgufWriter::set_i32(const std::string& key, int32_t value) {
  put_key(header_, key, GgufValueType::kI32);
  put<int32_t>(header_, value);
  ++n_kv_;
}

void GgufWriter::set_f32(const std::string& key, float value) {
  put_key(header_, key, GgufValueType::kF32);
  put<float>(header_, value);
  ++n_kv_;
}

void GgufWriter::set_bool(const std::string& key, bool value) {
  put_key(header_, key, GgufValueType::kBool);
  put<uint8_t>(header_, value ? 1 : 0);
  ++n_kv_;
}

void GgufWriter::set_strings(const std::string& key, const std::vector<std::string>& values) {
  put_key(header_, key, GgufValueType::kArray);
  put<uint32_t>(header_, static_cast<uint32_t>(GgufValueType::kString));
  put<uint64_t>(header_, values.size());
  for (const auto& v : values) put_string(header_, v);
  ++n_kv_;
}

void GgufWriter::set_f32s(const std::string& key, const std::vector<float>& values) {
  put_key(header_, key, GgufValueType::kArray);
  put<uint32_t>(header_, static_cast<uint32_t>(GgufValueType::kF32));
  put<uint64_t>(header_, values.size());
  for (float v : values) put<float>(header_, v);
  ++n_kv_;
}

void GgufWriter::set_i32s(const std::string& key, const std::vector<int32_t>& values) {
  put_key(header_, key, GgufValueType::kArray);
  put<uint32_t>(header_, static_cast<uint32_t>(GgufValueType::kI32));
  put<uint64_t>(header_, values.size());
  for (int32_t v : values) put<int32_t>(header_, v);
  ++n_kv_;
}

void GgufWriter::set_value(const std::string& key, const GgufValue& value) {
  put_key(header_, key, value.type);
  if (const std::string* s = value.as_string()) {
    put_string(header_, *s);
  } else if (const GgufArray* a = value.as_array()) {
    put<uint32_t>(header_, static_cast<uint32_t>(a->element_type));
    put<uint64_t>(header_, a->size());
    if (a->element_type == GgufValueType::kString) {
      for (const auto& s2 : a->strings) put_string(header_, s2);
    } else {
      for (double d : a->numbers) put_number(header_, a->element_type, d);
    }
  } else if (auto* u = std::get_if<uint64_t>(&value.value)) {
    put_number(header_, value.type, static_cast<double>(*u));
    if (value.type == GgufValueType::kU64) {  // exact for large values
      header_.resize(header_.size() - 8);
      put<uint64_t>(header_, *u);
    }
  } else if (auto* i = std::get_if<int64_t>(&value.value)) {
    put_number(header_, value.type, static_cast<double>(*i));
    if (value.type == GgufValueType::kI64) {
      header_.resize(header_.size() - 8);
      put<int64_t>(header_, *i);
    }
  } else if (auto* d = std::get_if<double>(&value.value)) {
    put_number(header_, value.type, *d);
  } else if (auto* b = std::get_if<bool>(&value.value)) {
    put<uint8_t>(header_, *b ? 1 : 0);
  }
  ++n_kv_;
}

Result<void> GgufWriter::add_tensor(const std::string& name, std::vector<uint64_t> dims, TensorType type,
                                    std::span<const uint8_t> bytes) {
  const TensorTypeInfo& info = tensor_type_info(type);
  if (dims.empty() || dims.size() > 4) return fail(ErrorCode::kInvalidArgument, "tensor '" + name + "': 1 to 4 dimensions");
  uint64_t n = 1;
  for (auto d : dims) n *= d;
  if (dims[0] % info.block_size != 0)
    return fail(ErrorCode::kInvalidArgument, "tensor '" + name + "': row length is not a multiple of the block size");
  const uint64_t expect = n / info.block_size * info.block_bytes;
  if (bytes.size() != expect)
    return fail(ErrorCode::kInvalidArgument, "tensor '" + name + "': " + std::to_string(bytes.size()) +
                                                 " bytes given, " + std::to_string(expect) + " expected");
  tensors_.push_back({name, std::move(dims), type, std::vector<uint8_t>(bytes.begin(), bytes.end())});
  return {};
}

std::vector<uint8_t> GgufWriter::header_bytes() const {
  std::vector<uint8_t> out;
  out.reserve(24 + header_.size() + tensors_.size() * 64);
  put<uint32_t>(out, 0x46554747);  // "GGUF" read as a little-endian u32
  put<uint32_t>(out, 3);
  put<uint64_t>(out, tensors_.size());
  put<uint64_t>(out, n_kv_);
  out.insert(out.end(), header_.begin(), header_.end());
  uint64_t offset = 0;
  for (const Tensor& t : tensors_) {
    put_string(out, t.name);
    put<uint32_t>(out, static_cast<uint32_t>(t.dims.size()));
    for (auto d : t.dims) put<uint64_t>(out, d);
    put<uint32_t>(out, static_cast<uint32_t>(t.type));
    put<uint64_t>(out, offset);
    offset += (t.data.size() + kAlignment - 1) / kAlignment * kAlignment;
  }
  out.resize((out.size() + kAlignment - 1) / kAlignment * kAlignment, 0);
  return out;
}

std::vector<uint8_t> GgufWriter::to_bytes() const {
  std::vector<uint8_t> out = header_bytes();
  for (const Tensor& t : tensors_) {
    out.insert(out.end(), t.data.begin(), t.data.end());
    out.resize((out.size() + kAlignment - 1) / kAlignment * kAlignment, 0);
  }
  return out;
}

Result<void> GgufWriter::write(const std::string& path) const {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) return fail(ErrorCode::kIo, "cannot write " + tmp);
    const std::vector<uint8_t> header = header_bytes();
    f.write(reinterpret_cast<const char*>(header.data()), static_cast<std::streamsize>(header.size()));
    static const char kZeros[kAlignment] = {};
    for (const Tensor& t : tensors_) {
      f.write(reinterpret_cast<const char*>(t.data.data()), static_cast<std::streamsize>(t.data.size()));
      f.write(kZeros, static_cast<std::streamsize>((kAlignment - t.data.size() % kAlignment) % kAlignment));
    }
    if (!f) {
      std::remove(tmp.c_str());
      return fail(ErrorCode::kIo, "cannot write " + tmp + " (disk full?)");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return fail(ErrorCode::kIo, "cannot rename " + tmp + " to " + path + ": " + ec.message());
  return {};
}

}  // namespace hearth::engine
