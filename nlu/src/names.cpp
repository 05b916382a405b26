#include "names.h"

#include <algorithm>
#include <set>
#include <sstream>
#include <vector>

#include "hearth/nlu/contract.h"

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

std::vector<std::string> words_of(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

namespace {

// Whether `needle` occurs in `hay` at `at`.
bool words_at(const std::vector<std::string>& hay, size_t at, const std::vector<std::string>& needle) {
  if (at + needle.size() > hay.size()) return false;
  return std::equal(needle.begin(), needle.end(), hay.begin() + static_cast<std::ptrdiff_t>(at));
}

}  // namespace

bool says(const std::vector<std::string>& said, const std::string& phrase) {
  const std::vector<std::string> w = words_of(fold(phrase));
  if (w.empty()) return false;
  for (size_t at = 0; at + w.size() <= said.size(); ++at)
    if (words_at(said, at, w)) return true;
  return false;
}

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

namespace {

// The intents that act on devices and name nothing and no floor (place_said_area: and no area).
std::vector<Intent*> unnamed(std::vector<Intent>& intents, bool without_area) {
  std::vector<Intent*> out;
  for (Intent& i : intents) {
    const IntentSpec* spec = find_intent(i.name);
    if (spec && spec->targets_devices && !i.slots.contains("name") && !i.slots.contains("floor") &&
        !(without_area && i.slots.contains("area")))
      out.push_back(&i);
  }
  return out;
}

}  // namespace

void name_said_devices(std::vector<Intent>& intents, const std::vector<std::string>& said, const Home& home) {
  const std::vector<Intent*> open = unnamed(intents, false);
  if (open.empty()) return;
  // A name of two words or more, so never a bare kind.
  auto said_whole = [&](const std::string& phrase) { return words_of(phrase).size() >= 2 && says(said, phrase); };
  std::vector<std::pair<const Device*, std::string>> named;  // device, the name or alias said
  for (const Device& d : home.devices) {
    if (!d.expose) continue;
    if (said_whole(d.name)) {
      named.emplace_back(&d, fold(d.name));
      continue;
    }
    for (const auto& a : d.aliases)
      if (said_whole(a)) {
        named.emplace_back(&d, fold(a));
        break;
      }
  }
  // What the intents already name (or place) is taken.
  auto taken = [&](const std::string& phrase) {
    for (const Intent& i : intents)
      for (const char* key : {"name", "area", "floor"})
        if (auto v = i.slots.find(key); v != i.slots.end() && v->is_string()) {
          const std::string s = fold(v->get<std::string>());
          if (s.find(phrase) != std::string::npos || phrase.find(s) != std::string::npos) return true;
        }
    return false;
  };
  for (Intent* ip : open) {
    Intent& i = *ip;
    const IntentSpec* spec = find_intent(i.name);
    const std::string domain = i.slots.value("domain", "");
    const std::string area = fold(i.slots.value("area", ""));
    const Device* only = nullptr;
    std::string phrase;
    int count = 0;
    for (const auto& [d, n] : named) {
      const bool kind = domain.empty() ? (spec->domains.empty() || std::find(spec->domains.begin(), spec->domains.end(),
                                                                               d->domain) != spec->domains.end())
                                       : d->domain == domain;
      // A kind the model already wrote exactly ("is the garage door open": class garage) means the
      // kind, as a name that is only a kind does.
      const bool same_class = !d->device_class.empty() && i.slots.value("device_class", "") == d->device_class;
      if (!kind || same_class || (!area.empty() && fold(d->area) != area) || taken(n)) continue;
      ++count;
      only = d;
      phrase = n;
    }
    if (count != 1) continue;
    i.slots["name"] = phrase;
    if (auto c = i.slots.find("device_class"); c != i.slots.end() && c->is_string() && *c != only->device_class)
      i.slots.erase(c);
  }
}


void place_said_area(std::vector<Intent>& intents, const std::vector<std::string>& said, const Home& home) {
  const std::vector<Intent*> open = unnamed(intents, true);
  if (open.size() != 1) return;
  Intent& placeless = *open[0];
  // What the intents already name or place, word by word: an area said inside a name
  // ("the kitchen speaker") is that name's.
  std::string carried;
  for (const Intent& i : intents)
    for (const char* key : {"name", "area", "floor"})
      if (auto v = i.slots.find(key); v != i.slots.end() && v->is_string()) carried += " " + v->get<std::string>();
  const std::vector<std::string> carried_words = words_of(fold(carried));
  std::vector<std::string> areas;  // said, and in no slot
  for (const Area& a : home.areas) {
    std::string hit = says(said, a.name) ? fold(a.name) : "";
    for (const auto& alias : a.aliases)
      if (hit.empty() && says(said, alias)) hit = fold(alias);
    if (!hit.empty() && !says(carried_words, hit)) areas.push_back(hit);
  }
  // An area said inside a longer one said ("bedroom" in "third bedroom") is the longer one's.
  std::vector<std::string> kept;
  for (const auto& a : areas) {
    bool part = false;
    for (const auto& b : areas) part = part || (b != a && says(words_of(b), a));
    if (!part) kept.push_back(a);
  }
  if (kept.size() != 1) return;
  // The words of a kind the model wrote are the kind's: "close the garage" (the class garage)
  // in a home with a garage.
  const std::string cls = placeless.slots.value("device_class", "");
  if (!cls.empty() && says(words_of(kept[0]), cls)) return;
  placeless.slots["area"] = kept[0];
}

}  // namespace hearth::nlu
