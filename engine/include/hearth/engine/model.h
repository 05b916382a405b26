// hearth/engine/model.h — an immutable, loaded language model.
//
// Model::load() maps a GGUF file, reads the hyper-parameters from its metadata, checks that every
// tensor the architecture needs is present with the right shape and a supported type, and builds
// the tokenizer from the embedded vocabulary. The weights are then copied into memory of the
// Model backed by huge pages where the system gives them (decode streams every weight once per
// token, and huge pages raise the bandwidth a core gets), the matrices rearranged with eight rows
// interleaved for the types whose kernels read them that way; each tensor's pages of the mapping
// are released as its copy fills, so the weights are never resident twice. A separate (untied)
// token embedding stays in the mapping: each token reads one row of it.
//
// Architectures: "llama" (Llama, TinyLlama, SmolLM, Mistral without sliding window: grouped-query
// attention, RoPE, RMSNorm, SwiGLU, tied or separate output) and "qwen2" (the same with Q/K/V
// biases and NeoX-style RoPE).
//
// Thread-safety: immutable after load; share one Model between any number of Contexts/threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "hearth/engine/error.h"
#include "hearth/engine/gguf.h"
#include "hearth/engine/tensor_type.h"

namespace hearth::engine {

class Tokenizer;
class WeightMemory;

enum class RopeStyle {
  kNormal,  // rotates adjacent pairs (x[2i], x[2i+1]) — llama.cpp's llama layout
  kNeox,    // rotates (x[i], x[i + d/2]) — qwen2 and GPT-NeoX
};

struct ModelHparams {
  std::string architecture;  // "llama" or "qwen2"
  std::string name;          // general.name, may be empty
  uint32_t n_vocab = 0;
  uint32_t n_ctx_train = 0;  // context length the model was trained for
  uint32_t n_embd = 0;       // hidden size
  uint32_t n_layer = 0;
  uint32_t n_head = 0;
  uint32_t n_head_kv = 0;    // < n_head: grouped-query attention
  uint32_t n_ff = 0;         // feed-forward hidden size
  uint32_t head_dim = 0;     // n_embd / n_head
  float rope_freq_base = 10000.0f;
  float rms_eps = 1e-5f;
  RopeStyle rope_style = RopeStyle::kNormal;
  bool tied_output = false;  // output projection shares the token embedding
  bool qkv_bias = false;

  uint32_t kv_dim() const { return n_head_kv * head_dim; }
};

// A weight tensor: rows of `cols` elements of `type`, row-major (in the Model's copy, or in the
// mapping when there was no memory for one), or interleaved (eight rows side by side, for the
// CPU's 8-row kernels; then row(r) addresses the group of rows r..r+7 for r a multiple of 8, and
// single rows cannot be read).
struct Weight {
  TensorType type = TensorType::kF32;
  const uint8_t* data = nullptr;
  uint64_t rows = 0;
  uint64_t cols = 0;
  size_t row_bytes = 0;
  bool interleaved = false;
  const uint8_t* row(uint64_t r) const { return data + r * row_bytes; }
};

struct LayerWeights {
  Weight attn_norm, wq, wk, wv, wo;   // wq: (n_embd, n_embd); wk, wv: (kv_dim, n_embd)
  Weight bq, bk, bv;                  // qwen2 only; rows == 1
  Weight ffn_norm, w_gate, w_up, w_down;  // gate/up: (n_ff, n_embd); down: (n_embd, n_ff)
};

struct ModelWeights {
  Weight token_embd;   // (n_vocab, n_embd)
  std::vector<LayerWeights> layers;
  Weight output_norm;  // (1, n_embd)
  Weight output;       // (n_vocab, n_embd); the token embedding when tied
};

class Model {
 public:
  static Result<std::shared_ptr<const Model>> load(const std::string& path);
  // Loads from a validated GgufFile the caller already opened.
  static Result<std::shared_ptr<const Model>> from_gguf(std::unique_ptr<GgufFile> file);
  ~Model();

  const ModelHparams& hparams() const { return hp_; }
  const ModelWeights& weights() const { return w_; }
  const GgufFile& file() const { return *file_; }
  const Tokenizer& tokenizer() const { return *tokenizer_; }
  // Bytes of all weight tensors (what a decode step reads, roughly).
  uint64_t weight_bytes() const { return weight_bytes_; }
  // The type most of the weights have ("Q4_K" for a Q4_K_M file with Q6_K output), for display.
  std::string dominant_type() const;

 private:
  Model() = default;
  std::unique_ptr<GgufFile> file_;
  ModelHparams hp_;
  ModelWeights w_;
  std::unique_ptr<Tokenizer> tokenizer_;
  uint64_t weight_bytes_ = 0;
  std::unique_ptr<WeightMemory> weights_;  // the weights, copied out of the mapping
  void copy_weights();
};

}  // namespace hearth::engine
