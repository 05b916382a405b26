// Cost of grammar-constrained decoding on a real vocabulary:
//   build/benchmarks/bench_grammar MODEL.gguf [THREADS]
// Prints, as medians of 7 runs: the time of one mask() at several grammar states against the
// time of one decode step of the model, and the tokens/s of constrained JSON generation (with
// and without forced runs) against unconstrained generation of the same number of tokens.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "hearth/engine/context.h"
#include "hearth/engine/generate.h"
#include "hearth/engine/grammar.h"
#include "hearth/engine/model.h"
#include "hearth/engine/tokenizer.h"

using namespace hearth::engine;
using clock_type = std::chrono::steady_clock;

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// The intent schema the NLU uses has this shape: fixed keys, an enum, names from a value set,
// a bounded number, and one free-text field.
const char* kSchema = R"({"type":"object","properties":{
  "intent":{"enum":["HassTurnOn","HassTurnOff","HassToggle","HassLightSet","HassClimateSetTemperature","HassGetState"]},
  "name":{"x-hearth-set":"names"},
  "area":{"x-hearth-set":"areas"},
  "brightness":{"type":"integer","minimum":0,"maximum":100},
  "reply":{"type":"string"}},
  "required":["intent","name","area","reply"]})";

std::shared_ptr<ValueSets> home() {
  auto sets = std::make_shared<ValueSets>();
  std::vector<std::string> names, areas;
  for (const char* room : {"kitchen", "living room", "bedroom", "office", "hallway", "garage", "porch", "bathroom"}) {
    areas.push_back(room);
    for (const char* dev : {" light", " lamp", " fan", " blinds", " speaker"}) names.push_back(std::string(room) + dev);
  }
  sets->set("names", names);
  sets->set("areas", areas);
  return sets;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_grammar MODEL.gguf [THREADS]\n");
    return 2;
  }
  auto model = Model::load(argv[1]);
  if (!model) {
    std::fprintf(stderr, "%s\n", model.error().message.c_str());
    return 1;
  }
  ContextOptions copts;
  copts.n_threads = argc > 2 ? std::atoi(argv[2]) : 0;
  auto ctx = Context::create(model.value(), copts).value();
  const Tokenizer& tok = (*model)->tokenizer();
  TokenTrie trie(tok);
  auto grammar = Grammar::from_json_schema(kSchema).value();
  auto sets = home();
  auto cache = std::make_shared<MaskCache>();  // shared by the generations below, as the NLU does

  // One decode step.
  std::vector<double> step_us;
  std::vector<int32_t> prompt = tok.encode("Turn on the kitchen light please.", true);
  (void)ctx->eval(prompt);
  for (int i = 0; i < 64; ++i) {
    const int32_t t = prompt[static_cast<size_t>(i) % prompt.size()];
    auto t0 = clock_type::now();
    (void)ctx->eval(std::span<const int32_t>(&t, 1));
    step_us.push_back(std::chrono::duration<double, std::micro>(clock_type::now() - t0).count());
    if (ctx->n_past() + 2 >= ctx->n_ctx()) ctx->clear();
  }
  const double step = median(step_us);
  std::printf("model %s: vocabulary %d tokens, decode step %.1f us (%d threads)\n", argv[1], tok.n_vocab(), step,
              ctx->n_threads());

  struct State {
    const char* label;
    const char* prefix;
  };
  std::vector<float> logits(static_cast<size_t>(tok.n_vocab()));
  std::printf("| grammar state | allowed tokens | mask us, first time | fraction of a decode step | mask us, cached | fraction |\n"
              "|---|---:|---:|---:|---:|---:|\n");
  for (const State& st : {State{"start (forced key)", ""}, State{"intent enum", R"({"intent":")"},
                          State{"device name (value set)", R"({"intent":"HassTurnOn","name":")"},
                          State{"free text (worst case)", R"({"intent":"HassTurnOn","name":"kitchen light","area":"kitchen","reply":")"}}) {
    std::vector<double> us, cached_us;
    size_t allowed = 0;
    auto state_cache = std::make_shared<MaskCache>();
    for (int rep = 0; rep < 7; ++rep) {
      auto s = GrammarState::create(grammar, sets, rep == 0 ? nullptr : state_cache).value();
      if (!s->accept(st.prefix)) {
        std::fprintf(stderr, "prefix not accepted: %s\n", st.prefix);
        return 1;
      }
      std::fill(logits.begin(), logits.end(), 0.0f);
      auto t0 = clock_type::now();
      allowed = s->mask(trie, logits, tok.eos());
      const double t = std::chrono::duration<double, std::micro>(clock_type::now() - t0).count();
      (rep <= 1 ? us : cached_us).push_back(t);  // rep 1 fills the cache, later ones hit it
    }
    std::printf("| %s | %zu | %.1f | %.3f | %.1f | %.3f |\n", st.label, allowed, median(us), median(us) / step,
                median(cached_us), median(cached_us) / step);
  }

  // Generation speed: the same number of tokens with and without the grammar.
  auto run = [&](bool constrained, bool forced, size_t max_tokens, size_t* produced) {
    std::vector<double> tps;
    for (int rep = 0; rep < 7; ++rep) {
      ctx->clear();
      SamplerConfig c;
      c.max_tokens = static_cast<int>(max_tokens);
      Sampler sampler(c);
      std::unique_ptr<GrammarState> state;
      Constraint k;
      if (constrained) {
        state = GrammarState::create(grammar, sets, cache).value();
        k = Constraint{state.get(), &trie, forced};
      }
      auto g = generate(*ctx, prompt, sampler, {}, k).value();
      *produced = g.tokens.size();
      tps.push_back(g.tokens.size() * 1000.0 / g.generate_ms);
    }
    return median(tps);
  };
  // Long keys, short values: most of the output is fixed text the grammar forces.
  const char* long_keys = R"({"type":"object","properties":{
    "recognised_intent_name":{"enum":["HassTurnOn","HassTurnOff"]},
    "target_device_name_from_the_registry":{"x-hearth-set":"names"},
    "requested_brightness_percentage":{"enum":[0,25,50,75,100]},
    "confirmation_required_before_acting":{"type":"boolean"}},
    "required":["recognised_intent_name","target_device_name_from_the_registry","requested_brightness_percentage",
                "confirmation_required_before_acting"]})";
  auto long_grammar = Grammar::from_json_schema(long_keys).value();
  auto long_cache = std::make_shared<MaskCache>();
  auto run_long = [&](bool forced, size_t* produced) {
    std::vector<double> tps;
    for (int rep = 0; rep < 7; ++rep) {
      ctx->clear();
      SamplerConfig c;
      c.max_tokens = 400;
      Sampler sampler(c);
      auto state = GrammarState::create(long_grammar, sets, long_cache).value();
      Constraint k{state.get(), &trie, forced};
      auto g = generate(*ctx, prompt, sampler, {}, k).value();
      *produced = g.tokens.size();
      tps.push_back(g.tokens.size() * 1000.0 / g.generate_ms);
    }
    return median(tps);
  };
  size_t n_constrained = 0, n_plain = 0, n_noforce = 0;
  const double constrained = run(true, true, 200, &n_constrained);
  const double no_forced = run(true, false, 200, &n_noforce);
  const double plain = run(false, false, n_constrained, &n_plain);
  std::printf("\n| generation | tokens | tokens/s | ratio to unconstrained |\n|---|---:|---:|---:|\n");
  std::printf("| unconstrained (greedy) | %zu | %.0f | 1.00 |\n", n_plain, plain);
  std::printf("| JSON schema, forced runs | %zu | %.0f | %.2f |\n", n_constrained, constrained, constrained / plain);
  std::printf("| JSON schema, no forced runs | %zu | %.0f | %.2f |\n", n_noforce, no_forced, no_forced / plain);
  size_t n_long = 0, n_long_plain = 0, n_long_noforce = 0;
  const double long_forced = run_long(true, &n_long);
  const double long_noforce = run_long(false, &n_long_noforce);
  const double long_plain = run(false, false, n_long, &n_long_plain);
  std::printf("| unconstrained, %zu tokens | %zu | %.0f | 1.00 |\n", n_long, n_long_plain, long_plain);
  std::printf("| long-key schema, forced runs | %zu | %.0f | %.2f |\n", n_long, long_forced, long_forced / long_plain);
  std::printf("| long-key schema, no forced runs | %zu | %.0f | %.2f |\n", n_long_noforce, long_noforce,
              long_noforce / long_plain);
  return 0;
}
