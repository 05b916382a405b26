// hearth/engine/sampler.h — choosing the next token from logits.
//
// Greedy when temperature is 0; otherwise repetition penalty, then top-k, top-p and min-p
// filtering, then a draw at the temperature from a seeded generator (the same seed and inputs give
// the same tokens). The log-probability of the chosen token under the model's own distribution
// (temperature 1, before filtering) is reported so callers can compute confidence.
#pragma once

#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "hearth/engine/error.h"

namespace hearth::engine {

struct SamplerConfig {
  float temperature = 0.0f;     // 0: greedy
  int top_k = 0;                // 0: off
  float top_p = 1.0f;           // 1: off
  float min_p = 0.0f;           // 0: off; keep tokens with p >= min_p * p_max
  float repeat_penalty = 1.0f;  // 1: off; > 1 discourages tokens seen in the last repeat_last_n
  int repeat_last_n = 64;
  uint64_t seed = 0;
  int max_tokens = 128;
  std::vector<std::string> stop;  // generation ends before any of these strings

  // From JSON like {"topK":40,"temperature":0.7,"maxTokens":64}. Keys: temperature, topK, topP,
  // minP, repeatPenalty, repeatLastN, seed, maxTokens, stop (string or list). Unknown keys and
  // out-of-range values are refused with kInvalidArgument naming the key.
  static Result<SamplerConfig> from_json(const std::string& json);
  // Checks the ranges; kInvalidArgument naming the field.
  Result<void> validate() const;
};

struct SampledToken {
  int32_t id = -1;
  float logprob = 0.0f;  // log p(id) at temperature 1, unfiltered
};

class Sampler {
 public:
  explicit Sampler(SamplerConfig config);
  // logits: n_vocab values; entries at -infinity are impossible (e.g. masked by a grammar).
  // history: tokens generated or given so far (for the repetition penalty).
  SampledToken sample(std::span<const float> logits, std::span<const int32_t> history);
  const SamplerConfig& config() const { return config_; }

 private:
  SamplerConfig config_;
  std::mt19937_64 rng_;
  std::vector<std::pair<float, int32_t>> candidates_;
};

}  // namespace hearth::engine
