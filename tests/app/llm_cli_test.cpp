// `hearth llm ...` from the shell: the commands a user runs on model files.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <nlohmann/json.hpp>

#include "hearth/engine/test_model.h"
#include "subprocess.h"
#include "temp_dir.h"
#include "tiny_model.h"

namespace hearth::test {
namespace {

std::string hearth(const std::string& args) { return std::string(HEARTH_BINARY) + " " + args; }

class LlmCli : public ::testing::Test {
 protected:
  void SetUp() override {
    auto w = engine::build_test_model(tiny_model_options());
    ASSERT_TRUE(w);
    model_ = dir_.file("tiny.gguf");
    ASSERT_TRUE(w->write(model_));
  }
  TempDir dir_;
  std::string model_;
};

TEST_F(LlmCli, Info) {
  auto out = run_shell(hearth("llm info " + model_));
  ASSERT_EQ(out.exit_code, 0) << out.text;
  EXPECT_NE(out.text.find("2 layers, 64 wide, 4 heads / 2 KV heads"), std::string::npos) << out.text;
  auto j = nlohmann::json::parse(run_shell(hearth("llm info --json " + model_)).text);
  EXPECT_EQ(j["architecture"], "llama");
  EXPECT_EQ(j["n_vocab"], 400);
  EXPECT_EQ(j["tensor_types"]["F32"]["tensors"], 2 * 9 + 2);
}

TEST_F(LlmCli, GenerateIsDeterministicWhenGreedyAndSeeded) {
  auto a = run_shell(hearth("llm generate -m " + model_ + " -p 'hello there' -n 10 --tokens 2>/dev/null"));
  ASSERT_EQ(a.exit_code, 0) << a.text;
  EXPECT_EQ(a.text, run_shell(hearth("llm generate -m " + model_ + " -p 'hello there' -n 10 --tokens 2>/dev/null")).text);
  std::istringstream ids(a.text);
  int count = 0;
  for (int id; ids >> id; ++count) EXPECT_LT(id, 400);
  EXPECT_LE(count, 10);
  const std::string seeded = "llm generate -m " + model_ + " -p 'hello' -n 8 --temp 0.9 --seed 42 --tokens 2>/dev/null";
  EXPECT_EQ(run_shell(hearth(seeded)).text, run_shell(hearth(seeded)).text);
}

TEST_F(LlmCli, GenerateMatchesTheConformanceRun) {
  const std::string model = std::string(HEARTH_CONFORMANCE_DIR) + "/stories260K.gguf";
  if (!std::filesystem::exists(model)) GTEST_SKIP() << "conformance data not found at " << model;
  auto out = run_shell(hearth("llm generate -m " + model + " -p 'Once upon a time' -n 32 --tokens 2>/dev/null"));
  ASSERT_EQ(out.exit_code, 0);
  EXPECT_EQ(out.text.rfind("432 383 286 261 376 298 315 421 395 317", 0), 0u) << out.text;
}

TEST_F(LlmCli, BadInputIsAClearError) {
  auto missing = run_shell(hearth("llm info /nonexistent.gguf"));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.text.find("/nonexistent.gguf"), std::string::npos);
  auto garbage = run_shell("head -c 5000 /dev/urandom > " + dir_.file("bad.gguf") + "; " + hearth("llm info " + dir_.file("bad.gguf")));
  EXPECT_EQ(garbage.exit_code, 1);
  EXPECT_NE(garbage.text.find("not a GGUF file"), std::string::npos) << garbage.text;
  EXPECT_EQ(run_shell(hearth("llm generate -m " + model_ + " -p hi --sampler '{\"topk\":3}'")).exit_code, 2);
  EXPECT_EQ(run_shell(hearth("llm make-test-model --shape 7B --type Q8_0 " + dir_.file("x.gguf"))).exit_code, 2);
  EXPECT_EQ(run_shell(hearth("llm quantize " + model_ + " " + dir_.file("x.gguf") + " --type IQ2")).exit_code, 2);
}

TEST_F(LlmCli, QuantizeThenBench) {
  auto q = run_shell(hearth("llm quantize " + model_ + " " + dir_.file("q8.gguf") + " --type Q8_0"));
  ASSERT_EQ(q.exit_code, 0) << q.text;
  auto b = run_shell(hearth("llm bench -m " + dir_.file("q8.gguf") + " -p 16 -n 8 -r 2 -t 1 --json"));
  ASSERT_EQ(b.exit_code, 0) << b.text;
  auto j = nlohmann::json::parse(b.text);
  EXPECT_EQ(j["type"], "Q8_0");
  ASSERT_EQ(j["results"].size(), 1u);
  EXPECT_GT(j["results"][0]["decode_tokens_per_s"].get<double>(), 0.0);
  EXPECT_EQ(j["results"][0]["decode_runs"].size(), 2u);
  EXPECT_GT(j["peak_rss_bytes"].get<double>(), 0.0);
}

// --contend: the contended rows come with one-thread rows timed between them in the same run.
TEST_F(LlmCli, BenchContendTimesOneThreadBetweenTheContendedRuns) {
  auto b = run_shell(hearth("llm bench -m " + model_ + " -p 16 -n 8 -r 2 -t 2 --contend --json"));
  ASSERT_EQ(b.exit_code, 0) << b.text;
  auto j = nlohmann::json::parse(b.text);
  ASSERT_EQ(j["results"].size(), 3u) << b.text;
  EXPECT_EQ(j["results"][0]["contended"], false);
  EXPECT_EQ(j["results"][1]["contended"], true);
  EXPECT_EQ(j["results"][1]["threads"], 2);
  EXPECT_EQ(j["results"][2]["beside_contended"], true);
  EXPECT_EQ(j["results"][2]["threads"], 1);
  for (const auto& row : j["results"]) {
    EXPECT_EQ(row["decode_runs"].size(), 2u);
    EXPECT_GT(row["decode_tokens_per_s"].get<double>(), 0.0);
  }
}

TEST_F(LlmCli, Perplexity) {
  run_shell("printf 'the cat sat on the mat and the dog sat on the log' > " + dir_.file("t.txt"));
  auto out = run_shell(hearth("llm perplexity -m " + model_ + " -f " + dir_.file("t.txt") + " --json"));
  ASSERT_EQ(out.exit_code, 0) << out.text;
  auto j = nlohmann::json::parse(out.text);
  EXPECT_GT(j["perplexity"].get<double>(), 1.0);
  EXPECT_GT(j["tokens"].get<int>(), 5);
}

}  // namespace
}  // namespace hearth::test
