#include "numbers_said.h"

#include <array>
#include <cctype>
#include <map>
#include <set>

#include "actions_said.h"
#include "names.h"

namespace hearth::nlu {

namespace {

// Values of the words below a hundred, and which of them are tens ("twenty", not "twelve").
const std::map<std::string, int>& small_numbers() {
  static const std::map<std::string, int> m = {
      {"zero", 0},      {"one", 1},       {"two", 2},        {"three", 3},     {"four", 4},      {"five", 5},
      {"six", 6},       {"seven", 7},     {"eight", 8},      {"nine", 9},      {"ten", 10},      {"eleven", 11},
      {"twelve", 12},   {"thirteen", 13}, {"fourteen", 14},  {"fifteen", 15},  {"sixteen", 16},  {"seventeen", 17},
      {"eighteen", 18}, {"nineteen", 19}, {"twenty", 20},    {"thirty", 30},   {"forty", 40},    {"fifty", 50},
      {"sixty", 60},    {"seventy", 70},  {"eighty", 80},    {"ninety", 90}};
  return m;
}

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// Amounts that are not one whole number as said.
bool vague(const std::string& w) {
  static const std::set<std::string> words = {"half", "halves", "quarter", "quarters", "couple", "dozen", "few", "several"};
  return words.count(w) > 0;
}

// "a" and "an" are a number before a unit or a fraction: "a minute", "an hour and a half".
bool a_means_one_before(const std::string& next) {
  static const std::set<std::string> words = {"second", "seconds", "minute", "minutes", "hour", "hours",
                                              "half", "quarter", "couple", "dozen", "few", "hundred", "thousand"};
  return words.count(next) > 0;
}

// Digits inside one word: "37", "20%", ":05"; a part of a decimal ("1.5") is marked not whole and
// makes the request not exact.
void digits_in(const std::string& w, std::vector<std::pair<long long, bool>>& out, bool& exact) {
  size_t i = 0;
  while (i < w.size()) {
    if (!is_digit(w[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < w.size() && is_digit(w[j])) ++j;
    const bool whole = !((i > 0 && (w[i - 1] == '.' || w[i - 1] == ',')) || (j < w.size() && (w[j] == '.' || w[j] == ',')));
    exact = exact && whole;
    // Leading zeros are dropped (":05" is 5), as a JSON number is written; 18 digits at most.
    const size_t nz = w.find_first_not_of('0', i);
    const std::string d = nz != std::string::npos && nz < j ? w.substr(nz, j - nz) : "0";
    if (d.size() <= 18) out.push_back({std::stoll(d), whole});
    else exact = false;
    i = j;
  }
}

}  // namespace

bool is_number_word(const std::string& word) {
  return small_numbers().count(word) > 0 || word == "hundred" || word == "thousand";
}

namespace {

// "twenty-five", "five-minute": the parts of a hyphenated word are words here.
std::vector<std::string> split_hyphens(const std::vector<std::string>& said) {
  std::vector<std::string> words;
  for (const auto& w : said) {
    size_t start = 0;
    for (size_t dash = w.find('-'); dash != std::string::npos; dash = w.find('-', start)) {
      if (dash > start) words.push_back(w.substr(start, dash - start));
      start = dash + 1;
    }
    if (start < w.size()) words.push_back(w.substr(start));
    // "seven%": the number and the sign.
    if (words.size() > 0 && words.back().size() > 1 && words.back().back() == '%') {
      words.back().pop_back();
      words.push_back("%");
    }
  }
  return words;
}

// One number read: its value and the index of the word after it.
struct Reading {
  long long value;
  size_t end;
  bool whole = true;  // false for a part of a decimal ("24" and "5" of "24.5")
};

// The numbers in `words` (hyphens split), and whether each quantity was a whole number.
std::vector<Reading> read_numbers(const std::vector<std::string>& words, bool& exact) {
  std::vector<Reading> out;
  exact = true;
  const auto& small = small_numbers();
  // The number being read: `total` holds completed thousands, `part` the rest; `last` is what
  // the previous word was, to know where one number ends and the next begins.
  enum class Last { kNone, kUnit, kTen, kTeen, kHundred, kThousand };
  long long total = 0, part = 0;
  Last last = Last::kNone;
  size_t end = 0;
  auto finish = [&] {
    if (last != Last::kNone) out.push_back({total + part, end, true});
    total = part = 0;
    last = Last::kNone;
  };
  for (size_t k = 0; k < words.size(); ++k) {
    const std::string& w = words[k];
    // A number word said twice in a row is a stutter ("thirty eight eight minutes").
    if (k > 0 && words[k - 1] == w && is_number_word(w)) continue;
    // "the one in the dining room", "that one", "one in the pool house": a pronoun, not a number.
    static const std::set<std::string> kPointing = {"the",  "that", "this",    "which", "each", "every",
                                                    "any",  "other", "another", "no",   "some", "last",
                                                    "first", "big",  "small",  "new",  "old"};
    static const std::set<std::string> kPlaced = {"in",   "on",   "at",   "by",        "near",       "from", "over",
                                                  "under", "next", "there", "here", "upstairs", "downstairs", "too"};
    if (w == "one" && ((k > 0 && kPointing.count(words[k - 1])) || (k + 1 < words.size() && kPlaced.count(words[k + 1])))) {
      finish();
      continue;
    }
    if (auto it = small.find(w); it != small.end()) {
      const int v = it->second;
      const bool ten = v >= 20, teen = v >= 10 && v < 20;
      // A unit continues a ten ("thirty seven") or a hundred ("one hundred five"); a ten or a
      // teen continues only a hundred or a thousand. Anything else starts a new number.
      const bool continues = (!ten && !teen && v > 0 && last == Last::kTen) ||
                             last == Last::kHundred || last == Last::kThousand;
      if (!continues) finish();
      part += v;
      last = ten ? Last::kTen : teen ? Last::kTeen : Last::kUnit;
      end = k + 1;
      continue;
    }
    if (w == "hundred" || w == "thousand") {
      // "a hundred", or "hundred" with no number before it: one hundred.
      if (w == "hundred" && last == Last::kHundred) finish();
      if (part == 0) part = 1;
      if (w == "hundred") {
        part *= 100;
        last = Last::kHundred;
      } else {
        total += part * 1000;
        part = 0;
        last = Last::kThousand;
      }
      end = k + 1;
      continue;
    }
    // "one hundred and five": "and" between a hundred and what follows it is inside the number.
    if (w == "and" && (last == Last::kHundred || last == Last::kThousand) && k + 1 < words.size() &&
        small.count(words[k + 1]) > 0)
      continue;
    finish();
    if (vague(w)) exact = false;
    // "a minute", "an hour and a half" leave the amount unsaid as digits; "a hundred" is read by
    // the next word as one hundred.
    if ((w == "a" || w == "an") && k + 1 < words.size() && a_means_one_before(words[k + 1]) &&
        words[k + 1] != "hundred" && words[k + 1] != "thousand")
      exact = false;
    std::vector<std::pair<long long, bool>> digits;
    digits_in(w, digits, exact);
    for (const auto& [d, whole] : digits) out.push_back({d, k + 1, whole});
  }
  finish();
  return out;
}

}  // namespace

SaidNumbers numbers_said(const std::vector<std::string>& said) {
  SaidNumbers out;
  for (const Reading& r : read_numbers(split_hyphens(said), out.exact)) out.values.push_back(r.value);
  return out;
}


void durations_said(std::vector<Intent>& intents, const std::vector<std::string>& said) {
  Intent* timer = only_timer(intents);
  if (!timer) return;
  const bool start = timer->name == "HassStartTimer";
  if (!start && timer->name != "HassIncreaseTimer" && timer->name != "HassDecreaseTimer") return;
  static const char* kSlots[] = {"hours", "minutes", "seconds"};
  bool has_duration = false;
  for (const char* key : kSlots) has_duration = has_duration || timer->slots.contains(key);
  if (!has_duration) return;
  static const std::map<std::string, int> units = {
      {"hour", 0},   {"hours", 0},   {"hr", 0},      {"hrs", 0},  {"minute", 1}, {"minutes", 1},
      {"min", 1},    {"mins", 1},    {"second", 2},  {"seconds", 2}, {"sec", 2},  {"secs", 2}};
  const std::vector<std::string> words = split_hyphens(said);
  // The timer's hours, minutes and seconds become these; units not given are dropped.
  auto set_durations = [&](const std::array<long long, 3>& hms, const std::array<bool, 3>& given) {
    for (int u = 0; u < 3; ++u) {
      if (given[u]) timer->slots[kSlots[u]] = hms[u];
      else timer->slots.erase(kSlots[u]);
    }
  };
  // A duration said as a fraction, and no other duration: "a half hour more on the timer" came
  // out as an hour and 30 minutes.
  static const std::vector<std::pair<std::string, std::array<long long, 3>>> kFractions = {
      {"an hour and a half", {1, 30, 0}}, {"one and a half hours", {1, 30, 0}}, {"half an hour", {0, 30, 0}},
      {"a half hour", {0, 30, 0}},        {"a quarter of an hour", {0, 15, 0}}, {"a quarter hour", {0, 15, 0}}};
  int units_said = 0;
  for (const auto& w : words) units_said += units.count(w) > 0;
  if (units_said == 1)
    for (const auto& [phrase, hms] : kFractions) {
      if (!says(words, phrase)) continue;
      set_durations(hms, {hms[0] != 0, hms[1] != 0, hms[2] != 0});
      return;
    }
  bool exact = true;
  long long value[3] = {0, 0, 0};
  bool seen[3] = {false, false, false};
  for (const Reading& r : read_numbers(words, exact)) {
    if (r.end >= words.size()) continue;
    auto unit = units.find(words[r.end]);
    if (unit == units.end()) continue;
    // "add 5 minutes to the 10 minute timer": a duration before "timer" names the timer being
    // changed, except when starting one ("a 10 minute timer").
    if (!start && r.end + 1 < words.size() && words[r.end + 1] == "timer") continue;
    // Two amounts of one unit: which one is meant is not for this rule to guess.
    if (seen[unit->second]) return;
    seen[unit->second] = true;
    value[unit->second] = r.value;
  }
  if (!exact || !(seen[0] || seen[1] || seen[2])) return;
  set_durations({value[0], value[1], value[2]}, {seen[0], seen[1], seen[2]});
}

void levels_said(std::vector<Intent>& intents, const std::vector<std::string>& said) {
  static const char* kLevels[] = {"brightness", "percentage", "volume_level", "position"};
  // Levels said by name, and the values they stand for (as the corpus writes them).
  static const std::map<std::string, std::vector<long long>> kNamed = {
      {"half", {50}},     {"halfway", {50}},  {"quarter", {25}},  {"quarters", {75}}, {"full", {100}},
      {"fully", {100}},   {"max", {100}},     {"maximum", {100}}, {"top", {100}},     {"highest", {100}},
      {"high", {100}},    {"medium", {66}},   {"low", {33}},      {"lowest", {1, 33}}, {"minimum", {1}},
      {"min", {1}},       {"open", {100}},    {"closed", {0}}};
  const std::vector<std::string> words = split_hyphens(said);
  bool exact = true;
  const std::vector<Reading> readings = read_numbers(words, exact);
  std::set<long long> numbers, named;
  for (const Reading& r : readings)
    if (r.whole) numbers.insert(r.value);
  for (const auto& w : words)
    if (auto it = kNamed.find(w); it != kNamed.end()) named.insert(it->second.begin(), it->second.end());
  // Every number some slot already holds: a number said is one slot's value.
  std::set<long long> used;
  for (const Intent& i : intents)
    for (auto it = i.slots.begin(); it != i.slots.end(); ++it)
      if (it->is_number_integer()) used.insert(it->get<long long>());
  // Numbers said with their unit: kelvin ("2700 kelvin", "4000k") and percent ("20%", "twenty per
  // cent"), that no slot holds.
  std::vector<long long> kelvin, percent;
  for (const Reading& r : readings) {
    if (!r.whole || used.count(r.value)) continue;
    const std::string& last = words[r.end - 1];
    const std::string next = r.end < words.size() ? words[r.end] : "";
    const bool k = next == "kelvin" || next == "k" || (is_digit(last[0]) && last.back() == 'k');
    const bool pct = next == "percent" || next == "%" || (next == "per" && r.end + 1 < words.size() && words[r.end + 1] == "cent");
    if (k && r.value >= 1000 && r.value <= 10000) kelvin.push_back(r.value);
    if (pct && r.value <= 100) percent.push_back(r.value);
  }
  // Words that say a white by its warmth: a colour temperature written may stand for them.
  static const std::set<std::string> kWhites = {"warm", "cool", "cold", "neutral", "daylight", "candlelight", "white",
                                                "soft", "kelvin", "k", "warmer", "cooler"};
  bool white_said = false;
  for (const auto& w : words) white_said = white_said || kWhites.count(w) > 0;
  // The light's level read as a colour temperature, or the other way round.
  for (Intent& i : intents) {
    if (i.name != "HassLightSet") continue;
    auto b = i.slots.find("brightness");
    if (b != i.slots.end() && b->is_number_integer() && kelvin.size() == 1 && !i.slots.contains("temperature") &&
        !numbers.count(b->get<long long>()) && !named.count(b->get<long long>())) {
      i.slots.erase("brightness");
      i.slots["temperature"] = kelvin[0];
      used.insert(kelvin[0]);
      kelvin.clear();
      continue;
    }
    auto t = i.slots.find("temperature");
    if (t != i.slots.end() && t->is_number_integer() && percent.size() == 1 && !white_said &&
        !i.slots.contains("brightness") && !numbers.count(t->get<long long>())) {
      i.slots.erase("temperature");
      i.slots["brightness"] = percent[0];
      used.insert(percent[0]);
      percent.clear();
    }
  }
  for (Intent& i : intents)
    for (const char* key : kLevels) {
      auto it = i.slots.find(key);
      if (it == i.slots.end() || !it->is_number_integer()) continue;
      const long long v = it->get<long long>();
      if (numbers.count(v) || named.count(v)) continue;
      std::vector<long long> free;
      for (long long n : numbers)
        if (!used.count(n) && n <= 100) free.push_back(n);
      if (free.size() != 1) continue;
      *it = free[0];
      used.insert(free[0]);
    }
}

}  // namespace hearth::nlu
