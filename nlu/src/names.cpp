#include "names.h"

#include <algorithm>
#include <sstream>
#include <vector>

namespace hearth::nlu {

std::string name_key(const std::string& s) {
  std::istringstream in(fold(s));
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  size_t first = 0;
  while (first + 1 < words.size() && (words[first] == "the" || words[first] == "my" || words[first] == "a" || words[first] == "our"))
    ++first;
  std::string out;
  for (size_t i = first; i < words.size(); ++i) {
    std::string w = words[i];
    if (w.size() > 3 && w.back() == 's' && w[w.size() - 2] != 's' && w[w.size() - 2] != '\'') w.pop_back();
    out += (out.empty() ? "" : " ") + w;
  }
  return out;
}

bool name_matches(const Device& d, const std::string& key) {
  if (name_key(d.name) == key) return true;
  for (const auto& a : d.aliases)
    if (name_key(a) == key) return true;
  return false;
}

namespace {

std::vector<std::string> words_of(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// Whether `needle` occurs in `hay` at `at`.
bool words_at(const std::vector<std::string>& hay, size_t at, const std::vector<std::string>& needle) {
  if (at + needle.size() > hay.size()) return false;
  return std::equal(needle.begin(), needle.end(), hay.begin() + static_cast<std::ptrdiff_t>(at));
}

}  // namespace

std::string widen_to_said(const std::string& value, const std::vector<std::string>& known, const std::vector<std::string>& said) {
  const std::vector<std::string> v = words_of(value);
  if (v.empty()) return value;
  std::string best = value;
  size_t best_len = v.size();
  for (const auto& k : known) {
    const std::vector<std::string> kw = words_of(k);
    if (kw.size() <= best_len) continue;
    size_t inner = kw.size();  // where `value` sits inside k
    for (size_t i = 0; i + v.size() <= kw.size() && inner == kw.size(); ++i)
      if (words_at(kw, i, v)) inner = i;
    if (inner == kw.size()) continue;
    bool covered = true, said_whole = false;
    for (size_t at = 0; at + v.size() <= said.size(); ++at) {
      if (!words_at(said, at, v)) continue;
      const bool inside = at >= inner && words_at(said, at - inner, kw);
      said_whole = said_whole || inside;
      covered = covered && inside;
    }
    if (said_whole && covered) {
      best = k;
      best_len = kw.size();
    }
  }
  return best;
}

}  // namespace hearth::nlu
