// Value sets, the vocabulary trie, and GrammarState: masking, accepting and forced text.
#include <algorithm>
#include <array>
#include <cmath>
#include <deque>
#include <map>
#include <mutex>

#include "grammar_impl.h"
#include "hearth/engine/tokenizer.h"

namespace hearth::engine {

namespace {

int32_t insert(std::vector<ByteTrieNode>& nodes, std::string_view text) {
  int32_t n = 0;
  for (unsigned char c : text) {
    int32_t next = nodes[n].child(c);
    if (next < 0) {
      next = static_cast<int32_t>(nodes.size());
      nodes[n].children.emplace_back(c, next);
      std::sort(nodes[n].children.begin(), nodes[n].children.end());
      nodes.emplace_back();
    }
    n = next;
  }
  return n;
}

}  // namespace

ValueSets::ValueSets() = default;
ValueSets::~ValueSets() = default;
ValueSets::ValueSets(const ValueSets&) = default;
ValueSets& ValueSets::operator=(const ValueSets&) = default;

void ValueSets::set(const std::string& name, const std::vector<std::string>& values) {
  auto trie = std::make_shared<Trie>();
  trie->nodes.emplace_back();
  for (const auto& v : values) trie->nodes[insert(trie->nodes, v)].terminal = true;
  sets_[name] = std::move(trie);
}

const ValueSets::Trie* ValueSets::find(const std::string& name) const {
  auto it = sets_.find(name);
  return it == sets_.end() ? nullptr : it->second.get();
}

TokenTrie::TokenTrie(const Tokenizer& tokenizer) : n_vocab_(tokenizer.n_vocab()) {
  std::vector<ByteTrieNode> nodes(1);
  for (int32_t id = 0; id < n_vocab_; ++id) {
    const TokenKind kind = tokenizer.token_kind(id);
    if (kind == TokenKind::kControl || kind == TokenKind::kUnused || kind == TokenKind::kUnknown) continue;
    const std::string text = tokenizer.piece(id);
    if (text.empty()) continue;
    nodes[insert(nodes, text)].tokens.push_back(id);
  }
  nodes_.reserve(nodes.size());
  for (auto& n : nodes) {
    Node node;
    static_cast<ByteTrieNode&>(node) = std::move(n);
    nodes_.push_back(std::move(node));
  }
}

TokenTrie::~TokenTrie() = default;

bool TokenTrie::extendable(std::string_view text) const {
  int32_t n = 0;
  for (char c : text)
    if ((n = nodes_[static_cast<size_t>(n)].child(static_cast<uint8_t>(c))) < 0) return false;
  return !nodes_[static_cast<size_t>(n)].children.empty();
}

struct MaskCache::Impl {
  std::mutex mutex;
  const void* grammar = nullptr;  // the pair this cache serves, set on first use
  const void* sets = nullptr;
  std::map<std::vector<GrammarStack>, std::vector<int32_t>> masks;  // stacks -> allowed token ids
  std::deque<std::vector<GrammarStack>> order;                      // oldest first, for eviction
  static constexpr size_t kMaxEntries = 256;
};

MaskCache::MaskCache() : impl_(std::make_unique<Impl>()) {}
MaskCache::~MaskCache() = default;

GrammarState::GrammarState() = default;
GrammarState::~GrammarState() = default;

namespace {

GrammarRunner runner_for(const Grammar& g, const ValueSets& sets) {
  std::vector<const ValueSets::Trie*> tries;
  for (const auto& name : g.compiled().set_names) tries.push_back(sets.find(name));
  return GrammarRunner(g.compiled(), std::move(tries));
}

}  // namespace

Result<std::unique_ptr<GrammarState>> GrammarState::create(std::shared_ptr<const Grammar> grammar,
                                                           std::shared_ptr<const ValueSets> sets,
                                                           std::shared_ptr<MaskCache> cache) {
  if (!grammar) return fail(ErrorCode::kInvalidArgument, "no grammar");
  if (!sets) sets = std::make_shared<ValueSets>();
  if (cache) {
    MaskCache::Impl& c = cache->impl();
    std::lock_guard lock(c.mutex);
    if (!c.grammar) {
      c.grammar = grammar.get();
      c.sets = sets.get();
    } else if (c.grammar != grammar.get() || c.sets != sets.get()) {
      return fail(ErrorCode::kInvalidArgument, "this mask cache serves another grammar or value sets");
    }
  }
  for (const auto& name : grammar->compiled().set_names)
    if (!sets->find(name)) return fail(ErrorCode::kGrammar, "the grammar uses value set @" + name + ", which is not defined");
  std::unique_ptr<GrammarState> s(new GrammarState());
  s->stacks_ = std::make_unique<GrammarStacks>(runner_for(*grammar, *sets).start());
  s->grammar_ = std::move(grammar);
  s->sets_ = std::move(sets);
  s->cache_ = std::move(cache);
  return s;
}

namespace {

// The stacks after text from `from`, or false when the grammar does not allow it.
bool advance(const GrammarRunner& run, const GrammarStacks& from, std::string_view text, GrammarStacks& out) {
  GrammarStacks cur = from, next;
  for (unsigned char c : text) {
    run.accept_byte(cur, c, next);
    if (next.stacks.empty()) return false;
    std::swap(cur, next);
  }
  out = std::move(cur);
  return true;
}

}  // namespace

bool GrammarState::accept(std::string_view text) {
  GrammarStacks after;
  if (!advance(runner_for(*grammar_, *sets_), *stacks_, text, after)) return false;
  *stacks_ = std::move(after);
  return true;
}

bool GrammarState::allows(std::string_view text) const {
  GrammarStacks after;
  return advance(runner_for(*grammar_, *sets_), *stacks_, text, after);
}

bool GrammarState::complete() const { return GrammarRunner::complete(*stacks_); }

bool GrammarState::finished() const {
  return complete() && runner_for(*grammar_, *sets_).next_bytes(*stacks_).none();
}

std::string GrammarState::forced() const {
  const GrammarRunner run = runner_for(*grammar_, *sets_);
  // The common case, a choice right away, costs no copy.
  if (GrammarRunner::complete(*stacks_) || run.next_bytes(*stacks_).count() != 1) return {};
  GrammarStacks cur = *stacks_, next;
  std::string out;
  while (out.size() < 256 && !GrammarRunner::complete(cur)) {
    const std::bitset<256> bytes = run.next_bytes(cur);
    if (bytes.count() != 1) break;
    uint8_t b = 0;
    while (!bytes[b]) ++b;
    run.accept_byte(cur, b, next);
    if (next.stacks.empty()) break;
    out.push_back(static_cast<char>(b));
    std::swap(cur, next);
  }
  return out;
}

size_t GrammarState::mask(const TokenTrie& trie, std::span<float> logits, int32_t end_of_generation) const {
  std::vector<int32_t> ids;
  bool cached = false;
  if (cache_) {
    MaskCache::Impl& c = cache_->impl();
    std::lock_guard lock(c.mutex);
    if (auto it = c.masks.find(stacks_->stacks); it != c.masks.end()) {
      ids = it->second;
      cached = true;
    }
  }
  if (!cached) {
    const GrammarRunner run = runner_for(*grammar_, *sets_);
    const auto& nodes = trie.nodes();
    // The automaton seen from here, built lazily as a DFA: each distinct set of stacks becomes a
    // state with a transition per byte. Vocabulary walks revisit the same few states (inside a
    // string, after any ordinary character the parse is where it was), so most trie nodes cost a
    // table lookup instead of copying stacks.
    struct DfaState {
      GrammarStacks stacks;
      std::bitset<256> bytes;
      std::array<int32_t, 256> next;  // -2: not computed yet; -1: dead
    };
    std::vector<DfaState> states;
    std::map<std::vector<GrammarStack>, int32_t> index;
    auto intern = [&](GrammarStacks&& st) -> int32_t {
      auto [it, fresh] = index.emplace(st.stacks, static_cast<int32_t>(states.size()));
      if (fresh) {
        DfaState d;
        d.bytes = run.next_bytes(st);
        d.next.fill(-2);
        d.stacks = std::move(st);
        states.push_back(std::move(d));
      }
      return it->second;
    };
    GrammarStacks scratch;
    auto step = [&](int32_t state, uint8_t b) -> int32_t {
      int32_t& slot = states[state].next[b];
      if (slot == -2) {
        run.accept_byte(states[state].stacks, b, scratch);
        const int32_t target = scratch.stacks.empty() ? -1 : intern(std::move(scratch));
        states[state].next[b] = target;  // states may have grown: index again
        return target;
      }
      return slot;
    };
    std::vector<std::pair<int32_t, int32_t>> pending = {{0, intern(GrammarStacks(*stacks_))}};  // (trie node, state)
    while (!pending.empty()) {
      const auto [node, state] = pending.back();
      pending.pop_back();
      for (const auto& [b, child] : nodes[node].children) {
        if (!states[state].bytes[b]) continue;
        const int32_t target = step(state, b);
        if (target < 0) continue;
        ids.insert(ids.end(), nodes[child].tokens.begin(), nodes[child].tokens.end());
        if (!nodes[child].children.empty()) pending.emplace_back(child, target);
      }
    }
    if (cache_) {
      MaskCache::Impl& c = cache_->impl();
      std::lock_guard lock(c.mutex);
      if (c.masks.size() >= MaskCache::Impl::kMaxEntries) {
        c.masks.erase(c.order.front());
        c.order.pop_front();
      }
      if (c.masks.emplace(stacks_->stacks, ids).second) c.order.push_back(stacks_->stacks);
    }
  }
  std::vector<uint8_t> allowed(logits.size(), 0);
  for (int32_t id : ids)
    if (static_cast<size_t>(id) < allowed.size()) allowed[id] = 1;
  if (end_of_generation >= 0 && static_cast<size_t>(end_of_generation) < allowed.size() && complete())
    allowed[end_of_generation] = 1;
  size_t n = 0;
  for (size_t i = 0; i < logits.size(); ++i) {
    if (allowed[i]) ++n;
    else logits[i] = -INFINITY;
  }
  return n;
}

}  // namespace hearth::engine
