// The pushdown automaton of a compiled grammar: a set of stacks of positions, advanced byte by byte.
#include <algorithm>

#include "grammar_impl.h"

namespace hearth::engine {

namespace {
constexpr int kMaxDepth = 256;  // nesting bound; compile refuses left recursion, this bounds the rest
}

void normalize(GrammarStacks& s) {
  std::sort(s.stacks.begin(), s.stacks.end());
  s.stacks.erase(std::unique(s.stacks.begin(), s.stacks.end()), s.stacks.end());
}

// Drops frames whose alternative is finished; the frame below already points past its reference.
void GrammarRunner::pop_finished(GrammarStack& stack) const {
  while (!stack.empty() && stack.back().set_node < 0 && stack.back().pos->kind == GrammarElem::kEnd) stack.pop_back();
}

// Expands rule references at the top until every stack's top is a terminal (bytes or a value
// set) or the stack is empty (complete).
void GrammarRunner::expand(GrammarStack stack, std::vector<GrammarStack>& out, int depth) const {
  pop_finished(stack);
  if (stack.empty() || stack.back().set_node >= 0) {
    out.push_back(std::move(stack));
    return;
  }
  const GrammarElem* pos = stack.back().pos;
  switch (pos->kind) {
    case GrammarElem::kBytes:
      out.push_back(std::move(stack));
      return;
    case GrammarElem::kSet: {
      const ValueSets::Trie* trie = sets_[pos->index];
      if (!trie || trie->nodes.empty()) return;  // an empty set matches nothing
      if (trie->nodes[0].terminal) {             // the empty string is a value: may skip
        GrammarStack skip = stack;
        skip.back().pos = pos + 1;
        expand(std::move(skip), out, depth + 1);
      }
      if (!trie->nodes[0].children.empty()) {
        stack.back().set_node = 0;
        out.push_back(std::move(stack));
      }
      return;
    }
    case GrammarElem::kRef: {
      if (depth > kMaxDepth) return;
      GrammarStack base = stack;
      base.back().pos = pos + 1;
      pop_finished(base);  // a reference in tail position leaves nothing behind: x* stays flat
      for (const auto& alt : g_.rules[pos->index]) {
        GrammarStack n = base;
        n.push_back({alt.data(), -1});
        expand(std::move(n), out, depth + 1);
      }
      return;
    }
    case GrammarElem::kEnd:
      return;  // unreachable: pop_finished removed it
  }
}

GrammarStacks GrammarRunner::start() const {
  GrammarStacks s;
  for (const auto& alt : g_.rules[g_.root]) expand(GrammarStack{{alt.data(), -1}}, s.stacks, 0);
  normalize(s);
  return s;
}

void GrammarRunner::accept_byte(const GrammarStacks& in, uint8_t byte, GrammarStacks& out) const {
  out.stacks.clear();
  for (const GrammarStack& stack : in.stacks) {
    if (stack.empty()) continue;
    const GrammarFrame& top = stack.back();
    if (top.set_node >= 0) {
      const ValueSets::Trie& trie = *sets_[top.pos->index];
      const int32_t child = trie.nodes[top.set_node].child(byte);
      if (child < 0) continue;
      const ByteTrieNode& node = trie.nodes[child];
      if (node.terminal) {  // the value may end here...
        GrammarStack done = stack;
        done.back() = {top.pos + 1, -1};
        expand(std::move(done), out.stacks, 0);
      }
      if (!node.children.empty()) {  // ...or go on to a longer one
        GrammarStack more = stack;
        more.back().set_node = child;
        out.stacks.push_back(std::move(more));
      }
      continue;
    }
    if (top.pos->kind == GrammarElem::kBytes && g_.classes[top.pos->index][byte]) {
      GrammarStack next = stack;
      next.back().pos = top.pos + 1;
      expand(std::move(next), out.stacks, 0);
    }
  }
  normalize(out);
}

bool GrammarRunner::complete(const GrammarStacks& s) {
  return std::any_of(s.stacks.begin(), s.stacks.end(), [](const GrammarStack& st) { return st.empty(); });
}

std::bitset<256> GrammarRunner::next_bytes(const GrammarStacks& s) const {
  std::bitset<256> bytes;
  for (const GrammarStack& stack : s.stacks) {
    if (stack.empty()) continue;
    const GrammarFrame& top = stack.back();
    if (top.set_node >= 0) {
      for (const auto& [b, n] : sets_[top.pos->index]->nodes[top.set_node].children) bytes.set(b);
    } else if (top.pos->kind == GrammarElem::kBytes) {
      bytes |= g_.classes[top.pos->index];
    }
  }
  return bytes;
}

}  // namespace hearth::engine
