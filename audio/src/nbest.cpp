#include "nbest.h"

#include <algorithm>
#include <limits>
#include <queue>
#include <set>

namespace hearth::audio::nbest {

namespace {

// "the(2)" -> "the": a pronunciation variant is its word.
std::string base_word(const char* w) {
  std::string s = w ? w : "";
  if (const auto paren = s.find('('); paren != std::string::npos && paren > 0 && s.back() == ')') s.resize(paren);
  return s;
}

// Silences, noises and the sentence markers: not words of a sentence.
bool is_filler(const std::string& w) { return w.empty() || w[0] == '<' || w[0] == '['; }

}  // namespace

GrammarAcceptor::GrammarAcceptor(const speech_libs::Sphinx& ps, fsg_model_t* fsg) {
  if (!fsg || fsg_model_n_state(fsg) <= 0) return;
  const int n_state = fsg_model_n_state(fsg);
  arcs_.resize(static_cast<size_t>(n_state));
  nulls_.resize(static_cast<size_t>(n_state));
  for (int s = 0; s < n_state; ++s)
    for (fsg_arciter_t* it = ps.fsg_arcs(fsg, s); it; it = ps.fsg_arciter_next(it)) {
      const fsg_link_t* link = ps.fsg_arciter_get(it);
      if (!link) continue;
      const int to = fsg_link_to_state(link), wid = fsg_link_wid(link);
      if (to < 0 || to >= n_state) continue;
      if (wid < 0) {
        nulls_[static_cast<size_t>(s)].push_back(to);
        continue;
      }
      const std::string w = base_word(fsg_model_word_str(fsg, wid));
      if (is_filler(w)) continue;  // silence loops: the lattice's fillers are skipped anyway
      const int id = word_ids_.emplace(w, static_cast<int>(word_ids_.size())).first->second;
      arcs_[static_cast<size_t>(s)].emplace_back(id, to);
    }
  start_state_ = fsg_model_start_state(fsg);
  final_ = fsg_model_final_state(fsg);
}

int GrammarAcceptor::intern(std::vector<int> states) {
  // Close over null arcs: every state reachable from these without a word.
  std::set<int> seen(states.begin(), states.end());
  for (std::vector<int> frontier = std::move(states); !frontier.empty();) {
    const int s = frontier.back();
    frontier.pop_back();
    for (int t : nulls_[static_cast<size_t>(s)])
      if (seen.insert(t).second) frontier.push_back(t);
  }
  std::vector<int> closed(seen.begin(), seen.end());
  if (auto it = set_ids_.find(closed); it != set_ids_.end()) return it->second;
  const int id = static_cast<int>(sets_.size());
  sets_.push_back(closed);
  set_ids_.emplace(std::move(closed), id);
  return id;
}

int GrammarAcceptor::start() { return empty() ? -1 : intern({start_state_}); }

int GrammarAcceptor::step(int states, const std::string& word) {
  if (states < 0) return -1;
  const auto w = word_ids_.find(word);
  if (w == word_ids_.end()) return -1;
  const auto key = std::make_pair(states, w->second);
  if (auto it = steps_.find(key); it != steps_.end()) return it->second;
  std::vector<int> next;
  for (int s : sets_[static_cast<size_t>(states)])
    for (const auto& [wid, to] : arcs_[static_cast<size_t>(s)])
      if (wid == w->second) next.push_back(to);
  const int id = next.empty() ? -1 : intern(std::move(next));
  steps_.emplace(key, id);
  return id;
}

bool GrammarAcceptor::accepts(int states) const {
  if (states < 0) return false;
  const auto& set = sets_[static_cast<size_t>(states)];
  return std::binary_search(set.begin(), set.end(), final_);
}

std::vector<Sentence> sentences(const speech_libs::Sphinx& ps, ps_decoder_t* decoder, GrammarAcceptor& grammar, size_t n,
                                size_t max_steps) {
  std::vector<Sentence> out;
  if (n == 0 || grammar.empty()) return out;
  ps_lattice_t* dag = ps.get_lattice(decoder);
  if (!dag) return out;

  // The lattice as plain arrays: nodes (a word from a start frame), links with acoustic scores.
  struct Link {
    int to;
    long acoustic;
  };
  std::vector<ps_latnode_t*> nodes;
  std::unordered_map<ps_latnode_t*, int> index;
  for (ps_latnode_iter_t* it = ps.latnode_iter(dag); it; it = ps.latnode_iter_next(it)) {
    ps_latnode_t* node = ps.latnode_iter_node(it);
    index.emplace(node, static_cast<int>(nodes.size()));
    nodes.push_back(node);
  }
  const int count = static_cast<int>(nodes.size());
  std::vector<std::vector<Link>> exits(nodes.size());
  std::vector<std::string> word(nodes.size());
  std::vector<int> start_frame(nodes.size());
  int start = -1, end = -1;
  for (int i = 0; i < count; ++i) {
    int16 first_end = 0, last_end = 0;
    start_frame[i] = ps.latnode_times(nodes[i], &first_end, &last_end);
    word[i] = base_word(ps.latnode_word(dag, nodes[i]));
    for (ps_latlink_iter_t* it = ps.latnode_exits(nodes[i]); it; it = ps.latlink_iter_next(it)) {
      ps_latlink_t* link = ps.latlink_iter_link(it);
      ps_latnode_t* from = nullptr;
      const auto to = index.find(ps.latlink_nodes(link, &from));
      if (to == index.end()) continue;
      int32 acoustic = 0;
      ps.latlink_prob(dag, link, &acoustic);
      exits[i].push_back({to->second, acoustic});
    }
    bool entered = false;
    for (ps_latlink_iter_t* it = ps.latnode_entries(nodes[i]); it; it = ps.latlink_iter_next(it)) entered = true;
    if (!entered && (start < 0 || start_frame[i] < start_frame[start])) start = i;
    if (exits[i].empty() && word[i] == "</s>") end = i;
  }
  if (start < 0 || end < 0) return out;

  // The best acoustic score from each node to the end: links go forward in time, so nodes in
  // order of falling start frame are a reverse topological order.
  constexpr long kUnreachable = std::numeric_limits<long>::min() / 4;
  std::vector<long> to_end(nodes.size(), kUnreachable);
  to_end[end] = 0;
  std::vector<int> order(nodes.size());
  for (int i = 0; i < count; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](int a, int b) { return start_frame[a] > start_frame[b]; });
  for (int i : order)
    for (const auto& l : exits[i])
      if (to_end[l.to] != kUnreachable) to_end[i] = std::max(to_end[i], l.acoustic + to_end[l.to]);
  if (to_end[start] == kUnreachable) return out;

  // Word sequences as a tree of prefixes: a prefix id names the sequence, its grammar state
  // follows from it.
  struct Prefix {
    int parent;
    std::string word;
    int grammar;
  };
  std::vector<Prefix> prefixes{{-1, "", grammar.start()}};
  std::map<std::pair<int, std::string>, int> child;
  auto extend = [&](int prefix, const std::string& w) -> int {
    if (is_filler(w)) return prefix;
    const auto key = std::make_pair(prefix, w);
    if (auto it = child.find(key); it != child.end()) return it->second;
    const int g = grammar.step(prefixes[static_cast<size_t>(prefix)].grammar, w);
    int id = -1;
    if (g >= 0) {
      id = static_cast<int>(prefixes.size());
      prefixes.push_back({prefix, w, g});
    }
    child.emplace(key, id);
    return id;
  };
  auto text_of = [&](int prefix) {
    std::vector<const std::string*> words;
    for (int p = prefix; p > 0; p = prefixes[static_cast<size_t>(p)].parent) words.push_back(&prefixes[static_cast<size_t>(p)].word);
    std::string text;
    for (auto it = words.rbegin(); it != words.rend(); ++it) text += (text.empty() ? "" : " ") + **it;
    return text;
  };

  struct Entry {
    long so_far, bound;  // score up to the node; that plus the best to the end
    int node, prefix;
    bool operator<(const Entry& o) const { return bound < o.bound; }
  };
  std::priority_queue<Entry> queue;
  const int first = extend(0, word[start]);
  if (first < 0) return out;
  queue.push({0, to_end[start], start, first});
  // A word sequence reaches a node first by its best path (the look-ahead is exact): later
  // arrivals of the same sequence there are other segmentations of it, not new sentences.
  std::set<std::pair<int, int>> expanded;
  std::set<int> found;
  for (size_t steps = 0; !queue.empty() && out.size() < n && steps < max_steps; ++steps) {
    const Entry e = queue.top();
    queue.pop();
    if (!expanded.insert({e.node, e.prefix}).second) continue;
    if (e.node == end) {
      if (grammar.accepts(prefixes[static_cast<size_t>(e.prefix)].grammar) && found.insert(e.prefix).second)
        out.push_back({text_of(e.prefix), e.so_far});
      continue;
    }
    for (const auto& l : exits[e.node]) {
      if (to_end[l.to] == kUnreachable) continue;
      const int p = extend(e.prefix, word[l.to]);
      if (p < 0) continue;  // the grammar cannot go on with this word
      const long so_far = e.so_far + l.acoustic;
      queue.push({so_far, so_far + to_end[l.to], l.to, p});
    }
  }
  return out;
}

}  // namespace hearth::audio::nbest
