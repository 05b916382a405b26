// A miniature run of the whole training pipeline (tiny corpus, tiny model, a few steps): the loss
// falls, the exported GGUF loads in the engine, the engine tokenizes the prompt as SentencePiece
// does, and its logits match torch's. Needs Debian's python3-torch and python3-sentencepiece
// (packaging/install-deps.sh --training, which the test command runs); skips, saying so, without.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "hearth/engine/context.h"
#include "hearth/engine/model.h"
#include "hearth/engine/tokenizer.h"
#include "temp_dir.h"

namespace eng = hearth::engine;

namespace {

std::string run(const std::string& cmd, int* status) {
  std::string out;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return out;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  *status = pclose(p);
  return out;
}

const std::string kTraining = HEARTH_SOURCE_DIR "/nlu/training/";

}  // namespace

TEST(TrainingPipeline, TinyRunTrainsExportsAndMatchesTorch) {
  int st = 0;
  run(std::string(HEARTH_PYTHON) + " -c 'import torch, sentencepiece'", &st);
  if (st != 0) GTEST_SKIP() << "python3-torch or python3-sentencepiece is missing (packaging/install-deps.sh --training)";
  hearth::test::TempDir dir;
  const std::string py = std::string(HEARTH_PYTHON) + " ";
  std::string out = run(py + kTraining + "corpus.py --out " + dir.file("corpus") + " --train 600 --test 10 --seed 3", &st);
  ASSERT_EQ(st, 0) << out;
  out = run(py + kTraining + "train.py --data " + dir.file("corpus") + " --out " + dir.file("run") +
                " --vocab 420 --embd 64 --layers 2 --heads 4 --kv-heads 2 --ff 128 --ctx 128 --steps 150 --batch 16 --lr 5e-3",
            &st);
  ASSERT_EQ(st, 0) << out;

  // The loss falls.
  std::ifstream curve(dir.file("run/curve.tsv"));
  std::string header, line;
  std::getline(curve, header);
  std::vector<double> losses;
  while (std::getline(curve, line)) {
    std::istringstream f(line);
    double step, tokens, loss;
    f >> step >> tokens >> loss;
    losses.push_back(loss);
  }
  ASSERT_GE(losses.size(), 2u);
  EXPECT_LT(losses.back(), losses.front() * 0.75) << "first " << losses.front() << ", last " << losses.back();

  // The export loads, and runs as torch does.
  auto model = eng::Model::load(dir.file("run/model-f32.gguf"));
  ASSERT_TRUE(model) << model.error().message;
  EXPECT_EQ(model.value()->file().get_string("hearth.prompt_format").value_or(""), "hearth-intents-1");
  const std::string text = "user: turn on the kitchen lights intent: [{\"intent\":\"HassTurnOn\"}]";
  out = run(py + kTraining + "reference_logits.py " + dir.file("run/model.pt") + " " + dir.file("run/tokenizer.model") + " '" +
                text + "'",
            &st);
  ASSERT_EQ(st, 0) << out;
  const auto ref = nlohmann::json::parse(out);
  const std::vector<int32_t> want = ref["tokens"].get<std::vector<int32_t>>();
  const std::vector<int32_t> ids = model.value()->tokenizer().encode(text, true);
  ASSERT_EQ(ids, want) << "the engine's tokenizer differs from SentencePiece";
  auto ctx = eng::Context::create(model.value()).value();
  auto logits = ctx->eval_all(ids);
  ASSERT_TRUE(logits) << logits.error().message;
  const size_t V = static_cast<size_t>(model.value()->hparams().n_vocab);
  double worst = 0.0;
  for (size_t t = 0; t < ids.size(); ++t)
    for (size_t v = 0; v < V; ++v)
      worst = std::max(worst, std::abs(static_cast<double>((*logits)[t * V + v]) - ref["logits"][t][v].get<double>()));
  EXPECT_LT(worst, 2e-3) << "max |logit difference| between the engine and torch";
}

// The held-out split measures unseen ways of putting known words together: every word of a held-out
// template is taught by some training template of its list, and every shape of request it asks for
// (an intent with its slots) is in training. Adding a template whose words or shape the model
// never reads in training fails here (corpus.py --check names it).
TEST(TrainingCorpus, HeldOutTemplatesUseOnlyTaughtWordsAndShapes) {
  int st = 0;
  run(std::string(HEARTH_PYTHON) + " -c 'import sys'", &st);
  if (st != 0) GTEST_SKIP() << "python3 is missing";
  const std::string out = run(std::string(HEARTH_PYTHON) + " " + kTraining + "corpus.py --check", &st);
  EXPECT_EQ(st, 0) << out;
}
