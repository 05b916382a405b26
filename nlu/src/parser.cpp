#include "hearth/nlu/parser.h"

#include <chrono>
#include <cmath>
#include <set>

#include "hearth/engine/context.h"
#include "hearth/engine/generate.h"
#include "hearth/engine/grammar.h"
#include "hearth/engine/gguf.h"
#include "hearth/engine/model.h"
#include "hearth/engine/tokenizer.h"
#include "hearth/nlu/contract.h"
#include "hearth/nlu/prompt.h"

namespace hearth::nlu {

IntentParser::~IntentParser() = default;

Result<std::unique_ptr<IntentParser>> IntentParser::create(const ParserOptions& options) {
  std::unique_ptr<IntentParser> p(new IntentParser());
  p->options_ = options;
  auto model = engine::Model::load(options.model_path);
  if (!model) return fail(ErrorCode::kModel, model.error().message);
  p->model_ = model.value();
  const auto format = p->model_->file().get_string("hearth.prompt_format");
  if (!format || *format != kPromptFormat)
    return fail(ErrorCode::kModel, options.model_path + ": not a hearth intent model (metadata hearth.prompt_format is '" +
                                       format.value_or("") + "', expected '" + kPromptFormat + "')");
  engine::ContextOptions copts;
  copts.n_threads = options.threads;
  copts.n_ctx = std::min<uint32_t>(512, p->model_->hparams().n_ctx_train);
  auto ctx = engine::Context::create(p->model_, copts);
  if (!ctx) return fail(ErrorCode::kModel, ctx.error().message);
  p->ctx_ = std::move(ctx).value();
  auto g = engine::Grammar::parse(output_grammar());
  if (!g) return fail(ErrorCode::kModel, "internal: the output grammar does not compile: " + g.error().message);
  p->grammar_ = g.value();
  p->trie_ = std::make_unique<engine::TokenTrie>(p->model_->tokenizer());
  if (auto r = p->set_home(std::make_shared<Home>()); !r) return Fail(r.error());
  return p;
}

Result<void> IntentParser::set_home(std::shared_ptr<const Home> home) {
  if (!home) return fail(ErrorCode::kInvalidInput, "set_home: no home");
  std::set<std::string> names = {"all"}, areas, floors;
  for (const Device& d : home->devices) {
    if (!d.expose) continue;
    names.insert(d.name);
    names.insert(d.aliases.begin(), d.aliases.end());
  }
  for (const Area& a : home->areas) {
    areas.insert(a.name);
    areas.insert(a.aliases.begin(), a.aliases.end());
  }
  for (const Floor& f : home->floors) {
    floors.insert(f.name);
    floors.insert(f.aliases.begin(), f.aliases.end());
  }
  auto sets = std::make_shared<engine::ValueSets>();
  sets->set("names", {names.begin(), names.end()});
  sets->set("areas", {areas.begin(), areas.end()});
  sets->set("floors", {floors.begin(), floors.end()});
  sets_ = sets;
  masks_ = std::make_shared<engine::MaskCache>();
  home_ = std::move(home);
  lru_.clear();
  cache_.clear();
  return {};
}

Result<Understanding> IntentParser::understand(const std::string& text, const std::vector<Intent>& prev) {
  const auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count(); };
  const std::string prev_json = prev.empty() ? "" : encode_intents(prev);
  const std::string key = normalize(text) + '\x1f' + prev_json;
  if (auto it = cache_.find(key); it != cache_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    Understanding u = it->second->second;
    u.source = "cache";
    u.latency_ms = elapsed();
    return u;
  }
  const engine::Tokenizer& tok = model_->tokenizer();
  const std::vector<int32_t> prompt = tok.encode(make_prompt(text, prev_json), true);
  if (prompt.size() + static_cast<size_t>(options_.max_tokens) > ctx_->n_ctx())
    return fail(ErrorCode::kInvalidInput, "the request is too long (" + std::to_string(prompt.size()) + " tokens; at most " +
                                              std::to_string(ctx_->n_ctx() - options_.max_tokens) + ")");
  auto state = engine::GrammarState::create(grammar_, sets_, masks_);
  if (!state) return fail(ErrorCode::kModel, state.error().message);
  engine::SamplerConfig sc;
  sc.max_tokens = options_.max_tokens;
  engine::Sampler sampler(sc);
  auto gen = engine::generate(*ctx_, prompt, sampler, {}, engine::Constraint{state.value().get(), trie_.get()});
  if (!gen) return fail(ErrorCode::kModel, gen.error().message);
  if (gen->stop != engine::StopReason::kEndOfGeneration)
    return fail(ErrorCode::kBadOutput, std::string("the model's answer did not finish (") + engine::to_string(gen->stop) + ")");
  double logp = 0.0;
  for (float l : gen->logprobs) logp += l;
  auto intents = decode_intents(gen->text);
  if (!intents) return Fail(intents.error());
  Understanding u;
  u.intents = std::move(intents).value();
  u.confidence = std::exp(logp);
  u.source = "local";
  u.raw = gen->text;
  u.prompt_tokens = prompt.size();
  u.output_tokens = gen->tokens.size();
  if (options_.cache_entries > 0 && u.confidence >= options_.cache_min_confidence) {
    lru_.emplace_front(key, u);
    cache_[key] = lru_.begin();
    if (lru_.size() > options_.cache_entries) {
      cache_.erase(lru_.back().first);
      lru_.pop_back();
    }
  }
  u.latency_ms = elapsed();
  return u;
}

}  // namespace hearth::nlu
