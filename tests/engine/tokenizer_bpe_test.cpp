// Byte-level BPE (gpt2-style GGUF tokenizers) on a small hand-made vocabulary.
#include <gtest/gtest.h>

#include <random>

#include "hearth/engine/gguf.h"
#include "hearth/engine/gguf_writer.h"
#include "hearth/engine/tokenizer.h"

namespace hearth::engine {
namespace {

// GPT-2's printable alphabet for a byte.
std::string cp_of(int b) {
  static std::vector<std::string> table = [] {
    std::vector<std::string> t(256);
    int next = 256;
    for (int x = 0; x < 256; ++x) {
      const bool printable = (x >= 33 && x <= 126) || (x >= 161 && x <= 172) || (x >= 174 && x <= 255);
      const int cp = printable ? x : next++;
      std::string s;
      if (cp < 0x80) {
        s += static_cast<char>(cp);
      } else {
        s += static_cast<char>(0xc0 | (cp >> 6));
        s += static_cast<char>(0x80 | (cp & 0x3f));
      }
      t[x] = s;
    }
    return t;
  }();
  return table[b];
}

class Bpe : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int b = 0; b < 256; ++b) tokens_.push_back(cp_of(b));
    const std::string sp = cp_of(' ');  // "Ġ"
    const std::vector<std::pair<std::string, std::string>> merges = {
        {"h", "e"}, {sp, "t"}, {sp + "t", "he"}, {"i", "n"}, {sp, "in"}, {"o", ","}, {"1", "2"}, {"12", "3"}, {"123", "4"},
        {"l", "l"}, {"ll", "o"}, {"H", "e"}, {"He", "llo"}};
    std::vector<std::string> merge_text;
    for (const auto& [a, b] : merges) {
      merge_text.push_back(a + " " + b);
      tokens_.push_back(a + b);
    }
    tokens_.push_back("<|endoftext|>");
    std::vector<int32_t> types(tokens_.size(), 1);
    types.back() = 3;
    GgufWriter w;
    w.set_string("tokenizer.ggml.model", "gpt2");
    w.set_string("tokenizer.ggml.pre", "llama-bpe");
    w.set_strings("tokenizer.ggml.tokens", tokens_);
    w.set_i32s("tokenizer.ggml.token_type", types);
    w.set_strings("tokenizer.ggml.merges", merge_text);
    w.set_u32("tokenizer.ggml.eos_token_id", static_cast<uint32_t>(tokens_.size() - 1));
    file_ = GgufFile::parse(w.to_bytes(), "bpe.gguf").value();
    auto t = Tokenizer::from_gguf(*file_);
    ASSERT_TRUE(t) << t.error().message;
    tok_ = std::move(t).value();
  }
  int32_t id(const std::string& s) const { return tok_->find(s); }

  std::vector<std::string> tokens_;
  std::unique_ptr<GgufFile> file_;
  std::unique_ptr<Tokenizer> tok_;
};

TEST_F(Bpe, MergesInRankOrder) {
  const std::string sp = cp_of(' ');
  EXPECT_EQ(tok_->encode(" the", true), (std::vector<int32_t>{id(sp + "the")}));  // no BOS in this vocabulary
  EXPECT_EQ(tok_->encode("the", false), (std::vector<int32_t>{id("t"), id("he")}));
  EXPECT_EQ(tok_->encode("Hello in", false), (std::vector<int32_t>{id("Hello"), id(sp + "in")}));
}

TEST_F(Bpe, PreTokensBoundTheMerges) {
  // "o," is a merge, but "Hello" and "," are separate pre-tokens.
  EXPECT_EQ(tok_->encode("Hello,", false), (std::vector<int32_t>{id("Hello"), id(",")}));
  // At most three digits per pre-token: "1234" is "123" + "4", never the "1234" merge.
  EXPECT_EQ(tok_->encode("1234", false), (std::vector<int32_t>{id("123"), id("4")}));
  // A run of spaces before a word leaves its last space to the word.
  EXPECT_EQ(tok_->encode("  the", false), (std::vector<int32_t>{id(cp_of(' ')), id(cp_of(' ') + "the")}));
}

TEST_F(Bpe, SpecialTokensAndRoundTrip) {
  const int32_t eot = static_cast<int32_t>(tokens_.size() - 1);
  auto with = tok_->encode("the<|endoftext|>", false, true);
  EXPECT_EQ(with.back(), eot);
  auto without = tok_->encode("<|endoftext|>", false, false);
  EXPECT_GT(without.size(), 1u) << "control tokens are plain text unless parse_special";
  EXPECT_TRUE(tok_->is_end_of_generation(eot));
  std::mt19937 rng(5);
  for (const std::string& s : {std::string("Hello, wörld! 😀 12345\n\n  tabs\tand 'quotes' it's"), std::string("\x80\xff raw")}) {
    EXPECT_EQ(tok_->decode(tok_->encode(s, false)), s);
  }
  for (int i = 0; i < 200; ++i) {
    std::string s;
    for (int k = 0; k < 20; ++k) s += static_cast<char>(rng() % 256);
    ASSERT_EQ(tok_->decode(tok_->encode(s, false)), s);
  }
}

TEST(BpeFile, NeedsMerges) {
  GgufWriter w;
  w.set_string("tokenizer.ggml.model", "gpt2");
  w.set_strings("tokenizer.ggml.tokens", {"a", "b"});
  auto f = GgufFile::parse(w.to_bytes(), "x.gguf").value();
  auto t = Tokenizer::from_gguf(*f);
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message.find("merges"), std::string::npos);
}

}  // namespace
}  // namespace hearth::engine
