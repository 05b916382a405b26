#include "names.h"

#include <algorithm>
#include <set>
#include <sstream>
#include <vector>

#include "hearth/nlu/contract.h"
#include "kinds.h"

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

// Where a device's name (or an alias) was said whole in a request: the words it covers.
struct SaidName {
  const Device* device = nullptr;
  std::string phrase;       // the name or alias said, fold()ed
  std::vector<bool> cover;  // per word of the request: inside a place it was said
};

// Whether `phrase` was said and every place it was said lies inside `cover`.
bool said_inside(const std::vector<std::string>& said, const std::string& phrase, const std::vector<bool>& cover) {
  const std::vector<std::string> w = words_of(fold(phrase));
  bool any = false;
  for (size_t at = 0; !w.empty() && at + w.size() <= said.size(); ++at) {
    if (!words_at(said, at, w)) continue;
    any = true;
    for (size_t k = at; k < at + w.size(); ++k)
      if (!cover[k]) return false;
  }
  return any;
}

// Whether `phrase` was said somewhere partly inside `cover` and partly outside it.
bool said_across(const std::vector<std::string>& said, const std::string& phrase, const std::vector<bool>& cover) {
  const std::vector<std::string> w = words_of(phrase);
  for (size_t at = 0; !w.empty() && at + w.size() <= said.size(); ++at) {
    if (!words_at(said, at, w)) continue;
    size_t in = 0;
    for (size_t k = at; k < at + w.size(); ++k) in += cover[k];
    if (in > 0 && in < w.size()) return true;
  }
  return false;
}

// Whether a word of the kind (domain, device class) was said outside `cover`: the model read the
// kind from words that are not the device's name.
bool kind_said_outside(const std::vector<std::string>& said, const std::string& domain, const std::string& cls,
                       const std::vector<bool>& cover) {
  for (const auto& k : kind_words(domain, cls)) {
    const std::vector<std::string> w = words_of(k);
    for (size_t at = 0; !w.empty() && at + w.size() <= said.size(); ++at) {
      if (!words_at(said, at, w)) continue;
      // "switch off the whole room": the verb, not a switch.
      const size_t next = at + w.size();
      if (k == "switch" && next < said.size() && (said[next] == "on" || said[next] == "off" || said[next] == "it" || said[next] == "them"))
        continue;
      for (size_t i = at; i < next; ++i)
        if (!cover[i]) return true;
    }
  }
  return false;
}

std::vector<SaidName> names_said(const std::vector<std::string>& said, const Home& home) {
  std::vector<SaidName> out;
  for (const Device& d : home.devices) {
    if (!d.expose) continue;
    std::vector<std::string> names = {d.name};
    names.insert(names.end(), d.aliases.begin(), d.aliases.end());
    for (const auto& n : names) {
      const std::vector<std::string> w = words_of(fold(n));
      // A one-word name that is a kind ("lamp") means the kind when said.
      if (w.empty() || (w.size() == 1 && is_kind_word(w[0]))) continue;
      SaidName s{&d, fold(n), std::vector<bool>(said.size(), false)};
      bool hit = false;
      for (size_t at = 0; at + w.size() <= said.size(); ++at)
        if (words_at(said, at, w)) {
          hit = true;
          for (size_t k = at; k < at + w.size(); ++k) s.cover[k] = true;
        }
      if (hit) {
        out.push_back(std::move(s));
        break;
      }
    }
  }
  return out;
}

}  // namespace

void name_said_devices(std::vector<Intent>& intents, const std::vector<std::string>& said, const Home& home) {
  std::vector<Intent*> open;
  for (Intent& i : intents) {
    const IntentSpec* spec = find_intent(i.name);
    if (spec && spec->targets_devices && !i.slots.contains("name")) open.push_back(&i);
  }
  if (open.empty()) return;
  const std::vector<SaidName> named = names_said(said, home);
  if (named.empty()) return;
  // A name taken by what an intent already names or places (bar a place the intent wrote from the
  // name's own words), or said across a place an intent wrote ("front porch fan", a fan in the
  // front porch, says "porch fan").
  auto taken = [&](const SaidName& n, const Intent& self) {
    for (const Intent& i : intents)
      for (const char* key : {"name", "area", "floor"})
        if (auto v = i.slots.find(key); v != i.slots.end() && v->is_string()) {
          const std::string s = fold(v->get<std::string>());
          if (&i == &self && said_inside(said, s, n.cover)) continue;
          if (s.find(n.phrase) != std::string::npos || n.phrase.find(s) != std::string::npos) return true;
          if (said_across(said, s, n.cover)) return true;
        }
    return false;
  };
  // A name said inside a longer one said is the longer one's ("floor heating" in "entryway floor
  // heating").
  auto inside_longer = [&](const SaidName& n) {
    for (const SaidName& m : named) {
      if (&m == &n || m.phrase.size() <= n.phrase.size()) continue;
      bool within = true;
      for (size_t k = 0; k < said.size() && within; ++k) within = !n.cover[k] || m.cover[k];
      if (within) return true;
    }
    return false;
  };
  for (Intent* ip : open) {
    Intent& i = *ip;
    const IntentSpec* spec = find_intent(i.name);
    const std::string domain = i.slots.value("domain", ""), cls = i.slots.value("device_class", "");
    const std::string area = fold(i.slots.value("area", "")), floor = fold(i.slots.value("floor", ""));
    // Devices that fit, those in the area written first.
    std::vector<const SaidName*> in_area, elsewhere;
    for (const SaidName& n : named) {
      const Device& d = *n.device;
      if (!spec->domains.empty() && std::find(spec->domains.begin(), spec->domains.end(), d.domain) == spec->domains.end())
        continue;
      // A kind the model wrote exactly ("is the garage door open": class garage) means the kind,
      // as a name that is only a kind does.
      if (!d.device_class.empty() && cls == d.device_class) continue;
      // Another kind fits only when its words were said inside the name or not at all: "turn on
      // the speaker plug" came out as every speaker.
      const bool same_kind = (domain.empty() || domain == d.domain) && (cls.empty() || cls == d.device_class);
      if (!same_kind && kind_said_outside(said, domain, cls, n.cover)) continue;
      // A floor only as words of the name ("the downstairs thermostat").
      if (!floor.empty() && !said_inside(said, floor, n.cover)) continue;
      if (taken(n, i) || inside_longer(n)) continue;
      if (area.empty() || fold(d.area) == area || said_inside(said, area, n.cover))
        in_area.push_back(&n);
      else
        elsewhere.push_back(&n);
    }
    const SaidName* only = in_area.size() == 1 ? in_area[0] : in_area.empty() && elsewhere.size() == 1 ? elsewhere[0] : nullptr;
    if (!only) continue;
    const Device& d = *only->device;
    i.slots["name"] = only->phrase;
    // The device's own domain stays where it was said beside the name ("the vacation scene") or
    // where the verb says it ("shut the gas valve": on and off mean open and close, lock and
    // unlock), as the model writes it.
    const bool verb_domain = d.domain == "cover" || d.domain == "valve" || d.domain == "lock";
    if (!domain.empty() &&
        (domain != d.domain || (!verb_domain && !kind_said_outside(said, d.domain, "", only->cover))))
      i.slots.erase("domain");
    if (!cls.empty() && cls != d.device_class) i.slots.erase("device_class");
    if (!floor.empty()) i.slots.erase("floor");
    if (!area.empty() && said_inside(said, area, only->cover)) i.slots.erase("area");
  }
}

void scene_or_script_domain(std::vector<Intent>& intents, const Home& home) {
  for (Intent& i : intents) {
    auto n = i.slots.find("name");
    if (n == i.slots.end() || !n->is_string() || *n == "all" || i.slots.contains("domain")) continue;
    const std::string key = name_key(n->get<std::string>());
    std::string domain;
    bool one = true;
    for (const Device& d : home.devices)
      if (name_matches(d, key)) {
        one = one && (domain.empty() || domain == d.domain);
        domain = d.domain;
      }
    if (one && (domain == "scene" || domain == "script")) i.slots["domain"] = domain;
  }
}

void sensor_asked_as_temperature(std::vector<Intent>& intents, const Home& home) {
  for (Intent& i : intents) {
    auto n = i.slots.find("name");
    if (i.name != "HassClimateGetTemperature" || n == i.slots.end() || !n->is_string() || *n == "all") continue;
    const std::string key = name_key(n->get<std::string>());
    bool any = false, sensors = true;
    for (const Device& d : home.devices)
      if (name_matches(d, key)) {
        any = true;
        sensors = sensors && d.domain == "sensor";
      }
    if (!any || !sensors) continue;
    i.name = "HassGetState";
    i.slots["domain"] = "sensor";
  }
}

void sensor_named_in_question(std::vector<Intent>& intents, const std::vector<std::string>& said, const Home& home) {
  if (intents.size() != 1 || !intents[0].is_chat() || intents[0].slots.value("topic", "") != "unsupported" || said.empty())
    return;
  static const std::set<std::string> asking = {"what", "what's", "whats", "how", "how's", "is", "are", "tell", "show"};
  if (!asking.count(said[0]) && !(said.size() > 1 && asking.count(said[1]))) return;
  const std::vector<SaidName> named = names_said(said, home);
  if (named.size() != 1) return;
  const Device& d = *named[0].device;
  if (d.domain != "sensor" && d.domain != "binary_sensor") return;
  std::string name = d.name;  // as the devices file spells the name or alias said
  for (const auto& a : d.aliases)
    if (fold(a) == named[0].phrase) name = a;
  intents[0] = Intent{"HassGetState", {{"name", name}, {"domain", d.domain}}, {}};
}

void whole_area_is_all(std::vector<Intent>& intents, const std::vector<std::string>& said) {
  for (Intent& i : intents) {
    const IntentSpec* spec = find_intent(i.name);
    auto area = i.slots.find("area");
    if (!spec || !spec->targets_devices || i.slots.contains("name") || area == i.slots.end() || !area->is_string()) continue;
    const std::vector<std::string> a = words_of(fold(area->get<std::string>()));
    bool whole = false;
    for (size_t at = 1; !a.empty() && at + a.size() <= said.size() && !whole; ++at)
      whole = said[at - 1] == "whole" && words_at(said, at, a);
    if (!whole) continue;
    i.slots["name"] = "all";
    const std::string domain = i.slots.value("domain", "");
    if (!domain.empty() && !kind_said_outside(said, domain, "", std::vector<bool>(said.size(), false)))
      i.slots.erase("domain");
  }
}

void place_said_area(std::vector<Intent>& intents, const std::vector<std::string>& said, const Home& home) {
  // The intents that act on devices and name nothing and no place.
  std::vector<Intent*> open;
  for (Intent& i : intents) {
    const IntentSpec* spec = find_intent(i.name);
    if (spec && spec->targets_devices && !i.slots.contains("name") && !i.slots.contains("floor") && !i.slots.contains("area"))
      open.push_back(&i);
  }
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

void area_said_after_name(std::vector<Intent>& intents, const std::vector<std::string>& said, const Home& home) {
  for (Intent& i : intents) {
    auto n = i.slots.find("name");
    if (n == i.slots.end() || !n->is_string() || *n == "all" || i.slots.contains("floor")) continue;
    const std::vector<std::string> name = words_of(fold(n->get<std::string>()));
    std::string found;  // the area said after the name, fold()ed
    bool one = true;
    for (size_t at = 0; !name.empty() && at + name.size() < said.size(); ++at) {
      if (!words_at(said, at, name)) continue;
      size_t q = at + name.size();
      if (said[q] != "in") continue;
      ++q;
      if (q < said.size() && said[q] == "the") ++q;
      std::string longest;
      for (const Area& a : home.areas) {
        std::vector<std::string> spellings = a.aliases;
        spellings.push_back(a.name);
        for (const auto& sp : spellings) {
          const std::vector<std::string> w = words_of(fold(sp));
          if (!w.empty() && words_at(said, q, w) && w.size() > words_of(longest).size()) longest = fold(sp);
        }
      }
      if (longest.empty()) continue;
      one = one && (found.empty() || found == longest);
      found = longest;
    }
    if (found.empty() || !one) continue;
    auto area = i.slots.find("area");
    if (area == i.slots.end()) {
      i.slots["area"] = found;
    } else if (area->is_string() && fold(area->get<std::string>()) != found && !says(said, area->get<std::string>())) {
      *area = found;
    }
  }
}

}  // namespace hearth::nlu
