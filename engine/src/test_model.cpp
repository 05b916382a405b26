#include "hearth/engine/test_model.h"

#include <cmath>
#include <cstdio>

#include "kernels.h"

namespace hearth::engine {

namespace {

// splitmix64: small, fast and deterministic for a seed.
struct Rng {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [-1, 1).
  float uniform() { return static_cast<float>(next() >> 40) / static_cast<float>(1ULL << 23) - 1.0f; }
};

void generated_vocab(GgufWriter& w, uint32_t n_vocab) {
  std::vector<std::string> tokens = {"<unk>", "<s>", "</s>"};
  std::vector<int32_t> types = {2, 3, 3};
  for (int b = 0; b < 256; ++b) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "<0x%02X>", b);
    tokens.push_back(buf);
    types.push_back(6);
  }
  const std::string space = "\xe2\x96\x81";
  const std::string letters = "etaoinshrdlcumwfgypbvkjxqz";
  std::vector<std::string> pieces;
  for (char c : letters) pieces.push_back(std::string(1, c));
  for (char c : letters) pieces.push_back(space + c);
  pieces.push_back(space);
  for (char c : std::string(".,!?'-0123456789")) pieces.push_back(std::string(1, c));
  for (char a : letters)
    for (char b : letters) pieces.push_back(std::string(1, a) + b);
  for (char a : letters)
    for (char b : letters) pieces.push_back(space + a + b);
  for (size_t i = 0; pieces.size() + tokens.size() < n_vocab; ++i) {
    const char a = letters[i % 26], b = letters[(i / 26) % 26], c = letters[(i / 676) % 26];
    pieces.push_back((i / 17576) % 2 ? std::string(1, a) + b + c : space + a + b + c);
    if (i > 4 * 17576) break;
  }
  std::vector<float> scores(tokens.size(), 0.0f);
  for (size_t i = 0; tokens.size() < n_vocab && i < pieces.size(); ++i) {
    tokens.push_back(pieces[i]);
    types.push_back(1);
    scores.push_back(-static_cast<float>(i));
  }
  while (tokens.size() < n_vocab) {  // tiny vocabularies past the pieces: unused fillers
    tokens.push_back("<unused" + std::to_string(tokens.size()) + ">");
    types.push_back(5);
    scores.push_back(-1e9f);
  }
  tokens.resize(n_vocab);
  types.resize(n_vocab);
  scores.resize(n_vocab);
  w.set_string("tokenizer.ggml.model", "llama");
  w.set_strings("tokenizer.ggml.tokens", tokens);
  w.set_f32s("tokenizer.ggml.scores", scores);
  w.set_i32s("tokenizer.ggml.token_type", types);
  w.set_u32("tokenizer.ggml.bos_token_id", 1);
  w.set_u32("tokenizer.ggml.eos_token_id", 2);
  w.set_u32("tokenizer.ggml.unknown_token_id", 0);
}

}  // namespace

std::optional<TestModelShape> named_test_shape(std::string_view name) {
  TestModelShape s;
  if (name == "15M") {
    s.n_embd = 288, s.n_layer = 6, s.n_head = 6, s.n_head_kv = 6, s.n_ff = 768, s.tied_output = true;
  } else if (name == "110M") {
    s.n_embd = 768, s.n_layer = 12, s.n_head = 12, s.n_head_kv = 12, s.n_ff = 2048, s.tied_output = true;
  } else if (name == "500M") {
    s.n_embd = 1024, s.n_layer = 24, s.n_head = 16, s.n_head_kv = 4, s.n_ff = 5120, s.tied_output = false;
  } else {
    return std::nullopt;
  }
  s.n_vocab = 32000;
  return s;
}

Result<GgufWriter> build_test_model(const TestModelOptions& o) {
  TestModelShape s = o.shape;
  auto type = tensor_type_from_name(o.type);
  if (!type || !kernels_for(*type).quantize)
    return fail(ErrorCode::kInvalidArgument, "test models can be written as F32, F16, Q8_0 or Q4_0, not '" + o.type + "'");
  if (s.n_head == 0 || s.n_head_kv == 0 || s.n_embd % s.n_head || s.n_head % s.n_head_kv || (s.n_embd / s.n_head) % 2)
    return fail(ErrorCode::kInvalidArgument, "inconsistent test model shape");

  GgufWriter w;
  const std::string a = s.architecture + ".";
  w.set_string("general.architecture", s.architecture);
  w.set_string("general.name", "hearth test model");
  w.set_u32("general.alignment", 32);
  w.set_u32(a + "context_length", s.n_ctx);
  w.set_u32(a + "embedding_length", s.n_embd);
  w.set_u32(a + "block_count", s.n_layer);
  w.set_u32(a + "feed_forward_length", s.n_ff);
  w.set_u32(a + "attention.head_count", s.n_head);
  w.set_u32(a + "attention.head_count_kv", s.n_head_kv);
  w.set_f32(a + "rope.freq_base", 10000.0f);
  w.set_f32(a + "attention.layer_norm_rms_epsilon", 1e-5f);

  if (!o.vocab_from.empty()) {
    auto src = GgufFile::open(o.vocab_from);
    if (!src) return Fail(src.error());
    bool found = false;
    for (const auto& [key, value] : (*src)->metadata()) {
      if (key.rfind("tokenizer.", 0) != 0) continue;
      w.set_value(key, value);
      if (key == "tokenizer.ggml.tokens" && value.as_array()) {
        s.n_vocab = static_cast<uint32_t>(value.as_array()->size());
        found = true;
      }
    }
    if (!found) return fail(ErrorCode::kBadFormat, o.vocab_from + ": has no tokenizer.ggml.tokens");
  } else {
    if (s.n_vocab < 300) return fail(ErrorCode::kInvalidArgument, "a generated vocabulary needs at least 300 tokens");
    generated_vocab(w, s.n_vocab);
  }

  Rng rng{o.seed};
  const TypeKernels& k = kernels_for(*type);
  const TensorTypeInfo& info = tensor_type_info(*type);
  // A matrix of rows x cols, scaled like a trained model's (about 1/sqrt(fan-in)).
  auto matrix = [&](const std::string& name, uint64_t cols, uint64_t rows) -> Result<void> {
    const float scale = 1.0f / std::sqrt(static_cast<float>(cols));
    std::vector<float> row(cols);
    std::vector<uint8_t> bytes(row_bytes(info, cols) * rows);
    for (uint64_t r = 0; r < rows; ++r) {
      for (auto& v : row) v = rng.uniform() * scale * 1.7f;
      k.quantize(row.data(), bytes.data() + r * row_bytes(info, cols), cols);
    }
    return w.add_tensor(name, {cols, rows}, *type, bytes);
  };
  auto vector = [&](const std::string& name, uint64_t n, float base, float jitter) -> Result<void> {
    std::vector<float> v(n);
    for (auto& x : v) x = base + jitter * rng.uniform();
    return w.add_tensor(name, {n}, TensorType::kF32,
                        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(v.data()), n * sizeof(float)));
  };
  const uint64_t E = s.n_embd, KV = s.n_embd / s.n_head * s.n_head_kv, F = s.n_ff;
  if (E % info.block_size || F % info.block_size)
    return fail(ErrorCode::kInvalidArgument, "embedding and feed-forward sizes must be multiples of " +
                                                 std::to_string(info.block_size) + " for " + o.type);
  std::vector<Result<void>> results;
  results.push_back(matrix("token_embd.weight", E, s.n_vocab));
  for (uint32_t l = 0; l < s.n_layer; ++l) {
    const std::string p = "blk." + std::to_string(l) + ".";
    results.push_back(vector(p + "attn_norm.weight", E, 1.0f, 0.1f));
    results.push_back(matrix(p + "attn_q.weight", E, E));
    results.push_back(matrix(p + "attn_k.weight", E, KV));
    results.push_back(matrix(p + "attn_v.weight", E, KV));
    if (s.architecture == "qwen2") {
      results.push_back(vector(p + "attn_q.bias", E, 0.0f, 0.1f));
      results.push_back(vector(p + "attn_k.bias", KV, 0.0f, 0.1f));
      results.push_back(vector(p + "attn_v.bias", KV, 0.0f, 0.1f));
    }
    results.push_back(matrix(p + "attn_output.weight", E, E));
    results.push_back(vector(p + "ffn_norm.weight", E, 1.0f, 0.1f));
    results.push_back(matrix(p + "ffn_gate.weight", E, F));
    results.push_back(matrix(p + "ffn_up.weight", E, F));
    results.push_back(matrix(p + "ffn_down.weight", F, E));
  }
  results.push_back(vector("output_norm.weight", E, 1.0f, 0.1f));
  if (!s.tied_output) results.push_back(matrix("output.weight", E, s.n_vocab));
  for (auto& r : results)
    if (!r) return Fail(r.error());
  return w;
}

}  // namespace hearth::engine
