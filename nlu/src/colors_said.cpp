#include "colors_said.h"

#include <set>

#include "hearth/color_names.h"
#include "hearth/fold.h"
#include "names.h"
#include "numbers_said.h"

namespace hearth::nlu {
namespace {

// Words that say a brightness level: numbers and the named levels.
bool says_level(const std::string& w) {
  static const std::set<std::string> words = {"half", "quarter", "full", "max", "maximum", "min", "minimum", "percent",
                                              "bright", "brightest", "dimmest", "lowest", "highest", "off"};
  return (!w.empty() && w[0] >= '0' && w[0] <= '9') || is_number_word(w) || words.count(w) > 0;
}

// Whether the number or fraction at said[k] is a duration ("a half hour", "half an hour", "20
// minutes"), not a level.
bool counts_time(const std::vector<std::string>& said, size_t k) {
  static const std::set<std::string> units = {"hour", "hours", "minute", "minutes", "second", "seconds"};
  if (k + 1 < said.size() && units.count(said[k + 1])) return true;
  return k + 2 < said.size() && (said[k + 1] == "an" || said[k + 1] == "a") && units.count(said[k + 2]);
}

// Words that say a change of brightness.
bool says_step(const std::string& w) {
  static const std::set<std::string> words = {
      "brighter", "brighten", "dimmer", "dim", "darker", "lighter", "up", "down", "raise", "lower", "increase",
      "decrease", "bump", "boost", "reduce", "more", "less", "turn", "bit", "little", "notch"};
  return words.count(w) > 0;
}

}  // namespace

std::vector<std::string> colors_said(const std::vector<std::string>& said) {
  std::vector<std::string> found;
  for (const auto& c : color_names())
    if (says(said, std::string(c.name))) found.push_back(fold(std::string(c.name)));
  std::vector<std::string> out;
  for (const auto& c : found) {
    bool inside = false;
    for (const auto& d : found) inside = inside || (d != c && says(words_of(d), c));
    if (!inside) out.push_back(c);
  }
  return out;
}

namespace {

// Whether the intent acts on lights only: its domain is light, or every device of its name is one.
bool lights_only(const Intent& i, const Home& home) {
  if (i.slots.value("domain", "") == "light") return true;
  auto n = i.slots.find("name");
  if (n == i.slots.end() || !n->is_string() || *n == "all") return false;
  const std::string key = name_key(n->get<std::string>());
  bool any = false;
  for (const Device& d : home.devices)
    if (name_matches(d, key)) {
      if (d.domain != "light") return false;
      any = true;
    }
  return any;
}

bool color_of(const Intent& i) { return i.slots.contains("color"); }

}  // namespace

void color_said_for_brightness(std::vector<Intent>& intents, const std::vector<std::string>& said, const Home& home) {
  const std::vector<std::string> colors = colors_said(said);
  if (colors.size() != 1) return;
  Intent* light = nullptr;
  int lights = 0;
  for (Intent& i : intents) {
    if (auto c = i.slots.find("color"); c != i.slots.end() && c->is_string() && fold(c->get<std::string>()) == colors[0])
      return;  // carried already
    if (i.name != "HassLightSet" || i.slots.contains("color") || i.slots.contains("temperature")) continue;
    ++lights;
    light = &i;
  }
  if (lights == 0) {
    Intent* on = nullptr;
    int ons = 0;
    for (Intent& i : intents)
      if (i.name == "HassTurnOn" && lights_only(i, home)) {
        ++ons;
        on = &i;
      }
    if (ons == 1) {
      on->name = "HassLightSet";
      on->slots["color"] = colors[0];
    }
    return;
  }
  if (lights != 1) return;
  bool level = false, step = false;
  for (size_t k = 0; k < said.size(); ++k) {
    level = level || (says_level(said[k]) && !counts_time(said, k));
    step = step || says_step(said[k]);
  }
  if (light->slots.contains("brightness") && !level) {
    light->slots.erase("brightness");
  } else if (light->slots.contains("brightness_step") && !step) {
    light->slots.erase("brightness_step");
  } else {
    return;
  }
  light->slots["color"] = colors[0];
}

namespace {

// Whites named by their warmth, and their colour temperature (as the corpus writes them).
const std::vector<std::pair<std::string, int>>& white_names() {
  static const std::vector<std::pair<std::string, int>> m = {
      {"warm white", 2700},  {"soft white", 3000}, {"neutral white", 4000}, {"cool white", 6500},
      {"cold white", 6500},  {"candle light", 2200}, {"candlelight", 2200}, {"daylight", 5500},
      {"warm", 2700},        {"neutral", 4000},     {"cool", 6500}};
  return m;
}

}  // namespace

void white_said(std::vector<Intent>& intents, const std::vector<std::string>& said) {
  const std::vector<std::string> colors = colors_said(said);
  // The white said, when exactly one was (a word inside a longer white said is that one's, and
  // "warm" in the colour "warm yellow" is the colour's).
  std::string white;
  int kelvin = 0;
  for (const auto& [name, k] : white_names())
    if (says(said, name)) {
      bool inside = false;
      for (const auto& [longer, unused] : white_names())
        inside = inside || (longer != name && says(words_of(longer), name) && says(said, longer));
      for (const auto& c : colors) inside = inside || (c != name && says(words_of(c), name) && !says(words_of(name), c));
      if (inside) continue;
      if (!white.empty()) return;
      white = name;
      kelvin = k;
    }
  // A colour said that is not a white said: "warm yellow" is a colour, "cold white" a white.
  std::vector<std::string> hues;
  for (const auto& c : colors)
    if (white.empty() || !says(words_of(white), c)) hues.push_back(c);
  Intent* light = nullptr;
  int lights = 0;
  for (Intent& i : intents)
    if (i.name == "HassLightSet") {
      ++lights;
      light = &i;
    }
  if (lights != 1) return;
  auto color = light->slots.find("color");
  auto temperature = light->slots.find("temperature");
  if (!white.empty() && hues.empty() && color != light->slots.end() && color->is_string() &&
      says(words_of(white), fold(color->get<std::string>()))) {
    // "cold white" read as the colour white.
    light->slots.erase("color");
    light->slots["temperature"] = kelvin;
  } else if (white.empty() && hues.size() == 1 && temperature != light->slots.end() && !color_of(*light)) {
    // "warm yellow" read as a warm white: the colour said.
    light->slots.erase("temperature");
    light->slots["color"] = hues[0];
  } else if (!white.empty() && hues.empty() && color == light->slots.end() && temperature == light->slots.end() &&
             light->slots.contains("brightness_step")) {
    // "make the corner light warm" read as dimming it.
    bool step = false;
    for (const auto& w : said) step = step || says_step(w);
    if (step) return;
    light->slots.erase("brightness_step");
    light->slots["temperature"] = kelvin;
  }
}

}  // namespace hearth::nlu
