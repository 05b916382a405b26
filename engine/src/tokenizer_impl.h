// Private: the vocabulary shared by the tokenizer algorithms.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hearth/engine/tokenizer.h"

namespace sentencepiece {
class SentencePieceProcessor;
}

namespace hearth::engine {

struct Tokenizer::Impl {
  // Set for tokenizers loaded from a .model file: libsentencepiece does the encoding.
  std::shared_ptr<sentencepiece::SentencePieceProcessor> sp;
  std::string model;  // tokenizer.ggml.model
  std::vector<std::string> texts;
  std::vector<float> scores;
  std::vector<TokenKind> kinds;
  std::unordered_map<std::string, int32_t> ids;
  int32_t bos = -1, eos = -1, eot = -1, unk = -1;
  bool add_bos = true;
  bool add_space_prefix = true;
  std::vector<int32_t> special_ids;  // control and user-defined tokens, longest text first
  // gpt2 (byte-level BPE) only:
  std::unordered_map<std::string, int> merge_ranks;  // "left right" -> rank (lower merges first)
  int bpe_max_digits = 3;                            // digits per pre-token (Qwen2: 1)

  int32_t lookup(const std::string& s) const {
    auto it = ids.find(s);
    return it == ids.end() ? -1 : it->second;
  }
};

// SentencePiece-style BPE by scores (tokenizer_spm.cpp). Appends to out.
void spm_tokenize(const Tokenizer::Impl& vocab, const std::string& text, std::vector<int32_t>& out);
// Byte-level BPE (tokenizer_bpe.cpp). Appends to out.
void bpe_tokenize(const Tokenizer::Impl& vocab, std::string_view text, std::vector<int32_t>& out);
// A gpt2 token's text back to its bytes.
std::string bpe_decode_token(const std::string& token_text);

}  // namespace hearth::engine
