// hearth/engine/generate.h — a complete generation loop over a Context.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "hearth/engine/context.h"
#include "hearth/engine/grammar.h"
#include "hearth/engine/sampler.h"

namespace hearth::engine {

enum class StopReason {
  kEndOfGeneration,  // the model ended, or the grammar's sentence is complete and cannot go on
  kMaxTokens,
  kStopString,
  kContextFull,
  kCancelled,
  kGrammarDeadEnd,   // no token of the vocabulary can continue the grammar (a grammar/vocab mismatch)
};
const char* to_string(StopReason reason);

struct Generation {
  std::vector<int32_t> tokens;   // generated tokens (without the prompt), forced ones included
  std::vector<float> logprobs;   // one per token; 0 for tokens the grammar forced
  // Under the distribution the token was drawn from: the masked one when the grammar refused the
  // model's own pick, else the model's own (a lower bound of the masked one). How sure the
  // model was among the outputs the grammar allows.
  std::vector<float> constrained_logprobs;
  size_t forced_tokens = 0;      // how many tokens were appended without sampling
  std::string text;              // their text, cut before a stop string
  StopReason stop = StopReason::kMaxTokens;
  double prompt_ms = 0.0;        // evaluating the prompt (with prefix reuse)
  double generate_ms = 0.0;      // everything after
};

// Called with each token and its text piece; return false to stop (kCancelled).
using TokenCallback = std::function<bool(int32_t token, const std::string& piece)>;

// Grammar-constrained decoding: every sampled token keeps the text inside the grammar, and where the
// grammar allows only one continuation its tokens are appended without sampling and evaluated in
// one batch (forced runs). A token is first drawn from the model's own distribution and kept if
// the grammar allows it; only otherwise is the full mask computed and the token drawn again from
// the masked distribution. The result has exactly the masked distribution (a rejection step), and
// the mask, whose cost grows with the number of allowed tokens, is skipped where most tokens are
// allowed (free text) and cheap where few are.
struct Constraint {
  GrammarState* grammar = nullptr;  // advanced as tokens are accepted
  const TokenTrie* trie = nullptr;  // the model's vocabulary (build once per model)
  bool forced_runs = true;
};

// The tokens a forced run appends for `forced` text (GrammarState::forced()): its tokenization,
// cut before the first piece from which the rest of the text begins a longer token, since the
// model would write that part merged with what follows it. Empty when nothing can be forced so.
std::vector<int32_t> forced_run_tokens(const Tokenizer& tok, const TokenTrie& trie, std::string_view forced);

// Evaluates prompt (reusing the context's common prefix) and samples until end of generation,
// max_tokens, a stop string or a full context.
Result<Generation> generate(Context& ctx, std::span<const int32_t> prompt, Sampler& sampler,
                            const TokenCallback& on_token = {}, const Constraint& constraint = {});

}  // namespace hearth::engine
