// hearth/engine/generate.h — a complete generation loop over a Context.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "hearth/engine/context.h"
#include "hearth/engine/sampler.h"

namespace hearth::engine {

enum class StopReason { kEndOfGeneration, kMaxTokens, kStopString, kContextFull, kCancelled };
const char* to_string(StopReason reason);

struct Generation {
  std::vector<int32_t> tokens;   // generated tokens (without the prompt)
  std::vector<float> logprobs;   // one per token
  std::string text;              // their text, cut before a stop string
  StopReason stop = StopReason::kMaxTokens;
  double prompt_ms = 0.0;        // evaluating the prompt (with prefix reuse)
  double generate_ms = 0.0;      // everything after
};

// Called with each token and its text piece; return false to stop (kCancelled).
using TokenCallback = std::function<bool(int32_t token, const std::string& piece)>;

// Evaluates prompt (reusing the context's common prefix) and samples until end of generation,
// max_tokens, a stop string or a full context.
Result<Generation> generate(Context& ctx, std::span<const int32_t> prompt, Sampler& sampler,
                            const TokenCallback& on_token = {});

}  // namespace hearth::engine
