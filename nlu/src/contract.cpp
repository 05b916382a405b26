// The intent table, and the output grammar generated from it.
#include "hearth/nlu/contract.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>

#include "hearth/nlu/home.h"

namespace hearth::nlu {

const std::vector<std::string>& slot_order() {
  static const std::vector<std::string> order = {
      "name", "area", "floor", "domain", "device_class", "state",
      "brightness", "brightness_step", "color", "temperature", "temperature_step",
      "position", "percentage", "volume_level", "volume_step",
      "search_query", "media_class", "hours", "minutes", "seconds", "item", "topic"};
  return order;
}

const std::vector<std::string>& states() {
  static const std::vector<std::string> s = {"on", "off", "open", "closed", "locked", "unlocked", "home", "away", "playing", "paused"};
  return s;
}

namespace {

SlotSpec S(const char* key, SlotKind kind, double lo = 0, double hi = 0) { return SlotSpec{key, kind, lo, hi, {}}; }
SlotSpec E(const char* key, std::vector<std::string> values) { return SlotSpec{key, SlotKind::kEnum, 0, 0, std::move(values)}; }

std::vector<SlotSpec> targets() {
  return {S("name", SlotKind::kDeviceName), S("area", SlotKind::kArea), S("floor", SlotKind::kFloor),
          S("domain", SlotKind::kDomain), S("device_class", SlotKind::kDeviceClass)};
}
std::vector<SlotSpec> place_and_name() { return {S("name", SlotKind::kDeviceName), S("area", SlotKind::kArea)}; }
std::vector<SlotSpec> duration() {
  return {S("hours", SlotKind::kInteger, 0, 99), S("minutes", SlotKind::kInteger, 0, 999), S("seconds", SlotKind::kInteger, 0, 9999)};
}
std::vector<SlotSpec> operator+(std::vector<SlotSpec> a, const std::vector<SlotSpec>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::vector<IntentSpec> build() {
  std::vector<IntentSpec> v;
  auto add = [&](const char* name, std::vector<SlotSpec> slots, bool devices = false, std::vector<std::string> domains = {}) {
    const auto& order = slot_order();
    std::stable_sort(slots.begin(), slots.end(), [&](const SlotSpec& a, const SlotSpec& b) {
      return std::find(order.begin(), order.end(), a.key) < std::find(order.begin(), order.end(), b.key);
    });
    v.push_back(IntentSpec{name, std::move(slots), devices, std::move(domains)});
  };
  add("HassTurnOn", targets(), true);
  add("HassTurnOff", targets(), true);
  add("HassToggle", targets(), true);
  add("HassLightSet", targets() + std::vector<SlotSpec>{S("brightness", SlotKind::kInteger, 0, 100),
                                                        S("brightness_step", SlotKind::kInteger, -100, 100),
                                                        S("color", SlotKind::kColor),
                                                        S("temperature", SlotKind::kInteger, 1000, 10000)},
      true, {"light"});
  add("HassClimateSetTemperature", targets() + std::vector<SlotSpec>{S("temperature", SlotKind::kNumber, 0, 100),
                                                                     S("temperature_step", SlotKind::kInteger, -10, 10)},
      true, {"climate"});
  add("HassClimateGetTemperature", {S("name", SlotKind::kDeviceName), S("area", SlotKind::kArea), S("floor", SlotKind::kFloor)},
      true, {"climate", "sensor"});
  add("HassGetState", targets() + std::vector<SlotSpec>{S("state", SlotKind::kState)}, true);
  add("HassSetPosition", targets() + std::vector<SlotSpec>{S("position", SlotKind::kInteger, 0, 100)}, true, {"cover", "valve"});
  add("HassFanSetSpeed", targets() + std::vector<SlotSpec>{S("percentage", SlotKind::kInteger, 0, 100)}, true, {"fan"});
  for (const char* m : {"HassMediaPause", "HassMediaUnpause", "HassMediaNext", "HassMediaPrevious"})
    add(m, place_and_name(), true, {"media_player"});
  add("HassSetVolume", place_and_name() + std::vector<SlotSpec>{S("volume_level", SlotKind::kInteger, 0, 100),
                                                                S("volume_step", SlotKind::kInteger, -100, 100)},
      true, {"media_player"});
  add("HassMediaSearchAndPlay", place_and_name() + std::vector<SlotSpec>{
                                    S("search_query", SlotKind::kText),
                                    E("media_class", {"album", "app", "artist", "channel", "composer", "directory", "episode",
                                                      "game", "genre", "image", "movie", "music", "playlist", "podcast",
                                                      "season", "track", "tv_show", "url", "video"})},
      true, {"media_player"});
  add("HassVacuumStart", place_and_name() + std::vector<SlotSpec>{S("domain", SlotKind::kDomain)}, true, {"vacuum"});
  add("HassVacuumReturnToBase", place_and_name() + std::vector<SlotSpec>{S("domain", SlotKind::kDomain)}, true, {"vacuum"});
  add("HassStartTimer", std::vector<SlotSpec>{S("name", SlotKind::kText)} + duration());
  for (const char* t : {"HassCancelTimer", "HassIncreaseTimer", "HassDecreaseTimer", "HassPauseTimer", "HassUnpauseTimer",
                        "HassTimerStatus"})
    add(t, std::vector<SlotSpec>{S("name", SlotKind::kText)} + duration());
  add("HassCancelAllTimers", {});
  add("HassGetCurrentTime", {});
  add("HassGetCurrentDate", {});
  add("HassGetWeather", {});
  add("HassNevermind", {});
  add("HassListAddItem", {S("name", SlotKind::kListName), S("item", SlotKind::kText)});
  add("HassListCompleteItem", {S("name", SlotKind::kListName), S("item", SlotKind::kText)});
  add("chat", {E("topic", {"greeting", "thanks", "goodbye", "help", "identity", "unsupported"})});
  return v;
}

std::string literal(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string alternatives(const std::vector<std::string>& values) {
  std::string out = "(";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? " | " : " ") + literal(values[i]);
  return out + " )";
}

// Whole numbers lo..hi (0 <= lo <= hi) as grammar alternatives of digit classes, without leading
// zeros: 0..100 is "100" | [1-9] [0-9] | [0-9]. `width` digits, leading zeros allowed inside.
void digit_patterns(uint64_t lo, uint64_t hi, int width, const std::string& prefix, std::vector<std::string>& out) {
  auto cls = [](uint64_t a, uint64_t b) {
    return a == b ? "\"" + std::to_string(a) + "\"" : "[" + std::to_string(a) + "-" + std::to_string(b) + "]";
  };
  if (width == 1) {
    out.push_back(prefix + cls(lo, hi));
    return;
  }
  uint64_t p = 1;
  for (int i = 1; i < width; ++i) p *= 10;
  const uint64_t a = lo / p, b = hi / p;
  std::string any;
  for (int i = 1; i < width; ++i) any += " [0-9]";
  if (lo % p == 0 && hi % p == p - 1) {  // whole blocks: [a-b] then any digits
    out.push_back(prefix + cls(a, b) + any);
    return;
  }
  if (a == b) return digit_patterns(lo % p, hi % p, width - 1, prefix + cls(a, a) + " ", out);
  digit_patterns(lo % p, p - 1, width - 1, prefix + cls(a, a) + " ", out);
  if (b - a > 1) out.push_back(prefix + cls(a + 1, b - 1) + any);
  digit_patterns(0, hi % p, width - 1, prefix + cls(b, b) + " ", out);
}

std::string range_rule(uint64_t lo, uint64_t hi) {
  std::vector<std::string> alts;
  uint64_t first = 0, last = 9;  // numbers of `width` digits
  for (int width = 1; first <= hi; ++width) {
    const uint64_t from = std::max(lo, first), to = std::min(hi, last);
    if (from <= to) digit_patterns(from, to, width, "", alts);
    first = last + 1;
    last = last * 10 + 9;
  }
  std::string rule;
  for (size_t i = 0; i < alts.size(); ++i) rule += (i ? " | " : "") + alts[i];
  return "( " + rule + " )";
}

// The rule name of the numbers a slot allows: its range (a sign where it goes below 0, and one
// decimal for kNumber). `rules` collects the definitions.
std::string number_rule(const SlotSpec& s, std::map<std::string, std::string>& rules) {
  const uint64_t top = static_cast<uint64_t>(std::max(std::fabs(s.min), std::fabs(s.max)));
  const uint64_t bottom = s.min > 0 ? static_cast<uint64_t>(s.min) : 0;
  const std::string name = std::string(s.kind == SlotKind::kNumber ? "dec" : "int") + (s.min < 0 ? "s" : "") +
                           std::to_string(bottom) + "to" + std::to_string(top);
  if (!rules.count(name))
    rules[name] = std::string(s.min < 0 ? "\"-\"? " : "") + range_rule(bottom, top) +
                  (s.kind == SlotKind::kNumber ? " ( \".\" [0-9] )?" : "");
  return name;
}

bool is_duration(const SlotSpec& s) { return s.key == "hours" || s.key == "minutes" || s.key == "seconds"; }

// Text values are written after a space (see encode_intents in intent.h).
std::string value_rule(const SlotSpec& s, std::map<std::string, std::string>& numbers, unsigned flags) {
  const std::string open = "\"\\\" \" ", close = " \"\\\"\"";
  if ((flags & kDurationsSaid) && is_duration(s)) return "@numbers";
  switch (s.kind) {
    case SlotKind::kDeviceName: return open + "@names" + close;
    case SlotKind::kArea: return open + "@areas" + close;
    case SlotKind::kFloor: return open + "@floors" + close;
    case SlotKind::kDomain: return open + alternatives(known_domains()) + close;
    case SlotKind::kDeviceClass: return open + alternatives(known_device_classes()) + close;
    case SlotKind::kState: return open + alternatives(states()) + close;
    case SlotKind::kEnum: return open + alternatives(s.values) + close;
    case SlotKind::kInteger:
    case SlotKind::kNumber: return number_rule(s, numbers);
    case SlotKind::kText: return open + "@said" + close;
    case SlotKind::kColor: return open + "@colors" + close;
    case SlotKind::kListName: return open + "@lists" + close;
  }
  return open + "@said" + close;
}

}  // namespace

const std::vector<IntentSpec>& intent_specs() {
  static const std::vector<IntentSpec> specs = build();
  return specs;
}

const IntentSpec* find_intent(const std::string& name) {
  for (const auto& s : intent_specs())
    if (s.name == name) return &s;
  return nullptr;
}

std::string output_grammar(unsigned without) {
  std::map<std::string, std::string> numbers;  // number rules by name, as slots use them
  // The embedded model answers after a space; a general chat model may not.
  std::string g = "root ::= \" \"? \"[\" ( intent ( \",\" intent )* )? \"]\"\n";
  g += "intent ::= \"{\\\"intent\\\":\\\"\" (";
  for (size_t i = 0; i < intent_specs().size(); ++i) g += std::string(i ? " |" : "") + " i" + std::to_string(i);
  g += " ) \"}\"\n";
  for (size_t i = 0; i < intent_specs().size(); ++i) {
    const IntentSpec& spec = intent_specs()[i];
    g += "i" + std::to_string(i) + " ::= " + literal(spec.name + "\"");
    for (const SlotSpec& s : spec.slots) {
      if (without & (1u << static_cast<unsigned>(s.kind))) continue;
      g += " ( " + literal(",\"" + s.key + "\":") + " " + value_rule(s, numbers, without) + " )?";
    }
    g += "\n";
  }
  // Numbers only within their slot's range, so an answer the range check would refuse cannot be
  // written ("temperature":5 for a colour temperature).
  for (const auto& [name, rule] : numbers) g += name + " ::= " + rule + "\n";
  return g;
}

}  // namespace hearth::nlu
