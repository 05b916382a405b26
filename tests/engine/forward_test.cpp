// The engine's forward pass against tests/engine/reference_forward.py, an independent numpy
// implementation: same top-1 token at every position and logits within a stated bound, for each
// weight type and for llama (grouped-query attention) and qwen2 (biases, NeoX RoPE) shapes.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "hearth/engine/context.h"
#include "hearth/engine/model.h"
#include "hearth/engine/test_model.h"
#include "subprocess.h"
#include "temp_dir.h"
#include "tiny_model.h"

namespace hearth::engine {
namespace {

struct Case {
  const char* type;
  const char* arch;
  double max_abs_diff;  // bound on |logit difference|
};

class Forward : public ::testing::TestWithParam<Case> {};

TEST_P(Forward, MatchesNumpyReference) {
  const Case& c = GetParam();
  test::TempDir dir;
  TestModelOptions o = test::tiny_model_options(64, 2, 8, 2, 160, 320, c.type);
  o.shape.architecture = c.arch;
  o.shape.tied_output = std::string(c.arch) == "llama";
  o.seed = 7;
  auto w = build_test_model(o);
  ASSERT_TRUE(w) << w.error().message;
  const std::string path = dir.file("m.gguf");
  ASSERT_TRUE(w->write(path));

  const std::vector<int32_t> tokens = {1, 17, 250, 3, 99, 42, 42, 7, 311, 64, 5, 128};
  std::string cmd = std::string(HEARTH_PYTHON) + " " + std::string(HEARTH_SOURCE_DIR) + "/tests/engine/reference_forward.py " + path;
  for (int32_t t : tokens) cmd += " " + std::to_string(t);
  auto out = test::run_shell(cmd);
  ASSERT_EQ(out.exit_code, 0) << out.text;
  auto ref = nlohmann::json::parse(out.text);
  ASSERT_EQ(ref.size(), tokens.size());

  auto model = Model::load(path);
  ASSERT_TRUE(model) << model.error().message;
  ContextOptions copts;
  copts.n_batch = 5;  // several batches, so batching and the KV cache are both exercised
  copts.n_threads = 2;
  auto ctx = Context::create(model.value(), copts);
  ASSERT_TRUE(ctx);
  auto all = (*ctx)->eval_all(tokens);
  ASSERT_TRUE(all) << all.error().message;
  const size_t V = (*model)->hparams().n_vocab;
  double max_diff = 0.0;
  for (size_t p = 0; p < tokens.size(); ++p) {
    const float* l = all->data() + p * V;
    size_t ref_best = 0;
    for (size_t v = 0; v < V; ++v) {
      const double r = ref[p][v].get<double>();
      max_diff = std::max(max_diff, std::abs(l[v] - r));
      if (r > ref[p][ref_best].get<double>()) ref_best = v;
    }
    EXPECT_EQ(static_cast<size_t>(std::max_element(l, l + V) - l), ref_best) << "position " << p;
  }
  EXPECT_LT(max_diff, c.max_abs_diff) << c.type << " " << c.arch;
  RecordProperty("max_abs_diff", std::to_string(max_diff));
}

INSTANTIATE_TEST_SUITE_P(Types, Forward,
                         ::testing::Values(Case{"F32", "llama", 1e-3}, Case{"F32", "qwen2", 1e-3},
                                           Case{"F16", "llama", 1e-3}, Case{"Q8_0", "llama", 2e-3},
                                           Case{"Q4_0", "llama", 2e-3}, Case{"Q8_0", "qwen2", 2e-3}),
                         [](const auto& param_info) {
                           return std::string(param_info.param.type) + "_" + param_info.param.arch;
                         });

// Model::load copies the weights out of the file mapping (into huge pages where the system gives
// them) and releases the mapping's pages; a separate token embedding stays in the mapping, and a
// tied one is the output matrix's copy. The forward tests above check the copy's numbers.
TEST(ModelMemory, WeightsAreCopiedOutOfTheMappingExceptASeparateEmbedding) {
  test::TempDir dir;
  for (const bool tied : {true, false}) {
    TestModelOptions o = test::tiny_model_options(64, 2, 8, 2, 160, 320, tied ? "Q4_0" : "Q8_0");
    o.shape.tied_output = tied;
    auto w = build_test_model(o);
    ASSERT_TRUE(w) << w.error().message;
    const std::string path = dir.file(tied ? "tied.gguf" : "separate.gguf");
    ASSERT_TRUE(w->write(path));
    auto model = Model::load(path);
    ASSERT_TRUE(model) << model.error().message;
    const GgufFile& file = (*model)->file();
    const GgufTensorInfo& first = file.tensors().front();
    const uint8_t* begin = file.tensor_data(first) - first.offset;
    const uint8_t* end = begin + file.file_size();
    auto in_mapping = [&](const Weight& x) { return x.data >= begin && x.data < end; };
    const ModelWeights& W = (*model)->weights();
    std::vector<const Weight*> copied = {&W.output_norm, &W.output};
    for (const LayerWeights& l : W.layers)
      for (const Weight* x : {&l.attn_norm, &l.wq, &l.wk, &l.wv, &l.wo, &l.ffn_norm, &l.w_gate, &l.w_up, &l.w_down})
        copied.push_back(x);
    for (const Weight* x : copied) {
      EXPECT_FALSE(in_mapping(*x)) << (tied ? "tied" : "separate");
      EXPECT_EQ(reinterpret_cast<uintptr_t>(x->data) % 64, 0u);
    }
    if (tied) {
      EXPECT_EQ(W.token_embd.data, W.output.data);
    } else {
      EXPECT_TRUE(in_mapping(W.token_embd));
      EXPECT_EQ(W.token_embd.data, file.tensor_data(*file.find_tensor("token_embd.weight")));
    }
  }
}

}  // namespace
}  // namespace hearth::engine
