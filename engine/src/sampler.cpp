#include "hearth/engine/sampler.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <unordered_set>

namespace hearth::engine {

Result<void> SamplerConfig::validate() const {
  auto bad = [](const std::string& m) { return fail(ErrorCode::kInvalidArgument, m); };
  if (!(temperature >= 0.0f && temperature <= 10.0f)) return bad("temperature must be from 0 to 10");
  if (top_k < 0) return bad("topK must be 0 (off) or positive");
  if (!(top_p > 0.0f && top_p <= 1.0f)) return bad("topP must be above 0 and at most 1");
  if (!(min_p >= 0.0f && min_p < 1.0f)) return bad("minP must be from 0 to below 1");
  if (!(repeat_penalty >= 0.1f && repeat_penalty <= 10.0f)) return bad("repeatPenalty must be from 0.1 to 10");
  if (repeat_last_n < 0) return bad("repeatLastN must not be negative");
  if (max_tokens < 1 || max_tokens > 1'000'000) return bad("maxTokens must be from 1 to 1000000");
  for (const auto& s : stop)
    if (s.empty()) return bad("stop strings must not be empty");
  return {};
}

Result<SamplerConfig> SamplerConfig::from_json(const std::string& text) {
  SamplerConfig c;
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return fail(ErrorCode::kInvalidArgument, "sampler config is not a JSON object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    const auto& v = it.value();
    auto number = [&](auto& field) -> bool {
      if (!v.is_number()) return false;
      field = v.get<std::remove_reference_t<decltype(field)>>();
      return true;
    };
    bool ok;
    if (k == "temperature") ok = number(c.temperature);
    else if (k == "topK") ok = v.is_number_integer() && number(c.top_k);
    else if (k == "topP") ok = number(c.top_p);
    else if (k == "minP") ok = number(c.min_p);
    else if (k == "repeatPenalty") ok = number(c.repeat_penalty);
    else if (k == "repeatLastN") ok = v.is_number_integer() && number(c.repeat_last_n);
    else if (k == "seed") ok = v.is_number_unsigned() && number(c.seed);
    else if (k == "maxTokens") ok = v.is_number_integer() && number(c.max_tokens);
    else if (k == "stop") {
      ok = v.is_string() || v.is_array();
      if (v.is_string()) c.stop = {v.get<std::string>()};
      if (v.is_array()) {
        for (const auto& s : v) {
          if (!s.is_string()) {
            ok = false;
            break;
          }
          c.stop.push_back(s.get<std::string>());
        }
      }
    } else {
      return fail(ErrorCode::kInvalidArgument,
                  "unknown sampler setting '" + k +
                      "' (known: temperature, topK, topP, minP, repeatPenalty, repeatLastN, seed, maxTokens, stop)");
    }
    if (!ok) return fail(ErrorCode::kInvalidArgument, "sampler setting '" + k + "' has the wrong type: " + v.dump());
  }
  if (auto r = c.validate(); !r) return Fail(r.error());
  return c;
}

Sampler::Sampler(SamplerConfig config) : config_(std::move(config)), rng_(config_.seed) {}

SampledToken Sampler::sample(std::span<const float> logits, std::span<const int32_t> history) {
  const size_t n = logits.size();
  // log-softmax at temperature 1 for the reported log-probability.
  float max = -INFINITY;
  for (float l : logits) max = std::max(max, l);
  double z = 0.0;
  for (float l : logits) z += std::exp(static_cast<double>(l - max));
  const float log_z = max + static_cast<float>(std::log(z));

  if (config_.temperature <= 0.0f && config_.repeat_penalty == 1.0f) {
    const int32_t best = static_cast<int32_t>(std::max_element(logits.begin(), logits.end()) - logits.begin());
    return {best, logits[best] - log_z};
  }

  candidates_.clear();
  candidates_.reserve(n);
  for (size_t i = 0; i < n; ++i)
    if (logits[i] > -INFINITY) candidates_.emplace_back(logits[i], static_cast<int32_t>(i));
  if (candidates_.empty()) return {0, -INFINITY};

  if (config_.repeat_penalty != 1.0f && config_.repeat_last_n > 0) {
    const size_t from = history.size() > static_cast<size_t>(config_.repeat_last_n) ? history.size() - config_.repeat_last_n : 0;
    std::unordered_set<int32_t> seen(history.begin() + static_cast<long>(from), history.end());
    for (auto& [l, id] : candidates_) {
      if (seen.count(id)) l = l > 0 ? l / config_.repeat_penalty : l * config_.repeat_penalty;
    }
  }
  std::sort(candidates_.begin(), candidates_.end(), [](const auto& a, const auto& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  });
  if (config_.temperature <= 0.0f) {
    const int32_t id = candidates_.front().second;
    return {id, logits[id] - log_z};
  }
  if (config_.top_k > 0 && candidates_.size() > static_cast<size_t>(config_.top_k)) candidates_.resize(config_.top_k);

  // Probabilities at the temperature.
  std::vector<double> p(candidates_.size());
  const float top = candidates_.front().first;
  double sum = 0.0;
  for (size_t i = 0; i < p.size(); ++i) {
    p[i] = std::exp(static_cast<double>((candidates_[i].first - top) / config_.temperature));
    sum += p[i];
  }
  for (auto& v : p) v /= sum;
  size_t keep = p.size();
  if (config_.min_p > 0.0f) {
    const double threshold = config_.min_p * p[0];
    size_t k = 1;
    while (k < keep && p[k] >= threshold) ++k;
    keep = k;
  }
  if (config_.top_p < 1.0f) {
    double cum = 0.0;
    size_t k = 0;
    while (k < keep) {
      cum += p[k++];
      if (cum >= config_.top_p) break;
    }
    keep = k;
  }
  double total = 0.0;
  for (size_t i = 0; i < keep; ++i) total += p[i];
  std::uniform_real_distribution<double> dist(0.0, total);
  double r = dist(rng_);
  size_t chosen = keep - 1;
  for (size_t i = 0; i < keep; ++i) {
    r -= p[i];
    if (r <= 0.0) {
      chosen = i;
      break;
    }
  }
  const int32_t id = candidates_[chosen].second;
  return {id, logits[id] - log_z};
}

}  // namespace hearth::engine
