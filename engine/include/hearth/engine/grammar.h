// hearth/engine/grammar.h — grammar-constrained decoding.
//
// A Grammar is compiled once from a GBNF-like text (or a JSON-schema subset) and is immutable.
// A GrammarState follows one generation through it: it says which tokens may come next (mask()),
// takes the chosen token's text (accept()), tells when the output is complete, and reports text
// the grammar forces (forced()) so the caller can append it without sampling.
//
// Text format (bytes; UTF-8 in literals is matched byte for byte):
//   root    ::= "{" ws "\"intent\":" ws intent ws "}"
//   intent  ::= "\"" ( "HassTurnOn" | "HassTurnOff" ) "\""
//   name    ::= "\"" @devices "\""          # one of the current values of the set "devices"
//   ws      ::= [ \t\n]*
//   digits  ::= [0-9]+   chars ::= [^"\\]   opt ::= x?   group ::= ( a b | c )
// Rules are `name ::= alternatives`; elements are "literals" (with \" \\ \n \t \xHH escapes),
// [classes] ([^...] negated, a-z ranges), rule names, ( groups ), and *, +, ? after any element.
// Comments start with #. A rule may not start with itself (left recursion is refused).
//
// Value sets (@name) are looked up in the ValueSets given to each GrammarState, so the allowed
// names (devices, areas) change between generations without recompiling the grammar.
//
// Thread-safety: Grammar, ValueSets snapshots and TokenTrie are immutable and shareable; a
// GrammarState is used by one thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hearth/engine/error.h"

namespace hearth::engine {

class Tokenizer;
struct CompiledGrammar;
struct GrammarStacks;

class Grammar {
 public:
  // kGrammar with the line and what is wrong for a bad grammar; `root` names the start rule.
  static Result<std::shared_ptr<const Grammar>> parse(std::string_view text, std::string_view root = "root");
  // A JSON-schema subset: object (properties, required; other keys are not allowed), string
  // (enum, const, maxLength), integer and number (no bounds in the grammar: range-check after
  // decoding), boolean, null, array (items, maxItems), anyOf, and "x-hearth-set": "name" for a
  // string that must be one of a value set. Output is compact JSON in property order.
  static Result<std::shared_ptr<const Grammar>> from_json_schema(std::string_view schema_json);
  // The GBNF text a schema compiles to (for inspection and tests).
  static Result<std::string> json_schema_to_gbnf(std::string_view schema_json);

  ~Grammar();
  const CompiledGrammar& compiled() const { return *compiled_; }
  // Names of the value sets the grammar refers to.
  std::vector<std::string> value_set_names() const;

 private:
  Grammar() = default;
  std::unique_ptr<CompiledGrammar> compiled_;
};

// Named sets of allowed strings for @name elements. Immutable once built; make a new one (or
// copy and change) when the home's names change.
class ValueSets {
 public:
  void set(const std::string& name, const std::vector<std::string>& values);
  struct Trie;  // byte trie of one set's values
  const Trie* find(const std::string& name) const;
  ~ValueSets();
  ValueSets();
  ValueSets(const ValueSets&);
  ValueSets& operator=(const ValueSets&);

 private:
  std::map<std::string, std::shared_ptr<const Trie>, std::less<>> sets_;
};

// The vocabulary as a byte trie of token texts, for masking. Build once per tokenizer.
class TokenTrie {
 public:
  explicit TokenTrie(const Tokenizer& tokenizer);
  ~TokenTrie();
  struct Node;
  const std::vector<Node>& nodes() const { return nodes_; }
  int32_t n_vocab() const { return n_vocab_; }
  // Whether a longer token begins with `text`: a piece the model could have written merged with
  // what follows it (a closing quote inside `","`).
  bool extendable(std::string_view text) const;

 private:
  std::vector<Node> nodes_;
  int32_t n_vocab_ = 0;
};

// Remembers the masks of grammar states already seen (a free-text string revisits the same state
// at every character), for GrammarStates of one grammar and one ValueSets snapshot. Share one
// between the generations that use that pair. Thread-safe.
class MaskCache {
 public:
  MaskCache();
  ~MaskCache();
  struct Impl;
  Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

class GrammarState {
 public:
  // kGrammar when the grammar uses a value set that `sets` does not define; kInvalidArgument when
  // `cache` already serves another grammar or value sets.
  static Result<std::unique_ptr<GrammarState>> create(std::shared_ptr<const Grammar> grammar,
                                                      std::shared_ptr<const ValueSets> sets,
                                                      std::shared_ptr<MaskCache> cache = nullptr);
  ~GrammarState();

  // Sets logits of tokens that cannot continue the text to -infinity. end_of_generation is
  // allowed only when the text so far is complete. Returns how many tokens stay possible.
  size_t mask(const TokenTrie& trie, std::span<float> logits, int32_t end_of_generation) const;
  // Advances over text; false (and no change) when the grammar does not allow it.
  bool accept(std::string_view text);
  // Whether accept(text) would succeed, without changing anything.
  bool allows(std::string_view text) const;
  // True when the text so far is a complete sentence of the grammar.
  bool complete() const;
  // True when nothing more may follow (complete, and no continuation possible).
  bool finished() const;
  // The longest text the grammar allows as the only continuation from here (e.g. a JSON key
  // after a fixed prefix); empty when there is a choice or the text may end here.
  std::string forced() const;

 private:
  GrammarState();
  std::shared_ptr<const Grammar> grammar_;
  std::shared_ptr<const ValueSets> sets_;
  std::shared_ptr<MaskCache> cache_;
  std::unique_ptr<GrammarStacks> stacks_;
};

}  // namespace hearth::engine
