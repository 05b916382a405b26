#include "names.h"

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

}  // namespace hearth::nlu
