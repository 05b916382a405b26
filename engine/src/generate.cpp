#include "hearth/engine/generate.h"

#include <chrono>
#include <cmath>

#include "hearth/engine/tokenizer.h"

namespace hearth::engine {

const char* to_string(StopReason reason) {
  switch (reason) {
    case StopReason::kEndOfGeneration: return "end";
    case StopReason::kMaxTokens: return "max_tokens";
    case StopReason::kStopString: return "stop";
    case StopReason::kContextFull: return "context_full";
    case StopReason::kCancelled: return "cancelled";
    case StopReason::kGrammarDeadEnd: return "grammar_dead_end";
  }
  return "unknown";
}

std::vector<int32_t> forced_run_tokens(const Tokenizer& tok, const TokenTrie& trie, std::string_view forced) {
  if (forced.empty()) return {};
  std::vector<int32_t> ids = tok.encode_continuation(forced);
  if (tok.decode(ids) != forced) return {};
  // The end of a run may merge with what follows it into one token: ` door` + `","domain":"` is
  // one piece of a vocabulary trained on such JSON, and a closing quote before a choice is `","`
  // or `"}`, never a lone `"`. The run stops before the first of its pieces from which the rest
  // begins a longer token; the model writes that part itself, under the mask.
  size_t start = 0, keep = 0;
  for (; keep < ids.size(); ++keep) {
    if (trie.extendable(forced.substr(start))) break;
    start += tok.piece(ids[keep]).size();
  }
  ids.resize(keep);
  return ids;
}

Result<Generation> generate(Context& ctx, std::span<const int32_t> prompt, Sampler& sampler,
                            const TokenCallback& on_token, const Constraint& constraint) {
  using clock = std::chrono::steady_clock;
  const Tokenizer& tok = ctx.model().tokenizer();
  const SamplerConfig& cfg = sampler.config();
  GrammarState* grammar = constraint.grammar;
  if (grammar && !constraint.trie) return fail(ErrorCode::kInvalidArgument, "a grammar needs the vocabulary trie");
  Generation g;
  auto t0 = clock::now();
  auto logits = ctx.eval_reusing_prefix(prompt);
  if (!logits) return Fail(logits.error());
  auto t1 = clock::now();
  std::vector<int32_t> history(prompt.begin(), prompt.end());
  std::vector<float> masked;
  std::vector<int32_t> batch;
  // false: a stop condition was met
  auto emit = [&](int32_t id, float logprob, float constrained_logprob) -> bool {
    g.tokens.push_back(id);
    g.logprobs.push_back(logprob);
    g.constrained_logprobs.push_back(constrained_logprob);
    history.push_back(id);
    const std::string piece = tok.piece(id);
    g.text += piece;
    for (const auto& stop : cfg.stop) {
      if (auto at = g.text.find(stop); at != std::string::npos) {
        g.text.resize(at);
        g.stop = StopReason::kStopString;
        return false;
      }
    }
    if (on_token && !on_token(id, piece)) {
      g.stop = StopReason::kCancelled;
      return false;
    }
    return true;
  };
  while (static_cast<int>(g.tokens.size()) < cfg.max_tokens) {
    if (grammar && grammar->finished()) {
      g.stop = StopReason::kEndOfGeneration;
      break;
    }
    SampledToken s = sampler.sample(logits.value(), history);
    bool accepted = false;   // the grammar has already taken this token's text
    bool resampled = false;  // drawn again from the masked logits
    if (grammar) {
      const bool eog = tok.is_end_of_generation(s.id);
      bool fits = eog ? grammar->complete() : false;
      if (!eog && tok.token_kind(s.id) != TokenKind::kControl) {
        const std::string piece = tok.piece(s.id);
        fits = accepted = !piece.empty() && grammar->accept(piece);
      }
      if (!fits) {
        masked.assign(logits->begin(), logits->end());
        if (grammar->mask(*constraint.trie, masked, tok.eos()) == 0) {
          g.stop = StopReason::kGrammarDeadEnd;
          break;
        }
        s = sampler.sample(masked, history);
        resampled = true;
      }
    }
    if (tok.is_end_of_generation(s.id)) {
      g.stop = StopReason::kEndOfGeneration;
      break;
    }
    // The log-probability under the model itself, not the masked distribution: the sampler
    // reported it already unless the token came from the masked logits.
    float constrained = s.logprob;  // a token the grammar allowed as drawn: a lower bound
    if (resampled) {
      auto log_softmax_at = [](std::span<const float> l, int32_t id) {
        float max = -INFINITY;
        for (float x : l) max = std::max(max, x);
        double z = 0.0;
        for (float x : l) z += std::exp(static_cast<double>(x - max));
        return l[id] - max - static_cast<float>(std::log(z));
      };
      s.logprob = log_softmax_at(logits.value(), s.id);
      constrained = log_softmax_at(masked, s.id);
    }
    if (grammar && !accepted && !grammar->accept(tok.piece(s.id)))
      return fail(ErrorCode::kGrammar, "internal: a masked token was not accepted");
    if (!emit(s.id, s.logprob, constrained)) break;
    batch.assign(1, s.id);
    // Forced run: text only the grammar can continue with goes in without sampling.
    if (grammar && constraint.forced_runs) {
      const std::vector<int32_t> ids = forced_run_tokens(tok, *constraint.trie, grammar->forced());
      if (!ids.empty() && grammar->accept(tok.decode(ids))) {
        bool stopped = false;
        for (int32_t id : ids) {
          if (static_cast<int>(g.tokens.size()) >= cfg.max_tokens) break;
          ++g.forced_tokens;
          batch.push_back(id);
          if (!emit(id, 0.0f, 0.0f)) {
            stopped = true;
            break;
          }
        }
        if (stopped) break;
      }
    }
    if (static_cast<int>(g.tokens.size()) >= cfg.max_tokens) break;
    if (ctx.n_past() + batch.size() > ctx.n_ctx()) {
      g.stop = StopReason::kContextFull;
      break;
    }
    logits = ctx.eval(batch);
    if (!logits) return Fail(logits.error());
  }
  auto t2 = clock::now();
  g.prompt_ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
  g.generate_ms = std::chrono::duration<double, std::milli>(t2 - t1).count();
  return g;
}

}  // namespace hearth::engine
