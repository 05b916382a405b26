// Private: the compiled form of a grammar and the pushdown automaton that runs it.
#pragma once

#include <bitset>
#include <string>
#include <vector>

#include "hearth/engine/grammar.h"

namespace hearth::engine {

// One element of an alternative. Every alternative ends with a kEnd element.
struct GrammarElem {
  enum Kind : uint8_t { kEnd, kRef, kBytes, kSet } kind = kEnd;
  uint32_t index = 0;  // kRef: rule; kBytes: byte class; kSet: value-set name
};

struct CompiledGrammar {
  std::vector<std::vector<std::vector<GrammarElem>>> rules;  // rules[rule][alternative] = elements
  std::vector<std::string> rule_names;
  std::vector<std::bitset<256>> classes;                     // byte classes of kBytes elements
  std::vector<std::string> set_names;                        // value sets of kSet elements
  uint32_t root = 0;
};

// A byte trie; node 0 is the root. Used for value sets and for the token vocabulary.
struct ByteTrieNode {
  std::vector<std::pair<uint8_t, int32_t>> children;  // sorted by byte
  bool terminal = false;                             // a value ends here (value sets)
  std::vector<int32_t> tokens;                       // tokens whose text ends here (vocabulary)

  int32_t child(uint8_t b) const {
    for (const auto& [cb, n] : children)
      if (cb == b) return n;
    return -1;
  }
};

struct ValueSets::Trie {
  std::vector<ByteTrieNode> nodes;
};

struct TokenTrie::Node : ByteTrieNode {};

// Where one parse stands: frames from the bottom; the top frame is the next element to match.
// A frame inside a value set also records the node of that set's trie reached so far.
struct GrammarFrame {
  const GrammarElem* pos = nullptr;
  int32_t set_node = -1;
  bool operator==(const GrammarFrame&) const = default;
  auto operator<=>(const GrammarFrame& o) const {
    if (pos != o.pos) return pos < o.pos ? std::strong_ordering::less : std::strong_ordering::greater;
    return set_node <=> o.set_node;
  }
};
using GrammarStack = std::vector<GrammarFrame>;

// All parses alive at once (sorted, unique). Empty: the text cannot continue.
struct GrammarStacks {
  std::vector<GrammarStack> stacks;
};

// The automaton's steps over a set of stacks, with the value sets resolved.
class GrammarRunner {
 public:
  GrammarRunner(const CompiledGrammar& g, std::vector<const ValueSets::Trie*> sets) : g_(g), sets_(std::move(sets)) {}
  // The stacks at the start of the root rule.
  GrammarStacks start() const;
  // The stacks after one more byte (empty when it is not allowed).
  void accept_byte(const GrammarStacks& in, uint8_t byte, GrammarStacks& out) const;
  // Whether any stack is complete (nothing left to match).
  static bool complete(const GrammarStacks& s);
  // The bytes some stack can take next.
  std::bitset<256> next_bytes(const GrammarStacks& s) const;

 private:
  void expand(GrammarStack stack, std::vector<GrammarStack>& out, int depth) const;
  void pop_finished(GrammarStack& stack) const;
  const CompiledGrammar& g_;
  std::vector<const ValueSets::Trie*> sets_;  // by set index of the grammar
};

void normalize(GrammarStacks& s);

}  // namespace hearth::engine
