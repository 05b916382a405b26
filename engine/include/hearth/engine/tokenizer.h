// hearth/engine/tokenizer.h — text <-> token ids with the model's own vocabulary.
//
// Built from the vocabulary embedded in a GGUF file (tokenizer.ggml.*), or from a SentencePiece
// .model file through libsentencepiece. Supported GGUF tokenizer models:
//   "llama": SentencePiece-style BPE over scores (Llama 1/2, TinyLlama, Mistral, the stories
//            models), byte fallback tokens <0xXX>, an optional space prefix.
//   "gpt2":  byte-level BPE with ranked merges (Qwen2, Llama-3), pre-tokenised with the
//            Llama-3/Qwen2 pattern (Unicode letters and numbers approximated, see tokenizer_bpe.cpp).
// Special tokens: BOS/EOS/EOT and control tokens are produced from text only when parse_special is
// set ("<s>" in user text stays plain text otherwise); user-defined tokens always are.
//
// Thread-safety: immutable after construction; encode/decode from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hearth/engine/error.h"

namespace hearth::engine {

class GgufFile;

// GGUF token types (tokenizer.ggml.token_type values).
enum class TokenKind : int32_t {
  kUndefined = 0, kNormal = 1, kUnknown = 2, kControl = 3, kUserDefined = 4, kUnused = 5, kByte = 6,
};

class Tokenizer {
 public:
  static Result<std::unique_ptr<Tokenizer>> from_gguf(const GgufFile& file);
  // A SentencePiece .model file, tokenised by libsentencepiece itself (its normaliser adds the
  // space prefix). With parse_special, text between special tokens is tokenised piecewise.
  static Result<std::unique_ptr<Tokenizer>> from_sentencepiece(const std::string& model_path);
  ~Tokenizer();

  // Token ids of text; BOS first when add_bos and the model starts sequences with one
  // (tokenizer.ggml.add_bos_token; by default SentencePiece models do, byte-level BPE ones do not).
  std::vector<int32_t> encode(std::string_view text, bool add_bos, bool parse_special = false) const;
  // Token ids of text that continues earlier text: no BOS, no space prefix, specials as text.
  std::vector<int32_t> encode_continuation(std::string_view text) const;
  // The text a token stands for (▁ as a space, byte tokens as their byte; control tokens as ""
  // unless show_special). Pieces of a sequence concatenate to its text.
  std::string piece(int32_t id, bool show_special = false) const;
  std::string decode(std::span<const int32_t> ids, bool show_special = false) const;

  int32_t n_vocab() const;
  int32_t bos() const;  // -1 when the model has none
  int32_t eos() const;
  int32_t eot() const;  // end of turn (chat models); -1 when none
  // End of generation: EOS, EOT or another token the vocabulary marks as ending a turn.
  bool is_end_of_generation(int32_t id) const;
  // The vocabulary's own string for a token ("▁there", "<0x0A>").
  const std::string& token_text(int32_t id) const;
  TokenKind token_kind(int32_t id) const;
  // Id of an exact vocabulary string, or -1.
  int32_t find(std::string_view token_text) const;
  const std::string& model_kind() const;  // "llama"

  struct Impl;

 private:
  explicit Tokenizer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hearth::engine
