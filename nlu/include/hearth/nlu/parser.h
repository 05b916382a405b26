// hearth/nlu/parser.h — text to intents with the on-device model, under the output grammar.
//
// The model writes the intent list of the contract (contract.h); decoding is constrained so the
// output always parses, intent and slot names come from the contract, and device, area and floor
// names are ones the home holds right now. Values are range-checked after decoding.
//
// Confidence is the probability the model gave its own choices: exp(sum of the log-probabilities
// of the tokens it chose; tokens the grammar forced count as certain).
//
// A cache of recent confident parses (keyed by the normalised utterance and the previous turn)
// answers repeats without the model; set_home() empties it.
//
// Thread-safety: one IntentParser per thread (it owns a KV cache); Model is shared.
#pragma once

#include <list>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hearth/nlu/error.h"
#include "hearth/nlu/home.h"
#include "hearth/nlu/intent.h"

namespace hearth::engine {
class Model;
class Context;
class Grammar;
class TokenTrie;
class ValueSets;
class MaskCache;
}  // namespace hearth::engine

namespace hearth::nlu {

struct ParserOptions {
  std::string model_path;   // a GGUF file speaking kPromptFormat (the embedded model does)
  int threads = 0;          // 0: the engine's default (physical cores)
  size_t cache_entries = 256;  // 0: no cache
  double cache_min_confidence = 0.5;
  int max_tokens = 128;
};

struct Understanding {
  std::vector<Intent> intents;  // as the model wrote them (targets not resolved)
  double confidence = 0.0;
  std::string source;           // "local" or "cache"
  std::string raw;              // the model's text
  double latency_ms = 0.0;
  size_t prompt_tokens = 0, output_tokens = 0;
};

class IntentParser {
 public:
  static Result<std::unique_ptr<IntentParser>> create(const ParserOptions& options);
  ~IntentParser();

  // The names the grammar allows come from this home; empties the cache.
  Result<void> set_home(std::shared_ptr<const Home> home);
  const Home& home() const { return *home_; }

  // prev: the previous turn's intents within the session window (empty when none).
  // kBadOutput when the model's output breaks the contract (a value out of range).
  Result<Understanding> understand(const std::string& text, const std::vector<Intent>& prev = {});

  const std::string& model_path() const { return options_.model_path; }

 private:
  IntentParser() = default;
  ParserOptions options_;
  std::shared_ptr<const engine::Model> model_;
  std::unique_ptr<engine::Context> ctx_;
  std::shared_ptr<const engine::Grammar> grammar_;
  std::unique_ptr<engine::TokenTrie> trie_;
  std::shared_ptr<engine::ValueSets> sets_;
  std::shared_ptr<engine::MaskCache> masks_;
  std::shared_ptr<const Home> home_;
  // LRU cache: key -> (intents, confidence).
  using Entry = std::pair<std::string, Understanding>;
  std::list<Entry> lru_;
  std::map<std::string, std::list<Entry>::iterator> cache_;
};

}  // namespace hearth::nlu
