#include "hearth/nlu/heard.h"

#include "hearth/nlu/resolver.h"

namespace hearth::nlu {

namespace {

// How much sense a sentence makes in this home, worst first.
enum class Sense { kNotUnderstood, kNamesNothing, kChangesNothing, kMakesSense };

const char* why_not(Sense s) {
  switch (s) {
    case Sense::kNotUnderstood: return "not understood";
    case Sense::kNamesNothing: return "names nothing here";
    case Sense::kChangesNothing: return "changes nothing";
    case Sense::kMakesSense: return "";
  }
  return "";
}

// The states a switch request asks for: turning on a lamp, opening a cover (Home Assistant's
// HassTurnOn on a cover), locking a lock.
bool already(const std::string& intent, const std::string& state) {
  if (intent == "HassTurnOn") return state == "on" || state == "open" || state == "locked";
  if (intent == "HassTurnOff") return state == "off" || state == "closed" || state == "unlocked";
  return false;
}

Sense judge(const Understanding& u, const Home& home, const StateOf& state_of, const HeardOptions& o) {
  if (u.intents.empty() || u.other_language || u.confidence < o.min_confidence) return Sense::kNotUnderstood;
  bool changes = false;
  for (const auto& intent : u.intents) {
    const Resolution r = resolve(intent, home, o.speaker_area);
    if (r.kind == Resolution::Kind::kNoMatch) return Sense::kNamesNothing;
    if (r.kind != Resolution::Kind::kResolved || r.targets.empty() || !state_of) {
      changes = true;  // nothing known says it would not
      continue;
    }
    for (const auto& id : r.targets)
      if (!already(intent.name, state_of(id))) changes = true;
  }
  return changes ? Sense::kMakesSense : Sense::kChangesNothing;
}

}  // namespace

Result<bool> makes_sense(IntentParser& parser, const std::string& text, const StateOf& state_of, const HeardOptions& options) {
  auto u = parser.understand(text);
  if (!u) return Fail(u.error());
  return judge(*u, parser.home(), state_of, options) == Sense::kMakesSense;
}

Result<HeardChoice> choose_heard(IntentParser& parser, const std::vector<HeardText>& heard, const StateOf& state_of,
                                 const HeardOptions& options) {
  HeardChoice choice;
  if (heard.empty()) return choice;
  auto best = parser.understand(heard.front().text);
  if (!best) return Fail(best.error());
  const Sense best_sense = judge(*best, parser.home(), state_of, options);
  choice.understanding = *best;
  if (best_sense == Sense::kMakesSense) return choice;
  // The best is in doubt: the alternatives that fit almost as well, in order, until one makes
  // sense. Failing that, the first that makes the most sense (the best on a tie).
  Sense chosen = best_sense;
  for (size_t i = 1; i < heard.size() && chosen != Sense::kMakesSense; ++i) {
    if (heard[i].below > options.max_below) break;
    auto u = parser.understand(heard[i].text);
    if (!u) continue;  // an alternative the parser cannot take is no alternative
    const Sense s = judge(*u, parser.home(), state_of, options);
    if (s > chosen) {
      chosen = s;
      choice.index = i;
      choice.understanding = std::move(*u);
    }
  }
  if (choice.index != 0) choice.why = why_not(best_sense);
  return choice;
}

}  // namespace hearth::nlu
