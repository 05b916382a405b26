#include "follow_up.h"

#include <set>

#include "hearth/nlu/contract.h"
#include "kinds.h"
#include "names.h"

namespace hearth::nlu {
namespace {

// Words of a follow-up that neither act nor name: joiners, fillers, politeness, "in the".
bool filler(const std::string& w) {
  static const std::set<std::string> words = {
      "and", "also", "too", "as", "well", "please", "thanks", "thank", "you", "now", "ok", "okay", "um", "uh", "hey",
      "so", "right", "yo", "oh", "er", "erm", "hmm", "alright", "asap", "hearth", "real", "quick", "for", "me", "the",
      "in", "on", "at", "of", "a", "with", "what", "about", "how", "then", "plus", "just", "one", "ones", "there"};
  return words.count(w) > 0;
}

bool is_target_key(const std::string& k) {
  return k == "name" || k == "area" || k == "floor" || k == "domain" || k == "device_class";
}

}  // namespace

bool only_fillers(const std::vector<std::string>& words) {
  for (const auto& w : words)
    if (!filler(w)) return false;
  return true;
}

std::vector<Intent> same_action_new_target(std::vector<Intent> intents, const std::vector<std::string>& said,
                                           const std::vector<Intent>& prev) {
  if (prev.size() != 1 || intents.empty() || said.empty()) return intents;
  const Intent& p = prev[0];
  const IntentSpec* spec = find_intent(p.name);
  if (!spec || !spec->targets_devices) return intents;
  // The target said now, as the model wrote it.
  nlohmann::json target = nlohmann::json::object();
  std::vector<bool> covered(said.size(), false);
  auto cover = [&](const std::string& phrase) {
    const std::vector<std::string> w = words_of(fold(phrase));
    bool hit = false;
    for (size_t at = 0; !w.empty() && at + w.size() <= said.size(); ++at) {
      bool match = true;
      for (size_t k = 0; k < w.size() && match; ++k) match = said[at + k] == w[k];
      if (!match) continue;
      hit = true;
      for (size_t k = 0; k < w.size(); ++k) covered[at + k] = true;
    }
    return hit;
  };
  std::string domain, cls;
  for (const Intent& i : intents)
    for (const char* key : {"name", "area", "floor"})
      if (auto v = i.slots.find(key); v != i.slots.end() && v->is_string() && *v != "all" && !target.contains(key) &&
                                      cover(v->get<std::string>()))
        target[key] = *v;
  bool kind_said = false;
  for (size_t k = 0; k < said.size(); ++k) {
    if (covered[k] || filler(said[k])) continue;
    if (!is_kind_word(said[k])) return intents;  // a word that acts or asks: not only a new target
    kind_said = true;
  }
  if (target.empty() && !kind_said) return intents;
  // A kind said now ("and the fans"): the one the model wrote.
  if (kind_said)
    for (const Intent& i : intents)
      if (i.slots.contains("domain") && domain.empty()) {
        domain = i.slots.value("domain", "");
        cls = i.slots.value("device_class", "");
      }
  Intent out{p.name, nlohmann::json::object(), {}};
  for (const auto& [k, v] : p.slots.items())
    if (!is_target_key(k)) out.slots[k] = v;
  for (const auto& [k, v] : target.items()) out.slots[k] = v;
  if (kind_said && !domain.empty()) {
    out.slots["domain"] = domain;
    if (!cls.empty()) out.slots["device_class"] = cls;
  } else {
    if (p.slots.contains("domain")) out.slots["domain"] = p.slots["domain"];
    if (!target.contains("name") && p.slots.contains("device_class")) out.slots["device_class"] = p.slots["device_class"];
  }
  return {out};
}

std::vector<Intent> same_target_as_before(std::vector<Intent> intents, const std::vector<std::string>& said,
                                          const std::vector<Intent>& prev) {
  if (prev.size() != 1 || intents.size() != 1) return intents;
  const IntentSpec* was = find_intent(prev[0].name);
  const IntentSpec* now = find_intent(intents[0].name);
  if (!was || !was->targets_devices || !now || !now->targets_devices) return intents;
  // What is done to the devices: switching and setting (not asking about them).
  static const std::set<std::string> kActions = {"HassTurnOn",     "HassTurnOff",     "HassToggle",
                                                 "HassLightSet",   "HassSetPosition", "HassFanSetSpeed"};
  Intent& i = intents[0];
  if (!kActions.count(i.name)) return intents;
  bool has_target = false;
  for (auto it = i.slots.begin(); it != i.slots.end(); ++it) {
    if (!is_target_key(it.key())) continue;
    has_target = true;
    if (!it->is_string()) return intents;
    const std::string v = it->get<std::string>();
    if (v == "all") {
      for (const auto& w : said)
        if (w == "all" || w == "every" || w == "everything" || w == "both") return intents;
    } else if ((it.key() == "name" || it.key() == "area" || it.key() == "floor") && says(said, fold(v))) {
      return intents;
    }
  }
  if (!has_target) return intents;
  // "switch" is a kind of device, but in "switch it off" the verb.
  static const std::set<std::string> kAfterTheVerb = {"it", "them", "on", "off", "back"};
  for (size_t k = 0; k < said.size(); ++k)
    if (is_kind_word(said[k]) &&
        !(said[k] == "switch" && (k == 0 || filler(said[k - 1])) && k + 1 < said.size() && kAfterTheVerb.count(said[k + 1])))
      return intents;
  nlohmann::json slots = nlohmann::json::object();
  for (const auto& [k, v] : prev[0].slots.items())
    if (is_target_key(k)) slots[k] = v;
  for (const auto& [k, v] : i.slots.items())
    if (!is_target_key(k)) slots[k] = v;
  i.slots = std::move(slots);
  return intents;
}

}  // namespace hearth::nlu
