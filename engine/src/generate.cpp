#include "hearth/engine/generate.h"

#include <chrono>

#include "hearth/engine/tokenizer.h"

namespace hearth::engine {

const char* to_string(StopReason reason) {
  switch (reason) {
    case StopReason::kEndOfGeneration: return "end";
    case StopReason::kMaxTokens: return "max_tokens";
    case StopReason::kStopString: return "stop";
    case StopReason::kContextFull: return "context_full";
    case StopReason::kCancelled: return "cancelled";
  }
  return "unknown";
}

Result<Generation> generate(Context& ctx, std::span<const int32_t> prompt, Sampler& sampler,
                            const TokenCallback& on_token) {
  using clock = std::chrono::steady_clock;
  const Tokenizer& tok = ctx.model().tokenizer();
  const SamplerConfig& cfg = sampler.config();
  Generation g;
  auto t0 = clock::now();
  auto logits = ctx.eval_reusing_prefix(prompt);
  if (!logits) return Fail(logits.error());
  auto t1 = clock::now();
  std::vector<int32_t> history(prompt.begin(), prompt.end());
  for (int i = 0; i < cfg.max_tokens; ++i) {
    SampledToken s = sampler.sample(logits.value(), history);
    if (tok.is_end_of_generation(s.id)) {
      g.stop = StopReason::kEndOfGeneration;
      break;
    }
    g.tokens.push_back(s.id);
    g.logprobs.push_back(s.logprob);
    history.push_back(s.id);
    const std::string piece = tok.piece(s.id);
    g.text += piece;
    bool stopped = false;
    for (const auto& stop : cfg.stop) {
      if (auto at = g.text.find(stop); at != std::string::npos) {
        g.text.resize(at);
        g.stop = StopReason::kStopString;
        stopped = true;
      }
    }
    if (stopped) break;
    if (on_token && !on_token(s.id, piece)) {
      g.stop = StopReason::kCancelled;
      break;
    }
    if (i + 1 == cfg.max_tokens) break;
    if (ctx.n_past() >= ctx.n_ctx()) {
      g.stop = StopReason::kContextFull;
      break;
    }
    logits = ctx.eval(std::span<const int32_t>(&g.tokens.back(), 1));
    if (!logits) return Fail(logits.error());
  }
  auto t2 = clock::now();
  g.prompt_ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
  g.generate_ms = std::chrono::duration<double, std::milli>(t2 - t1).count();
  return g;
}

}  // namespace hearth::engine
