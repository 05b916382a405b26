#include "actions_said.h"

#include <algorithm>
#include <set>

#include "follow_up.h"
#include "names.h"

namespace hearth::nlu {
namespace {

bool says_any(const std::vector<std::string>& said, const std::vector<std::string>& phrases) {
  for (const auto& p : phrases)
    if (says(said, p)) return true;
  return false;
}

// Ways of switching on and off, and the words of each way.
const std::vector<std::string> kOnWays = {"power up", "power on", "switch on", "turn on", "turn it on",
                                          "switch it on", "turn them on", "switch them on"};
const std::vector<std::string> kOnWords = {"on", "up", "start", "enable", "activate", "open"};
const std::vector<std::string> kOffWays = {"power down", "power off", "switch off", "turn off", "shut down",
                                           "shut off", "turn it off", "switch it off", "turn them off"};
const std::vector<std::string> kOffWords = {"off", "shut", "stop", "kill", "down", "disable", "deactivate", "cut", "close"};

}  // namespace

void on_off_said(std::vector<Intent>& intents, const std::vector<std::string>& said) {
  if (intents.size() != 1 || said.empty()) return;
  Intent& i = intents[0];
  if (i.name != "HassTurnOn" && i.name != "HassTurnOff") return;
  const std::string domain = i.slots.value("domain", "");
  if (domain == "cover" || domain == "valve" || domain == "lock") return;
  if (i.name == "HassTurnOff" && (says_any(said, kOnWays) || said.back() == "on") && !says_any(said, kOffWords))
    i.name = "HassTurnOn";
  else if (i.name == "HassTurnOn" && (says_any(said, kOffWays) || said.back() == "off") && !says_any(said, kOnWords))
    i.name = "HassTurnOff";
}

Intent* only_timer(std::vector<Intent>& intents) {
  Intent* timer = nullptr;
  int timers = 0;
  for (Intent& i : intents)
    if (i.name.find("Timer") != std::string::npos) {
      ++timers;
      timer = &i;
    }
  return timers == 1 ? timer : nullptr;
}

void timer_change_said(std::vector<Intent>& intents, const std::vector<std::string>& said) {
  Intent* timer = only_timer(intents);
  if (!timer || (timer->name != "HassIncreaseTimer" && timer->name != "HassDecreaseTimer")) return;
  static const std::set<std::string> more = {"add", "more", "extend", "increase", "longer", "lengthen", "give", "another"};
  static const std::set<std::string> less = {"less", "remove", "take", "subtract", "shorten", "reduce", "minus", "fewer",
                                             "shorter", "decrease", "off", "from"};
  bool said_more = false, said_less = false;
  for (const auto& w : said) {
    said_more = said_more || more.count(w) > 0;
    said_less = said_less || less.count(w) > 0;
  }
  const bool increase = timer->name == "HassIncreaseTimer";
  if (increase ? said_more : said_less) return;
  if (increase ? said_less : said_more) {
    timer->name = increase ? "HassDecreaseTimer" : "HassIncreaseTimer";
    return;
  }
  // "<duration> timer": a new one.
  static const std::set<std::string> units = {"second", "seconds", "minute", "minutes", "hour", "hours", "half"};
  for (size_t k = 1; k < said.size(); ++k)
    if (said[k] == "timer" && units.count(said[k - 1])) {
      timer->name = "HassStartTimer";
      return;
    }
}

void open_close_said(std::vector<Intent>& intents, const std::vector<std::string>& said, const Home& home) {
  if (intents.size() != 1 || said.empty()) return;
  Intent& i = intents[0];
  if (i.name != "HassTurnOn" && i.name != "HassTurnOff") return;
  std::string domain = i.slots.value("domain", "");
  if (domain.empty()) {
    auto n = i.slots.find("name");
    if (n == i.slots.end() || !n->is_string()) return;
    const std::string key = name_key(n->get<std::string>());
    for (const Device& d : home.devices)
      if (name_matches(d, key)) {
        if (!domain.empty() && domain != d.domain) return;
        domain = d.domain;
      }
  }
  auto said_any = [&](std::initializer_list<const char*> words) {
    for (const auto& w : said)
      for (const char* x : words)
        if (w == x) return true;
    return false;
  };
  bool on = false, off = false;
  if (domain == "cover" || domain == "valve") {
    on = said_any({"open", "opens", "raise", "lift"});
    off = said_any({"close", "closes", "shut", "lower"});
  } else if (domain == "lock") {
    // "lock" is also the thing ("unlock the front door lock"): as the action it comes first.
    off = said_any({"unlock", "unlocks", "unbolt", "unlatch"});
    size_t first = 0;
    static const std::set<std::string> lead = {"and", "now", "please", "ok", "okay", "so", "then", "also", "hey", "hearth"};
    while (first < said.size() && lead.count(said[first])) ++first;
    on = first < said.size() && (said[first] == "lock" || said[first] == "bolt");
  } else {
    return;
  }
  if (on == off) return;
  i.name = on ? "HassTurnOn" : "HassTurnOff";
}

void list_action_said(std::vector<Intent>& intents, const std::vector<std::string>& said) {
  if (intents.size() != 1) return;
  Intent& i = intents[0];
  if (i.name != "HassListAddItem" && i.name != "HassListCompleteItem") return;
  static const std::set<std::string> add = {"add", "put", "need", "needs", "buy", "get", "include", "write", "jot",
                                            "remember", "out", "low"};
  static const std::set<std::string> done = {"cross", "tick", "check", "mark", "done", "complete", "completed",
                                             "finished", "remove", "delete", "picked", "got", "bought", "scratch",
                                             "strike", "erase", "take", "grabbed"};
  bool said_add = false, said_done = false;
  for (const auto& w : said) {
    said_add = said_add || add.count(w) > 0;
    said_done = said_done || done.count(w) > 0;
  }
  const bool adding = i.name == "HassListAddItem";
  if ((adding ? said_add : said_done) || !(adding ? said_done : said_add)) return;
  i.name = adding ? "HassListCompleteItem" : "HassListAddItem";
}

void chat_topic_said(std::vector<Intent>& intents, const std::vector<std::string>& said) {
  if (intents.size() != 1 || !intents[0].is_chat() || said.empty()) return;
  auto topic = intents[0].slots.find("topic");
  if (topic == intents[0].slots.end() || !topic->is_string()) return;
  const std::string now = fold(topic->get<std::string>());
  // Only the small talk whose words are plain: questions and other requests stay as read.
  static const std::vector<std::pair<std::string, std::set<std::string>>> kOpeners = {
      {"greeting", {"hello", "hi", "howdy", "morning"}},
      {"thanks", {"thanks", "thank", "cheers", "ta"}},
      {"goodbye", {"bye", "goodbye", "later"}},
  };
  if (now != "greeting" && now != "thanks" && now != "goodbye" && now != "help") return;
  // "hello, what can you do": a question is what the turn is for.
  static const std::set<std::string> kAsking = {"what", "how", "who", "where", "why", "can", "could", "help"};
  for (const auto& w : said)
    if (kAsking.count(w)) return;
  std::string opened;
  int families = 0;
  for (const auto& [name, words] : kOpeners) {
    bool hit = false;
    for (const auto& w : said) hit = hit || words.count(w) > 0;
    if (hit) {
      ++families;
      if (words.count(said[0])) opened = name;
    }
  }
  if (families == 1 && !opened.empty() && opened != now) *topic = opened;
}

void toggle_said(std::vector<Intent>& intents, const std::vector<std::string>& said) {
  static const std::set<std::string> kToggling = {"change", "toggle", "flip"};
  bool toggling = false;
  for (const auto& w : said) toggling = toggling || kToggling.count(w) > 0;
  if (toggling) {
    static const std::set<std::string> kLevelWords = {
        "brighter", "brighten", "bright", "brightness", "dimmer", "dim", "darker", "lighter", "up", "down", "raise",
        "lower", "increase", "decrease", "more", "less", "boost", "reduce", "bump", "crank", "drop", "bit", "little",
        "percent", "half", "full", "max", "maximum", "minimum"};
    for (const auto& w : said)
      if (kLevelWords.count(w)) return;
    for (Intent& i : intents) {
      if (i.name != "HassLightSet" || !i.slots.contains("brightness_step") || i.slots.contains("brightness") ||
          i.slots.contains("color") || i.slots.contains("temperature"))
        continue;
      i.name = "HassToggle";
      i.slots.erase("brightness_step");
    }
    return;
  }
  if (intents.size() != 1 || intents[0].name != "HassToggle") return;
  const bool on = says_any(said, kOnWays) && !says_any(said, kOffWords);
  const bool off = says_any(said, kOffWays) && !says_any(said, kOnWords);
  if (on != off) intents[0].name = on ? "HassTurnOn" : "HassTurnOff";
}

void temperature_asked(std::vector<Intent>& intents, const std::vector<std::string>& said, const Home& home) {
  static const std::set<std::string> kWarmth = {"warm", "cold", "hot", "chilly"};
  size_t at = said.size();
  for (size_t k = 0; k + 3 < said.size() && at == said.size(); ++k)
    if (said[k] == "how" && kWarmth.count(said[k + 1]) && said[k + 2] == "is") at = k + 3;
  if (at == said.size()) return;
  if (at + 1 < said.size() && said[at] == "it" && said[at + 1] == "in") at += 2;
  if (at < said.size() && said[at] == "the") ++at;
  // The longest area name or alias said there, spelled as the home spells it.
  std::string area;
  size_t longest = 0;
  for (const Area& a : home.areas) {
    std::vector<std::string> names = {a.name};
    names.insert(names.end(), a.aliases.begin(), a.aliases.end());
    for (const auto& n : names) {
      const std::vector<std::string> w = words_of(fold(n));
      if (w.size() <= longest || at + w.size() > said.size() || !std::equal(w.begin(), w.end(), said.begin() + static_cast<std::ptrdiff_t>(at)))
        continue;
      area = n;
      longest = w.size();
    }
  }
  if (area.empty()) return;
  for (const Intent& i : intents)
    if (i.name == "HassClimateGetTemperature") return;
  static const std::set<std::string> kAsking = {"HassGetCurrentTime", "HassGetCurrentDate", "HassGetWeather", "HassTimerStatus"};
  for (Intent& i : intents) {
    const bool sensors_of_a_place = i.name == "HassGetState" && i.slots.value("domain", "") == "sensor" &&
                                    !i.slots.contains("name") && !i.slots.contains("state");
    if (!kAsking.count(i.name) && !sensors_of_a_place) continue;
    i = Intent{"HassClimateGetTemperature", {{"area", area}}, {}};
    return;
  }
}

void short_request_said(std::vector<Intent>& intents, const std::vector<std::string>& said) {
  struct Short {
    std::vector<std::string> words;
    const char* intent;
    int volume_step;  // for HassSetVolume
  };
  static const std::vector<Short> kShort = {
      {{"never", "mind"}, "HassNevermind", 0}, {{"nevermind"}, "HassNevermind", 0}, {{"forget", "it"}, "HassNevermind", 0},
      {{"forget", "that"}, "HassNevermind", 0}, {{"cancel"}, "HassNevermind", 0}, {{"cancel", "that"}, "HassNevermind", 0},
      {{"ignore", "that"}, "HassNevermind", 0}, {{"abort"}, "HassNevermind", 0},
      {{"louder"}, "HassSetVolume", 10}, {{"quieter"}, "HassSetVolume", -10}, {{"softer"}, "HassSetVolume", -10},
      {{"keep", "it", "down"}, "HassSetVolume", -10}};
  for (const Short& s : kShort) {
    // The request's words once, somewhere in the turn, and nothing else but fillers.
    size_t at = said.size();
    for (size_t k = 0; k + s.words.size() <= said.size() && at == said.size(); ++k)
      if (std::equal(s.words.begin(), s.words.end(), said.begin() + static_cast<std::ptrdiff_t>(k))) at = k;
    if (at == said.size()) continue;
    std::vector<std::string> around(said.begin(), said.begin() + static_cast<std::ptrdiff_t>(at));
    around.insert(around.end(), said.begin() + static_cast<std::ptrdiff_t>(at + s.words.size()), said.end());
    if (!only_fillers(around)) continue;
    if (intents.size() == 1 && intents[0].name == s.intent) return;
    Intent i{s.intent, nlohmann::json::object(), {}};
    if (s.volume_step != 0) i.slots["volume_step"] = s.volume_step;
    intents = {i};
    return;
  }
}

}  // namespace hearth::nlu
