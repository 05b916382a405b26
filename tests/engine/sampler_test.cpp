// Sampling, the generation loop, prefix reuse and quantisation of whole models.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "hearth/engine/context.h"
#include "hearth/engine/generate.h"
#include "hearth/engine/model.h"
#include "hearth/engine/quantize.h"
#include "hearth/engine/sampler.h"
#include "hearth/engine/test_model.h"
#include "hearth/engine/tokenizer.h"
#include "temp_dir.h"
#include "tiny_model.h"

namespace hearth::engine {
namespace {

TEST(SamplerConfig, FromJson) {
  auto c = SamplerConfig::from_json(R"({"topK":40,"temperature":0.7,"maxTokens":64,"stop":["\n"],"seed":9})");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->top_k, 40);
  EXPECT_FLOAT_EQ(c->temperature, 0.7f);
  EXPECT_EQ(c->max_tokens, 64);
  EXPECT_EQ(c->stop, std::vector<std::string>{"\n"});
  EXPECT_EQ(c->seed, 9u);
  for (const char* bad : {R"({"topk":40})", R"({"temperature":"hot"})", R"({"temperature":-1})", R"({"topP":0})",
                          R"({"maxTokens":0})", R"([1,2])", "not json", R"({"stop":[1]})"}) {
    auto r = SamplerConfig::from_json(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
  auto unknown = SamplerConfig::from_json(R"({"topk":40})");
  EXPECT_NE(unknown.error().message.find("topk"), std::string::npos);
}

TEST(Sampler, GreedyPicksTheMaxAndReportsItsLogProb) {
  Sampler s(SamplerConfig{});
  const std::vector<float> logits = {0.0f, 2.0f, 1.0f, -INFINITY};
  auto t = s.sample(logits, {});
  EXPECT_EQ(t.id, 1);
  const double z = std::exp(0.0) + std::exp(2.0) + std::exp(1.0);
  EXPECT_NEAR(t.logprob, 2.0 - std::log(z), 1e-5);
}

TEST(Sampler, SeededDrawsRepeatAndFollowTheDistribution) {
  SamplerConfig c;
  c.temperature = 1.0f;
  c.seed = 123;
  const std::vector<float> logits = {std::log(0.5f), std::log(0.3f), std::log(0.2f), -INFINITY};
  Sampler a(c), b(c);
  std::map<int, int> counts;
  for (int i = 0; i < 20000; ++i) {
    auto x = a.sample(logits, {});
    EXPECT_EQ(x.id, b.sample(logits, {}).id);
    counts[x.id]++;
  }
  EXPECT_EQ(counts.count(3), 0u);  // impossible tokens never come out
  EXPECT_NEAR(counts[0] / 20000.0, 0.5, 0.02);
  EXPECT_NEAR(counts[1] / 20000.0, 0.3, 0.02);
  EXPECT_NEAR(counts[2] / 20000.0, 0.2, 0.02);
}

TEST(Sampler, TopKTopPMinPAndRepetitionPenalty) {
  const std::vector<float> logits = {std::log(0.4f), std::log(0.3f), std::log(0.2f), std::log(0.1f)};
  auto ids_seen = [&](SamplerConfig c, std::vector<int32_t> history = {}) {
    c.temperature = 1.0f;
    Sampler s(c);
    std::map<int, int> seen;
    for (int i = 0; i < 3000; ++i) seen[s.sample(logits, history).id]++;
    return seen;
  };
  SamplerConfig k;
  k.top_k = 2;
  auto a = ids_seen(k);
  EXPECT_EQ(a.size(), 2u);
  EXPECT_TRUE(a.count(0) && a.count(1));
  SamplerConfig p;
  p.top_p = 0.65f;  // 0.4 + 0.3 >= 0.65
  EXPECT_EQ(ids_seen(p).size(), 2u);
  SamplerConfig m;
  m.min_p = 0.6f;  // keeps p >= 0.24
  EXPECT_EQ(ids_seen(m).size(), 2u);
  SamplerConfig r;
  r.repeat_penalty = 100.0f;
  r.top_k = 1;
  auto rep = ids_seen(r, {0});
  EXPECT_EQ(rep.size(), 1u);
  EXPECT_TRUE(rep.count(1)) << "token 0 was just used and is penalised";
}

std::shared_ptr<const Model> tiny_model(const test::TempDir& dir, const std::string& type = "F32") {
  auto w = build_test_model(test::tiny_model_options(64, 2, 4, 2, 128, 400, type));
  EXPECT_TRUE(w);
  const std::string path = dir.file("tiny-" + type + ".gguf");
  EXPECT_TRUE(w->write(path));
  auto m = Model::load(path);
  EXPECT_TRUE(m) << (m ? "" : m.error().message);
  return m.value();
}

TEST(Context, PrefixReuseGivesTheSameLogitsAndEvaluatesOnlyTheNewTokens) {
  test::TempDir dir;
  auto model = tiny_model(dir);
  auto ctx = Context::create(model).value();
  auto fresh = Context::create(model).value();
  const std::vector<int32_t> system = {1, 10, 20, 30, 40, 50, 60};
  std::vector<int32_t> a = system, b = system;
  a.insert(a.end(), {70, 80});
  b.insert(b.end(), {90, 91, 92});
  ASSERT_TRUE(ctx->eval_reusing_prefix(a));
  EXPECT_EQ(ctx->last_evaluated(), a.size());
  auto reused = ctx->eval_reusing_prefix(b);
  ASSERT_TRUE(reused);
  EXPECT_EQ(ctx->last_evaluated(), 3u);
  std::vector<float> got(reused->begin(), reused->end());
  auto want = fresh->eval(b);
  ASSERT_TRUE(want);
  for (size_t i = 0; i < got.size(); ++i) ASSERT_NEAR(got[i], (*want)[i], 1e-5) << i;
  // The same tokens again: only the last one is re-evaluated.
  ASSERT_TRUE(ctx->eval_reusing_prefix(b));
  EXPECT_EQ(ctx->last_evaluated(), 1u);
}

TEST(Context, RefusesWhatDoesNotFit) {
  test::TempDir dir;
  auto model = tiny_model(dir);
  ContextOptions o;
  o.n_ctx = 8;
  auto ctx = Context::create(model, o).value();
  std::vector<int32_t> nine(9, 5);
  auto r = ctx->eval(nine);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kContextFull);
  EXPECT_EQ(ctx->n_past(), 0u);  // nothing changed
  std::vector<int32_t> bad = {1, 400};
  EXPECT_EQ(ctx->eval(bad).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(ctx->eval(std::vector<int32_t>{}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(ctx->kv_bytes(), 2u * 2 * 8 * 32 * 2);  // K and V, 2 layers, 8 positions, kv_dim 32, F16
}

TEST(Context, Q8_0KvCacheHalvesTheMemoryAndStaysClose) {
  test::TempDir dir;
  auto w = build_test_model(test::tiny_model_options(128, 2, 4, 2, 256, 400, "F32"));  // head size 32
  ASSERT_TRUE(w);
  ASSERT_TRUE(w->write(dir.file("m.gguf")));
  auto model = Model::load(dir.file("m.gguf")).value();
  ContextOptions f16, q8;
  q8.kv_type = KvType::kQ8_0;
  auto a = Context::create(model, f16).value();
  auto b = Context::create(model, q8).value();
  EXPECT_EQ(b->kv_type(), KvType::kQ8_0);
  EXPECT_EQ(b->kv_bytes() * 64, a->kv_bytes() * 34);  // 34 bytes per 32 values instead of 64
  std::vector<int32_t> tokens;
  for (int i = 0; i < 40; ++i) tokens.push_back(1 + (i * 37) % 390);
  auto la = a->eval_all(tokens);
  auto lb = b->eval_all(tokens);
  ASSERT_TRUE(la && lb);
  double err = 0.0, norm = 0.0;
  for (size_t i = 0; i < la->size(); ++i) {
    err += ((*la)[i] - (*lb)[i]) * ((*la)[i] - (*lb)[i]);
    norm += (*la)[i] * (*la)[i];
  }
  EXPECT_LT(std::sqrt(err / norm), 0.02);
  // Head size 16 cannot be split into Q8_0 blocks.
  auto small = tiny_model(dir);  // 64 wide, 4 heads
  auto refused = Context::create(small, q8);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("multiple of 32"), std::string::npos);
}

TEST(Generate, StopsAtMaxTokensAndStopStrings) {
  test::TempDir dir;
  auto model = tiny_model(dir);
  auto ctx = Context::create(model).value();
  SamplerConfig c;
  c.max_tokens = 12;
  Sampler s(c);
  const std::vector<int32_t> prompt = {1, 100, 101};
  int streamed = 0;
  auto g = generate(*ctx, prompt, s, [&](int32_t, const std::string&) {
    ++streamed;
    return true;
  });
  ASSERT_TRUE(g) << g.error().message;
  if (g->stop == StopReason::kMaxTokens) {
    EXPECT_EQ(g->tokens.size(), 12u);
  }
  EXPECT_EQ(static_cast<size_t>(streamed), g->tokens.size());
  EXPECT_EQ(g->tokens.size(), g->logprobs.size());
  for (float lp : g->logprobs) EXPECT_LE(lp, 0.0f);
  // Greedy is deterministic: a second run from the same prompt gives the same tokens.
  Sampler s2(c);
  auto again = generate(*ctx, prompt, s2);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->tokens, g->tokens);
  if (g->text.size() > 2) {
    SamplerConfig cs = c;
    cs.stop = {g->text.substr(1, 2)};
    Sampler s3(cs);
    auto cut = generate(*ctx, prompt, s3);
    ASSERT_TRUE(cut);
    EXPECT_EQ(cut->stop, StopReason::kStopString);
    EXPECT_EQ(cut->text, g->text.substr(0, 1));
  }
  // A callback that says stop.
  Sampler s4(c);
  auto cancelled = generate(*ctx, prompt, s4, [](int32_t, const std::string&) { return false; });
  ASSERT_TRUE(cancelled);
  EXPECT_EQ(cancelled->stop, StopReason::kCancelled);
  EXPECT_EQ(cancelled->tokens.size(), 1u);
}

TEST(Quantize, OutputLoadsAndStaysCloseToTheOriginal) {
  test::TempDir dir;
  auto f32 = tiny_model(dir, "F32");
  const std::vector<int32_t> tokens = {1, 5, 9, 77, 200};
  auto ref_ctx = Context::create(f32).value();
  auto ref = ref_ctx->eval(tokens);
  ASSERT_TRUE(ref);
  std::vector<float> want(ref->begin(), ref->end());
  for (const char* type : {"Q8_0", "Q4_0", "F16"}) {
    const std::string out = dir.file(std::string("q-") + type + ".gguf");
    auto r = quantize_model(dir.file("tiny-F32.gguf"), out, type);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_LT(r->bytes_out, r->bytes_in);
    EXPECT_GT(r->tensors_quantized, 0);
    auto m = Model::load(out);
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m.value()->dominant_type(), type);
    EXPECT_EQ(m.value()->file().get_uint("general.file_type").value(),
              std::string(type) == "Q8_0" ? 7u : std::string(type) == "Q4_0" ? 2u : 1u);
    auto ctx = Context::create(m.value()).value();
    auto got = ctx->eval(tokens);
    ASSERT_TRUE(got);
    double err = 0.0, norm = 0.0;
    for (size_t i = 0; i < want.size(); ++i) {
      err += ((*got)[i] - want[i]) * ((*got)[i] - want[i]);
      norm += want[i] * want[i];
    }
    // Relative RMS error of the logits: small for 8 bits, larger but bounded for 4.
    EXPECT_LT(std::sqrt(err / norm), std::string(type) == "Q4_0" ? 0.25 : 0.05) << type;
  }
  // Q4_K_M on a model whose rows are 256 wide: Q4_K weights, Q6_K output and some attn_v/ffn_down.
  {
    auto w = build_test_model(test::tiny_model_options(256, 2, 4, 2, 512, 400, "F32"));
    ASSERT_TRUE(w);
    ASSERT_TRUE(w->write(dir.file("wide.gguf")));
    auto r = quantize_model(dir.file("wide.gguf"), dir.file("wide-q4km.gguf"), "Q4_K_M");
    ASSERT_TRUE(r) << r.error().message;
    auto m = Model::load(dir.file("wide-q4km.gguf"));
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m.value()->file().get_uint("general.file_type").value(), 15u);
    EXPECT_EQ(m.value()->file().find_tensor("token_embd.weight")->type, TensorType::kQ6_K);  // tied output
    EXPECT_EQ(m.value()->file().find_tensor("blk.0.attn_q.weight")->type, TensorType::kQ4_K);
    EXPECT_EQ(m.value()->file().find_tensor("blk.0.ffn_down.weight")->type, TensorType::kQ4_K);
    EXPECT_EQ(m.value()->file().find_tensor("blk.1.ffn_down.weight")->type, TensorType::kQ6_K);  // the last layer
    // The contexts must outlive the logits they return.
    auto ref_ctx_wide = Context::create(Model::load(dir.file("wide.gguf")).value()).value();
    auto wide_ref = ref_ctx_wide->eval(tokens);
    ASSERT_TRUE(wide_ref);
    std::vector<float> want_wide(wide_ref->begin(), wide_ref->end());
    auto q_ctx = Context::create(m.value()).value();
    auto got = q_ctx->eval(tokens);
    ASSERT_TRUE(got);
    double err = 0.0, norm = 0.0;
    for (size_t i = 0; i < want_wide.size(); ++i) {
      err += ((*got)[i] - want_wide[i]) * ((*got)[i] - want_wide[i]);
      norm += want_wide[i] * want_wide[i];
    }
    EXPECT_LT(std::sqrt(err / norm), 0.2);
  }
  auto bad = quantize_model(dir.file("tiny-F32.gguf"), dir.file("x.gguf"), "Q5_1");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(quantize_model(dir.file("tiny-F32.gguf"), dir.file("tiny-F32.gguf"), "Q8_0"));
}

}  // namespace
}  // namespace hearth::engine
