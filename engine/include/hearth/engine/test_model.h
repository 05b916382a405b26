// hearth/engine/test_model.h — GGUF models with random weights in realistic llama shapes, for
// benchmarks and tests (`hearth llm make-test-model`). They run like real models of that size;
// what they say is noise.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hearth/engine/error.h"
#include "hearth/engine/gguf_writer.h"

namespace hearth::engine {

struct TestModelShape {
  std::string architecture = "llama";  // or "qwen2" (adds Q/K/V biases)
  uint32_t n_embd = 64;
  uint32_t n_layer = 2;
  uint32_t n_head = 4;
  uint32_t n_head_kv = 4;
  uint32_t n_ff = 128;
  uint32_t n_vocab = 512;
  uint32_t n_ctx = 2048;
  bool tied_output = true;
};

// The shapes of ../shared/benchmarks/llamacpp-reference.md: "15M", "110M", "500M".
std::optional<TestModelShape> named_test_shape(std::string_view name);

// The weight formats a test model can be written in: "F32", "F16", "Q8_0", "Q4_0".
struct TestModelOptions {
  TestModelShape shape;
  std::string type = "F32";
  uint64_t seed = 1;
  // Take the vocabulary (tokens, scores, types, special ids) from this GGUF file; its size
  // replaces shape.n_vocab. Empty: a generated SentencePiece-style vocabulary of n_vocab tokens
  // (control tokens, the 256 byte tokens, then letters and letter groups).
  std::string vocab_from;
};

Result<GgufWriter> build_test_model(const TestModelOptions& options);

}  // namespace hearth::engine
