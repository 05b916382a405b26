// hearth/engine/context.h — one conversation's mutable state: the KV cache and the logits.
//
// A Context evaluates tokens appended after the ones it already holds (positions 0..n_past-1)
// and returns the logits of the last one (or of every one). Its KV cache is allocated once, at
// creation, for n_ctx tokens.
//
// Prefix reuse: eval_reusing_prefix(tokens) keeps the KV of the longest common prefix between
// `tokens` and what the context already holds (a system prompt, a device list) and evaluates
// only the rest.
//
// Thread-safety: a Context is used by one thread at a time; it owns a pool of n_threads - 1
// worker threads. Many Contexts may share one Model.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "hearth/engine/error.h"
#include "hearth/engine/model.h"

namespace hearth::engine {

enum class KvType {
  kF16,   // 2 bytes a value; what llama.cpp keeps by default
  kQ8_0,  // 34 bytes per 32 values (about half); needs a head size that is a multiple of 32
};

struct ContextOptions {
  uint32_t n_ctx = 0;      // tokens the KV cache holds; 0: min(model's training length, 4096)
  int n_threads = 0;       // 0: the number of physical cores
  uint32_t n_batch = 64;   // prompt tokens evaluated together per pass
  KvType kv_type = KvType::kF16;
};

class Context {
 public:
  static Result<std::unique_ptr<Context>> create(std::shared_ptr<const Model> model, const ContextOptions& options = {});
  ~Context();

  // Appends tokens and evaluates them. Returns the logits (n_vocab floats) of the last token,
  // valid until the next call. kContextFull when they do not fit (nothing is changed then);
  // kInvalidArgument for an empty list or a token id outside the vocabulary.
  Result<std::span<const float>> eval(std::span<const int32_t> tokens);
  // Like eval, but returns the logits of every token: n_tokens rows of n_vocab floats.
  Result<std::span<const float>> eval_all(std::span<const int32_t> tokens);
  // Drops the KV beyond the common prefix of `tokens` and what is held, then evaluates the rest.
  // At least the last token is always evaluated, so logits are fresh.
  Result<std::span<const float>> eval_reusing_prefix(std::span<const int32_t> tokens);

  // Forgets everything after the first n tokens (n <= n_past()).
  void truncate(size_t n);
  void clear() { truncate(0); }

  size_t n_past() const { return tokens_.size(); }
  const std::vector<int32_t>& tokens() const { return tokens_; }
  uint32_t n_ctx() const { return n_ctx_; }
  int n_threads() const;
  // Bytes of the KV cache (allocated at creation).
  uint64_t kv_bytes() const;
  KvType kv_type() const;
  const Model& model() const { return *model_; }
  // Tokens evaluated by the last reuse call (the rest came from the cache).
  size_t last_evaluated() const { return last_evaluated_; }

  struct State;

 private:
  Context() = default;
  Result<void> forward(std::span<const int32_t> tokens, bool all_logits);

  std::shared_ptr<const Model> model_;
  std::unique_ptr<State> state_;
  std::vector<int32_t> tokens_;
  std::vector<float> logits_;
  uint32_t n_ctx_ = 0;
  size_t last_evaluated_ = 0;
};

}  // namespace hearth::engine
