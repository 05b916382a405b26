// The GGUF reader refuses every class of corruption with a clear error and never reads out of
// bounds (this test runs under the sanitizers in the sanitize build).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>

#include "hearth/engine/gguf.h"
#include "hearth/engine/gguf_writer.h"
#include "hearth/engine/model.h"
#include "hearth/engine/test_model.h"
#include "temp_dir.h"
#include "tiny_model.h"

namespace hearth::engine {
namespace {

std::vector<uint8_t> tiny_model_bytes(const std::string& type = "F32") {
  auto w = build_test_model(test::tiny_model_options(32, 1, 4, 2, 64, 320, type));
  EXPECT_TRUE(w) << (w ? "" : w.error().message);
  return w->to_bytes();
}

Result<std::unique_ptr<GgufFile>> parse(const std::vector<uint8_t>& b) { return GgufFile::parse(b, "test.gguf"); }

// Position just after the tensor info name `name` (where n_dims starts).
size_t after_tensor_name(const std::vector<uint8_t>& b, const std::string& name) {
  std::vector<uint8_t> pattern(8);
  const uint64_t len = name.size();
  std::memcpy(pattern.data(), &len, 8);
  pattern.insert(pattern.end(), name.begin(), name.end());
  auto it = std::search(b.begin(), b.end(), pattern.begin(), pattern.end());
  EXPECT_NE(it, b.end()) << name;
  return static_cast<size_t>(it - b.begin()) + pattern.size();
}

template <class T>
void poke(std::vector<uint8_t>& b, size_t at, T v) {
  std::memcpy(b.data() + at, &v, sizeof(T));
}

void expect_refused(const std::vector<uint8_t>& b, const std::string& says, ErrorCode code = ErrorCode::kBadFormat) {
  auto r = parse(b);
  ASSERT_FALSE(r) << "accepted a file that should fail with: " << says;
  EXPECT_EQ(r.error().code, code) << r.error().message;
  EXPECT_NE(r.error().message.find(says), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().message.rfind("test.gguf", 0), 0u) << r.error().message;
}

TEST(Gguf, ReadsWhatTheWriterWrote) {
  auto b = tiny_model_bytes();
  auto f = parse(b);
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ((*f)->version(), 3u);
  EXPECT_EQ((*f)->get_string("general.architecture").value(), "llama");
  EXPECT_EQ((*f)->get_uint("llama.embedding_length").value(), 32u);
  EXPECT_NEAR((*f)->get_float("llama.attention.layer_norm_rms_epsilon").value(), 1e-5, 1e-12);
  EXPECT_EQ((*f)->get_array("tokenizer.ggml.tokens")->size(), 320u);
  const GgufTensorInfo* t = (*f)->find_tensor("blk.0.attn_k.weight");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->dims, (std::vector<uint64_t>{32, 16}));
  EXPECT_EQ(t->n_bytes, 32u * 16 * 4);
  EXPECT_EQ(t->offset % 32, 0u);
}

TEST(Gguf, EveryTruncationIsRefused) {
  auto b = tiny_model_bytes();
  // Every cut inside the header and tensor infos, and a sample inside the data.
  const size_t data_start = (*parse(b))->data_offset();
  for (size_t n = 0; n < b.size(); n += (n < data_start ? 1 : 997)) {
    std::vector<uint8_t> cut(b.begin(), b.begin() + static_cast<long>(n));
    auto r = parse(cut);
    ASSERT_FALSE(r) << "accepted a file cut at " << n << " of " << b.size();
  }
}

TEST(Gguf, BadMagicAndVersion) {
  auto b = tiny_model_bytes();
  auto bad = b;
  bad[0] = 'X';
  expect_refused(bad, "not a GGUF file");
  bad = b;
  poke<uint32_t>(bad, 4, 99);
  expect_refused(bad, "version 99");
  bad = b;
  poke<uint32_t>(bad, 4, 1);
  expect_refused(bad, "version 1", ErrorCode::kUnsupported);
}

TEST(Gguf, ImpossibleCounts) {
  auto b = tiny_model_bytes();
  auto bad = b;
  poke<uint64_t>(bad, 8, uint64_t{1} << 60);
  expect_refused(bad, "tensor count");
  bad = b;
  poke<uint64_t>(bad, 16, uint64_t{1} << 60);
  expect_refused(bad, "metadata count");
}

TEST(Gguf, HugeStringLength) {
  auto b = tiny_model_bytes();
  // The first key's length field is at byte 24.
  poke<uint64_t>(b, 24, uint64_t{1} << 62);
  expect_refused(b, "past the end of the file");
}

TEST(Gguf, TensorInfoCorruptions) {
  const auto b = tiny_model_bytes();
  const size_t at = after_tensor_name(b, "blk.0.attn_q.weight");  // n_dims u32, dims u64 x2, type u32, offset u64
  auto bad = b;
  poke<uint32_t>(bad, at, 0);
  expect_refused(bad, "has 0 dimensions");
  bad = b;
  poke<uint32_t>(bad, at, 9);
  expect_refused(bad, "has 9 dimensions");
  bad = b;
  poke<uint64_t>(bad, at + 4, 0);
  expect_refused(bad, "dimension 0 = 0");
  bad = b;
  poke<uint64_t>(bad, at + 4, uint64_t{1} << 40);
  poke<uint64_t>(bad, at + 12, uint64_t{1} << 40);
  expect_refused(bad, "overflows");
  bad = b;
  poke<uint64_t>(bad, at + 4, uint64_t{1} << 31);  // huge but representable: runs past the end
  expect_refused(bad, "past the end of the file");
  bad = b;
  poke<uint32_t>(bad, at + 20, 7);  // Q5_1: a real ggml type this engine does not run
  expect_refused(bad, "Q5_1", ErrorCode::kUnsupported);
  bad = b;
  poke<uint32_t>(bad, at + 20, 4242);
  expect_refused(bad, "4242", ErrorCode::kUnsupported);
  bad = b;
  poke<uint32_t>(bad, at + 20, 8);  // Q8_0 with a row of 32: fine; with 33 it is not
  poke<uint64_t>(bad, at + 4, 33);
  expect_refused(bad, "not a multiple of the Q8_0 block size 32");
  bad = b;
  poke<uint64_t>(bad, at + 24, 3);
  expect_refused(bad, "not a multiple of the alignment");
  bad = b;
  poke<uint64_t>(bad, at + 24, uint64_t{1} << 50);
  expect_refused(bad, "past the end of the file");
  bad = b;
  poke<uint64_t>(bad, at + 24, 0);  // on top of token_embd
  expect_refused(bad, "overlap");
}

TEST(Gguf, DuplicateNamesAndBadAlignment) {
  {
    GgufWriter w;
    w.set_u32("a", 1);
    w.set_u32("a", 2);
    expect_refused(w.to_bytes(), "appears twice");
  }
  {
    GgufWriter w;
    std::vector<uint8_t> data(64);
    ASSERT_TRUE(w.add_tensor("t", {16}, TensorType::kF32, data));
    ASSERT_TRUE(w.add_tensor("t", {16}, TensorType::kF32, data));
    expect_refused(w.to_bytes(), "appears twice");
  }
  {
    GgufWriter w;
    w.set_u32("general.alignment", 24);
    expect_refused(w.to_bytes(), "power of two");
  }
  {
    GgufWriter w;
    w.set_u32("x", 1);
    auto b = w.to_bytes();
    poke<uint32_t>(b, 24 + 8 + 1, 77);  // the value type of key "x"
    expect_refused(b, "unknown value type 77");
  }
}

TEST(Gguf, MissingFileAndEmptyFile) {
  auto r = GgufFile::open("/nonexistent/model.gguf");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kIo);
  test::TempDir dir;
  { std::ofstream touch(dir.file("empty.gguf")); }
  auto e = GgufFile::open(dir.file("empty.gguf"));
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("empty"), std::string::npos);
}

TEST(Model, RefusesWhatItCannotRun) {
  {
    GgufWriter w;
    w.set_string("general.architecture", "mamba");
    auto f = GgufFile::parse(w.to_bytes(), "m.gguf");
    ASSERT_TRUE(f);
    auto m = Model::from_gguf(std::move(f).value());
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().code, ErrorCode::kUnsupported);
    EXPECT_NE(m.error().message.find("mamba"), std::string::npos);
  }
  {
    // A valid file whose attn_v tensor is missing.
    auto w = build_test_model(test::tiny_model_options(32, 1, 4, 4, 64, 320));
    ASSERT_TRUE(w);
    auto bytes = w->to_bytes();
    const size_t at = after_tensor_name(bytes, "blk.0.attn_v.weight");
    bytes[at - 8] = 'x';  // renames it to blk.0.attn_x.weight
    auto f = GgufFile::parse(bytes, "m.gguf");
    ASSERT_TRUE(f) << f.error().message;
    auto m = Model::from_gguf(std::move(f).value());
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().code, ErrorCode::kMissingTensor);
    EXPECT_NE(m.error().message.find("blk.0.attn_v.weight"), std::string::npos) << m.error().message;
  }
}

}  // namespace
}  // namespace hearth::engine
