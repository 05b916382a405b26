// Conformance with llama.cpp on real files from ../shared/conformance (skipped when absent):
// the pretrained stories260K model reproduces llama.cpp's greedy continuation token for token
// with its top-5 logits within 1e-3, and the Llama SentencePiece vocabulary reproduces every
// reference tokenisation.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "hearth/engine/context.h"
#include "hearth/engine/model.h"
#include "hearth/engine/tokenizer.h"

namespace hearth::engine {
namespace {

const std::string kDir = HEARTH_CONFORMANCE_DIR;

#define REQUIRE_CONFORMANCE(file)                                                                   \
  if (!std::filesystem::exists(kDir + "/" + file))                                                  \
  GTEST_SKIP() << "conformance data not found at " << kDir << "/" << file << " (a user's clone has none)"

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

class Stories : public ::testing::TestWithParam<int> {};

TEST_P(Stories, GreedyMatchesLlamaCpp) {
  REQUIRE_CONFORMANCE("stories260K.gguf");
  auto ref = nlohmann::json::parse(slurp(kDir + "/stories260K.greedy.json"));
  auto model = Model::load(kDir + "/stories260K.gguf");
  ASSERT_TRUE(model) << model.error().message;
  const Tokenizer& tok = (*model)->tokenizer();
  auto prompt = tok.encode(ref["prompt"].get<std::string>(), true);
  EXPECT_EQ(prompt, ref["prompt_ids"].get<std::vector<int32_t>>());

  ContextOptions opts;
  opts.n_threads = GetParam();
  auto ctx = Context::create(model.value(), opts);
  ASSERT_TRUE(ctx) << ctx.error().message;
  auto logits = (*ctx)->eval(prompt);
  ASSERT_TRUE(logits) << logits.error().message;
  const auto expected = ref["generated_ids"].get<std::vector<int32_t>>();
  std::vector<int32_t> got;
  // llama.cpp keeps K/V in F16 and rounds q and the softmax weights to F16 for its F16 products,
  // as hearth does; its SIMD and tinyBLAS kernels add in another order, so a value near an F16
  // rounding boundary can round the other way. Observed: < 1e-4 for the first steps, at most
  // 2.9e-3 (relative 2e-4) at a few later steps, below 1e-3 on average.
  constexpr double kMaxDiff = 3e-3, kMeanDiff = 1e-3;
  double max_diff = 0.0, sum_diff = 0.0;
  int n_diff = 0;
  for (size_t step = 0; step < expected.size(); ++step) {
    std::span<const float> l = logits.value();
    const int32_t best = static_cast<int32_t>(std::max_element(l.begin(), l.end()) - l.begin());
    for (const auto& pair : ref["top5_per_step"][step]) {
      const int32_t id = pair[0].get<int32_t>();
      const double want = pair[1].get<double>();
      max_diff = std::max(max_diff, std::abs(l[id] - want));
      sum_diff += std::abs(l[id] - want);
      ++n_diff;
      EXPECT_NEAR(l[id], want, step < 3 ? 1e-4 : kMaxDiff) << "step " << step << " token " << id;
    }
    got.push_back(best);
    logits = (*ctx)->eval(std::span<const int32_t>(&got.back(), 1));
    ASSERT_TRUE(logits);
  }
  EXPECT_EQ(got, expected);
  EXPECT_LT(sum_diff / n_diff, kMeanDiff);
  EXPECT_EQ(tok.decode(got), ref["generated_text"].get<std::string>());
  RecordProperty("max_logit_diff", std::to_string(max_diff));
}

INSTANTIATE_TEST_SUITE_P(Threads, Stories, ::testing::Values(1, 2));

TEST(Stories, BatchedPromptEqualsTokenByToken) {
  REQUIRE_CONFORMANCE("stories260K.gguf");
  auto model = Model::load(kDir + "/stories260K.gguf");
  ASSERT_TRUE(model);
  auto ids = (*model)->tokenizer().encode("Once upon a time, there was a little dog named Max.", true);
  ContextOptions batched_opts;
  batched_opts.n_batch = 7;  // spans several batches
  auto batched = Context::create(model.value(), batched_opts);
  auto single = Context::create(model.value());
  ASSERT_TRUE(batched && single);
  auto all = (*batched)->eval_all(ids);
  ASSERT_TRUE(all);
  const size_t V = (*model)->hparams().n_vocab;
  for (size_t i = 0; i < ids.size(); ++i) {
    auto one = (*single)->eval(std::span<const int32_t>(&ids[i], 1));
    ASSERT_TRUE(one);
    for (size_t v = 0; v < V; ++v) ASSERT_NEAR((*all)[i * V + v], (*one)[v], 1e-4) << "position " << i;
  }
}

TEST(Tokenizer, LlamaSpmReferenceCases) {
  REQUIRE_CONFORMANCE("ggml-vocab-llama-spm.gguf");
  auto file = GgufFile::open(kDir + "/ggml-vocab-llama-spm.gguf");
  ASSERT_TRUE(file) << file.error().message;
  auto tok = Tokenizer::from_gguf(**file);
  ASSERT_TRUE(tok) << tok.error().message;
  const std::string inp = slurp(kDir + "/ggml-vocab-llama-spm.gguf.inp");
  const std::string out = slurp(kDir + "/ggml-vocab-llama-spm.gguf.out");
  std::vector<std::string> inputs;
  const std::string sep = "\n__ggml_vocab_test__\n";
  for (size_t pos = 0;;) {
    size_t next = inp.find(sep, pos);
    if (next == std::string::npos) break;
    inputs.push_back(inp.substr(pos, next - pos));
    pos = next + sep.size();
  }
  std::vector<std::string> lines;
  std::stringstream ss(out);
  for (std::string line; std::getline(ss, line);) lines.push_back(line);
  ASSERT_EQ(inputs.size(), lines.size());
  ASSERT_GE(inputs.size(), 40u);
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::vector<int32_t> want;
    std::stringstream ls(lines[i]);
    for (int32_t id; ls >> id;) want.push_back(id);
    EXPECT_EQ((*tok)->encode(inputs[i], false), want) << "case " << i << ": '" << inputs[i] << "'";
    // Decoding gives back the text with the added space prefix.
    if (!inputs[i].empty()) {
      EXPECT_EQ((*tok)->decode((*tok)->encode(inputs[i], false)), " " + inputs[i]);
    }
  }
}

}  // namespace
}  // namespace hearth::engine

namespace hearth::engine {
namespace {

TEST(Tokenizer, SentencePieceModelFileAgreesWithTheGgufVocabulary) {
  REQUIRE_CONFORMANCE("tok512.model");
  auto sp = Tokenizer::from_sentencepiece(kDir + "/tok512.model");
  ASSERT_TRUE(sp) << sp.error().message;
  auto model = Model::load(kDir + "/stories260K.gguf");
  ASSERT_TRUE(model);
  const Tokenizer& gguf = (*model)->tokenizer();
  EXPECT_EQ((*sp)->n_vocab(), gguf.n_vocab());
  EXPECT_EQ((*sp)->bos(), gguf.bos());
  EXPECT_EQ((*sp)->eos(), gguf.eos());
  for (const char* text : {"Once upon a time", "Lily saw a big, red ball!", "numbers 1234", "tab\tand\nnewline",
                           "ünïcödé ☃", ""}) {
    EXPECT_EQ((*sp)->encode(text, true), gguf.encode(text, true)) << "'" << text << "'";
    EXPECT_EQ((*sp)->decode((*sp)->encode(text, false)), gguf.decode(gguf.encode(text, false)));
  }
  // The .model file's normaliser also collapses runs of spaces and trims them (its
  // remove_extra_whitespaces rule); the GGUF tokenizer, like llama.cpp's, keeps them.
  EXPECT_EQ((*sp)->encode(" two  spaces ", false), gguf.encode("two spaces", false));
}

TEST(Tokenizer, NotASentencePieceModel) {
  auto r = Tokenizer::from_sentencepiece("/nonexistent.model");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kBadFormat);
  EXPECT_NE(r.error().message.find("/nonexistent.model"), std::string::npos);
}

}  // namespace
}  // namespace hearth::engine
