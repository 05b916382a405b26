// GGUF reader. Format: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md
//   header:  magic "GGUF", u32 version, u64 tensor_count, u64 metadata_kv_count
//   kv:      string key, u32 value type, value   (string = u64 length + bytes)
//   tensors: string name, u32 n_dims, u64 dims[n_dims], u32 type, u64 offset
//   data:    at the next multiple of general.alignment (default 32); offsets relative to it.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "hearth/engine/gguf.h"

namespace hearth::engine {

namespace {

constexpr uint64_t kMaxDims = 4;             // ggml's GGML_MAX_DIMS
constexpr uint64_t kMaxStringBytes = 1 << 30;

// Reads little-endian values from a bounded buffer; every read is checked.
class Cursor {
 public:
  Cursor(const uint8_t* p, uint64_t size, const std::string& name) : p_(p), size_(size), name_(name) {}
  uint64_t pos() const { return pos_; }
  uint64_t remaining() const { return size_ - pos_; }

  template <class T>
  Result<T> read(const char* what) {
    if (remaining() < sizeof(T)) return truncated(what, sizeof(T));
    T v;
    std::memcpy(&v, p_ + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }

  Result<std::string> read_string(const char* what) {
    const uint64_t at = pos_;
    auto len = read<uint64_t>(what);
    if (!len) return Fail(len.error());
    if (len.value() > remaining() || len.value() > kMaxStringBytes)
      return fail(ErrorCode::kBadFormat, name_ + ": at byte " + std::to_string(at) + ": " + what + " has length " +
                                             std::to_string(len.value()) + ", past the end of the file (" +
                                             std::to_string(size_) + " bytes)");
    std::string s(reinterpret_cast<const char*>(p_ + pos_), static_cast<size_t>(len.value()));
    pos_ += len.value();
    return s;
  }

  Fail<Error> error(const std::string& msg, uint64_t at) const {
    return fail(ErrorCode::kBadFormat, name_ + ": at byte " + std::to_string(at) + ": " + msg);
  }

 private:
  Fail<Error> truncated(const char* what, size_t need) const {
    return fail(ErrorCode::kBadFormat, name_ + ": at byte " + std::to_string(pos_) + ": the file ends inside " +
                                           what + " (needs " + std::to_string(need) + " bytes, " +
                                           std::to_string(remaining()) + " left); it is truncated");
  }
  const uint8_t* p_;
  uint64_t size_;
  uint64_t pos_ = 0;
  const std::string& name_;
};

size_t scalar_size(GgufValueType t) {
  switch (t) {
    case GgufValueType::kU8: case GgufValueType::kI8: case GgufValueType::kBool: return 1;
    case GgufValueType::kU16: case GgufValueType::kI16: return 2;
    case GgufValueType::kU32: case GgufValueType::kI32: case GgufValueType::kF32: return 4;
    case GgufValueType::kU64: case GgufValueType::kI64: case GgufValueType::kF64: return 8;
    default: return 0;
  }
}

bool known_value_type(uint32_t t) { return t <= 12; }

// Reads one scalar of type t as a GgufValue payload.
Result<GgufValue> read_scalar(Cursor& c, GgufValueType t, const char* what) {
  GgufValue v;
  v.type = t;
  auto get = [&](auto tag) -> Result<decltype(tag)> { return c.read<decltype(tag)>(what); };
#define HEARTH_SCALAR(TYPE, CTYPE, STORE)       \
  case GgufValueType::TYPE: {                   \
    auto r = get(CTYPE{});                      \
    if (!r) return Fail(r.error());             \
    v.value = STORE(r.value());                 \
    return v;                                   \
  }
  switch (t) {
    HEARTH_SCALAR(kU8, uint8_t, uint64_t)
    HEARTH_SCALAR(kI8, int8_t, int64_t)
    HEARTH_SCALAR(kU16, uint16_t, uint64_t)
    HEARTH_SCALAR(kI16, int16_t, int64_t)
    HEARTH_SCALAR(kU32, uint32_t, uint64_t)
    HEARTH_SCALAR(kI32, int32_t, int64_t)
    HEARTH_SCALAR(kU64, uint64_t, uint64_t)
    HEARTH_SCALAR(kI64, int64_t, int64_t)
    HEARTH_SCALAR(kF32, float, double)
    HEARTH_SCALAR(kF64, double, double)
    case GgufValueType::kBool: {
      auto r = get(uint8_t{});
      if (!r) return Fail(r.error());
      if (r.value() > 1) return c.error(std::string(what) + " is a bool with value " + std::to_string(r.value()), c.pos() - 1);
      v.value = r.value() != 0;
      return v;
    }
    default: break;
  }
#undef HEARTH_SCALAR
  return c.error(std::string(what) + " has an unexpected type", c.pos());
}

double number_of(const GgufValue& v) {
  if (auto* u = std::get_if<uint64_t>(&v.value)) return static_cast<double>(*u);
  if (auto* i = std::get_if<int64_t>(&v.value)) return static_cast<double>(*i);
  if (auto* d = std::get_if<double>(&v.value)) return *d;
  if (auto* b = std::get_if<bool>(&v.value)) return *b ? 1.0 : 0.0;
  return 0.0;
}

Result<GgufValue> read_value(Cursor& c, uint32_t raw_type, const std::string& key) {
  const uint64_t at = c.pos();
  if (!known_value_type(raw_type))
    return c.error("metadata '" + key + "' has unknown value type " + std::to_string(raw_type) + " (known: 0..12)", at - 4);
  auto t = static_cast<GgufValueType>(raw_type);
  if (t == GgufValueType::kString) {
    auto s = c.read_string("a metadata string");
    if (!s) return Fail(s.error());
    GgufValue v;
    v.type = t;
    v.value = std::move(s).value();
    return v;
  }
  if (t != GgufValueType::kArray) return read_scalar(c, t, "a metadata value");

  auto et = c.read<uint32_t>("an array element type");
  if (!et) return Fail(et.error());
  auto n = c.read<uint64_t>("an array length");
  if (!n) return Fail(n.error());
  if (!known_value_type(et.value()))
    return c.error("array '" + key + "' has unknown element type " + std::to_string(et.value()), at);
  auto etype = static_cast<GgufValueType>(et.value());
  if (etype == GgufValueType::kArray)
    return fail(ErrorCode::kUnsupported, "metadata '" + key + "' is an array of arrays, which this engine does not read");
  // Every element takes at least one byte (a string at least eight): refuse impossible counts
  // before reserving memory for them.
  const uint64_t min_elem = etype == GgufValueType::kString ? 8 : scalar_size(etype);
  if (n.value() > c.remaining() / min_elem)
    return c.error("array '" + key + "' claims " + std::to_string(n.value()) + " elements, more than the " +
                       std::to_string(c.remaining()) + " bytes left in the file can hold",
                   at);
  GgufArray arr;
  arr.element_type = etype;
  if (etype == GgufValueType::kString) {
    arr.strings.reserve(n.value());
    for (uint64_t i = 0; i < n.value(); ++i) {
      auto s = c.read_string("an array string");
      if (!s) return Fail(s.error());
      arr.strings.push_back(std::move(s).value());
    }
  } else {
    arr.numbers.reserve(n.value());
    for (uint64_t i = 0; i < n.value(); ++i) {
      auto e = read_scalar(c, etype, "an array element");
      if (!e) return Fail(e.error());
      arr.numbers.push_back(number_of(e.value()));
    }
  }
  GgufValue v;
  v.type = GgufValueType::kArray;
  v.value = std::move(arr);
  return v;
}

// a * b without overflow past limit; nullopt when it would.
std::optional<uint64_t> mul_checked(uint64_t a, uint64_t b, uint64_t limit = UINT64_MAX) {
  if (a != 0 && b > limit / a) return std::nullopt;
  return a * b;
}

const char* ggml_type_name(uint32_t t) {
  static const char* kNames[] = {"F32",  "F16",  "Q4_0", "Q4_1", "Q4_2", "Q4_3", "Q5_0", "Q5_1", "Q8_0", "Q8_1",
                                 "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_K", "IQ2_XXS", "IQ2_XS", "IQ3_XXS",
                                 "IQ1_S", "IQ4_NL", "IQ3_S", "IQ2_S", "IQ4_XS", "I8", "I16", "I32", "I64", "F64",
                                 "IQ1_M", "BF16"};
  return t < sizeof(kNames) / sizeof(kNames[0]) ? kNames[t] : "unknown";
}

}  // namespace

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kIo: return "io";
    case ErrorCode::kBadFormat: return "bad_format";
    case ErrorCode::kUnsupported: return "unsupported";
    case ErrorCode::kMissingTensor: return "missing_tensor";
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kContextFull: return "context_full";
    case ErrorCode::kGrammar: return "grammar";
  }
  return "unknown";
}

const char* to_string(GgufValueType t) {
  static const char* kNames[] = {"u8", "i8", "u16", "i16", "u32", "i32", "f32", "bool", "string", "array", "u64", "i64", "f64"};
  auto i = static_cast<uint32_t>(t);
  return i < 13 ? kNames[i] : "unknown";
}

std::optional<uint64_t> GgufValue::as_uint() const {
  if (auto* u = std::get_if<uint64_t>(&value)) return *u;
  if (auto* i = std::get_if<int64_t>(&value); i && *i >= 0) return static_cast<uint64_t>(*i);
  return std::nullopt;
}
std::optional<int64_t> GgufValue::as_int() const {
  if (auto* i = std::get_if<int64_t>(&value)) return *i;
  if (auto* u = std::get_if<uint64_t>(&value); u && *u <= static_cast<uint64_t>(INT64_MAX)) return static_cast<int64_t>(*u);
  return std::nullopt;
}
std::optional<double> GgufValue::as_float() const {
  if (std::holds_alternative<std::string>(value) || std::holds_alternative<GgufArray>(value)) return std::nullopt;
  if (std::holds_alternative<bool>(value)) return std::nullopt;
  return number_of(*this);
}
const std::string* GgufValue::as_string() const { return std::get_if<std::string>(&value); }
const GgufArray* GgufValue::as_array() const { return std::get_if<GgufArray>(&value); }

void GgufFile::release(const uint8_t* data, uint64_t n_bytes) const {
  if (!mapping_ || n_bytes == 0) return;
  const auto page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto begin = (reinterpret_cast<uintptr_t>(data) + page - 1) / page * page;
  const auto end = (reinterpret_cast<uintptr_t>(data) + n_bytes) / page * page;
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
}

GgufFile::~GgufFile() {
  if (mapping_) ::munmap(mapping_, size_);
}

Result<std::unique_ptr<GgufFile>> GgufFile::open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(ErrorCode::kIo, path + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return fail(ErrorCode::kIo, path + ": not a regular file");
  }
  std::unique_ptr<GgufFile> f(new GgufFile());
  f->path_ = path;
  f->size_ = static_cast<uint64_t>(st.st_size);
  if (f->size_ == 0) {
    ::close(fd);
    return fail(ErrorCode::kBadFormat, path + ": the file is empty");
  }
  void* m = ::mmap(nullptr, f->size_, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  if (m == MAP_FAILED) return fail(ErrorCode::kIo, path + ": cannot map: " + std::strerror(errno));
  f->mapping_ = m;
  f->base_ = static_cast<const uint8_t*>(m);
  auto r = f->parse_all();
  if (!r) return Fail(r.error());
  return f;
}

Result<std::unique_ptr<GgufFile>> GgufFile::parse(std::span<const uint8_t> bytes, std::string name) {
  std::unique_ptr<GgufFile> f(new GgufFile());
  f->path_ = std::move(name);
  f->owned_.assign(bytes.begin(), bytes.end());
  f->base_ = f->owned_.data();
  f->size_ = f->owned_.size();
  auto r = f->parse_all();
  if (!r) return Fail(r.error());
  return f;
}

Result<void> GgufFile::parse_all() {
  Cursor c(base_, size_, path_);
  auto magic = c.read<uint32_t>("the magic number");
  if (!magic) return Fail(magic.error());
  if (std::memcmp(base_, "GGUF", 4) != 0) return c.error("not a GGUF file (the first 4 bytes are not \"GGUF\")", 0);
  auto version = c.read<uint32_t>("the version");
  if (!version) return Fail(version.error());
  if (version.value() == 1)
    return fail(ErrorCode::kUnsupported, path_ + ": GGUF version 1 is obsolete; convert the model to version 3");
  if (version.value() != 2 && version.value() != 3)
    return c.error("GGUF version " + std::to_string(version.value()) + " is not supported (2 or 3)", 4);
  version_ = version.value();
  auto n_tensors = c.read<uint64_t>("the tensor count");
  if (!n_tensors) return Fail(n_tensors.error());
  auto n_kv = c.read<uint64_t>("the metadata count");
  if (!n_kv) return Fail(n_kv.error());
  // Each metadata entry is at least 12 bytes (8-byte key length + 4-byte type), each tensor info
  // at least 24; refuse counts the file cannot hold before looping over them.
  if (n_kv.value() > c.remaining() / 12)
    return c.error("metadata count " + std::to_string(n_kv.value()) + " is more than the file can hold", 16);
  if (n_tensors.value() > c.remaining() / 24)
    return c.error("tensor count " + std::to_string(n_tensors.value()) + " is more than the file can hold", 8);

  for (uint64_t i = 0; i < n_kv.value(); ++i) {
    const uint64_t at = c.pos();
    auto key = c.read_string("a metadata key");
    if (!key) return Fail(key.error());
    if (kv_index_.count(key.value())) return c.error("metadata key '" + key.value() + "' appears twice", at);
    auto type = c.read<uint32_t>("a metadata type");
    if (!type) return Fail(type.error());
    auto value = read_value(c, type.value(), key.value());
    if (!value) return Fail(value.error());
    kv_index_[key.value()] = kv_.size();
    kv_.emplace_back(std::move(key).value(), std::move(value).value());
  }

  if (const GgufValue* a = find("general.alignment")) {
    auto v = a->as_uint();
    if (!v || v.value() == 0 || (v.value() & (v.value() - 1)) != 0 || v.value() > 65536)
      return fail(ErrorCode::kBadFormat, path_ + ": general.alignment must be a power of two up to 65536");
    alignment_ = v.value();
  }

  tensors_.reserve(n_tensors.value());
  for (uint64_t i = 0; i < n_tensors.value(); ++i) {
    const uint64_t at = c.pos();
    GgufTensorInfo t;
    auto name = c.read_string("a tensor name");
    if (!name) return Fail(name.error());
    t.name = std::move(name).value();
    const std::string tn = "tensor '" + t.name + "'";
    if (tensor_index_.count(t.name)) return c.error(tn + " appears twice", at);
    auto n_dims = c.read<uint32_t>("a tensor's dimension count");
    if (!n_dims) return Fail(n_dims.error());
    if (n_dims.value() == 0 || n_dims.value() > kMaxDims)
      return c.error(tn + " has " + std::to_string(n_dims.value()) + " dimensions (1 to 4 allowed)", at);
    uint64_t n_elements = 1;
    for (uint32_t d = 0; d < n_dims.value(); ++d) {
      auto dim = c.read<uint64_t>("a tensor dimension");
      if (!dim) return Fail(dim.error());
      if (dim.value() == 0 || dim.value() > static_cast<uint64_t>(INT64_MAX))
        return c.error(tn + " has dimension " + std::to_string(d) + " = " + std::to_string(dim.value()), at);
      auto prod = mul_checked(n_elements, dim.value(), static_cast<uint64_t>(INT64_MAX));
      if (!prod) return c.error(tn + ": its element count overflows", at);
      n_elements = prod.value();
      t.dims.push_back(dim.value());
    }
    t.n_elements = n_elements;
    auto type = c.read<uint32_t>("a tensor type");
    if (!type) return Fail(type.error());
    const TensorTypeInfo* info = tensor_type_info(type.value());
    if (info && info->type == TensorType::kQ8_K) info = nullptr;  // an activation format, not a weight type
    if (!info) {
      return fail(ErrorCode::kUnsupported, path_ + ": " + tn + " has type " + ggml_type_name(type.value()) + " (" +
                                               std::to_string(type.value()) +
                                               "), which this engine does not run; supported: F32, F16, Q4_0, "
                                               "Q8_0, Q4_K, Q6_K");
    }
    t.type = info->type;
    if (t.dims[0] % info->block_size != 0)
      return c.error(tn + ": its row length " + std::to_string(t.dims[0]) + " is not a multiple of the " +
                         std::string(info->name) + " block size " + std::to_string(info->block_size),
                     at);
    auto bytes = mul_checked(n_elements / info->block_size, info->block_bytes);
    if (!bytes) return c.error(tn + ": its byte size overflows", at);
    t.n_bytes = bytes.value();
    auto offset = c.read<uint64_t>("a tensor offset");
    if (!offset) return Fail(offset.error());
    if (offset.value() % alignment_ != 0)
      return c.error(tn + ": offset " + std::to_string(offset.value()) + " is not a multiple of the alignment " +
                         std::to_string(alignment_), at);
    t.offset = offset.value();  // relative for now
    tensor_index_[t.name] = tensors_.size();
    tensors_.push_back(std::move(t));
  }

  data_offset_ = (c.pos() + alignment_ - 1) / alignment_ * alignment_;
  if (!tensors_.empty() && data_offset_ > size_)
    return c.error("the tensor data section (at byte " + std::to_string(data_offset_) + ") is past the end of the file",
                   c.pos());

  // Every tensor inside the file, and no two overlapping.
  std::vector<std::pair<uint64_t, size_t>> spans;
  for (size_t i = 0; i < tensors_.size(); ++i) {
    GgufTensorInfo& t = tensors_[i];
    const uint64_t rel = t.offset;
    if (rel > size_ - data_offset_ || t.n_bytes > size_ - data_offset_ - rel) {
      return fail(ErrorCode::kBadFormat,
                  path_ + ": tensor '" + t.name + "': offset " + std::to_string(rel) + " + " + std::to_string(t.n_bytes) +
                      " bytes is past the end of the file (data starts at byte " + std::to_string(data_offset_) +
                      ", the file has " + std::to_string(size_) + " bytes)");
    }
    t.offset = data_offset_ + rel;
    spans.emplace_back(t.offset, i);
  }
  std::sort(spans.begin(), spans.end());
  for (size_t i = 1; i < spans.size(); ++i) {
    const auto& prev = tensors_[spans[i - 1].second];
    if (prev.offset + prev.n_bytes > spans[i].first)
      return fail(ErrorCode::kBadFormat, path_ + ": tensors '" + prev.name + "' and '" + tensors_[spans[i].second].name +
                                             "' overlap in the file");
  }
  return {};
}

const GgufValue* GgufFile::find(const std::string& key) const {
  auto it = kv_index_.find(key);
  return it == kv_index_.end() ? nullptr : &kv_[it->second].second;
}

std::optional<std::string> GgufFile::get_string(const std::string& key) const {
  const GgufValue* v = find(key);
  if (!v || !v->as_string()) return std::nullopt;
  return *v->as_string();
}

std::optional<uint64_t> GgufFile::get_uint(const std::string& key) const {
  const GgufValue* v = find(key);
  return v ? v->as_uint() : std::nullopt;
}

std::optional<double> GgufFile::get_float(const std::string& key) const {
  const GgufValue* v = find(key);
  return v ? v->as_float() : std::nullopt;
}

const GgufArray* GgufFile::get_array(const std::string& key) const {
  const GgufValue* v = find(key);
  return v ? v->as_array() : nullptr;
}

const GgufTensorInfo* GgufFile::find_tensor(const std::string& name) const {
  auto it = tensor_index_.find(name);
  return it == tensor_index_.end() ? nullptr : &tensors_[it->second];
}

}  // namespace hearth::engine
