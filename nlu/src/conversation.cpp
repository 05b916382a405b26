// A conversation turn: follow-ups, clarifications, confirmations, confidence, replies.
#include "hearth/nlu/conversation.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <set>

#include "hearth/nlu/contract.h"
#include "hearth/nlu/messages.h"
#include "hearth/nlu/prompt.h"
#include "names.h"
#include "turn_words.h"

namespace hearth::nlu {

namespace {

constexpr size_t kMaxUtteranceBytes = 1000;

std::string str(const Intent& i, const char* key) {
  auto it = i.slots.find(key);
  return it != i.slots.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<double> num(const Intent& i, const char* key) {
  auto it = i.slots.find(key);
  if (it == i.slots.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

std::string fmt_num(double v) {
  char buf[32];
  if (v == std::floor(v)) std::snprintf(buf, sizeof buf, "%.0f", v);
  else std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::chrono::milliseconds duration_of(const Intent& i) {
  const double ms = (num(i, "hours").value_or(0) * 3600 + num(i, "minutes").value_or(0) * 60 + num(i, "seconds").value_or(0)) * 1000;
  return std::chrono::milliseconds(static_cast<long long>(std::max(0.0, ms)));
}

std::string domain_of(const Intent& i, const Home& home) {
  std::string d = str(i, "domain");
  if (!d.empty() || i.targets.empty()) return d;
  if (const Device* dev = home.find_device(i.targets[0])) return dev->domain;
  return d;
}

bool yes(const std::string& t) {
  // English, and the answers the German replies invite ("ja" is what their button says).
  static const std::set<std::string> words = {"yes", "yeah", "yep", "sure", "do it", "confirm", "please do", "ok", "okay",
                                              "yes please", "go ahead", "correct", "absolutely", "yes do it",
                                              "ja", "ja bitte", "mach das", "mach", "genau", "klar"};
  return words.count(t) > 0;
}
bool no(const std::string& t) {
  static const std::set<std::string> words = {"no", "nope", "don't", "do not", "cancel", "stop", "no thanks", "never mind",
                                              "nevermind", "no don't", "leave it",
                                              "nein", "nein danke", "lieber nicht", "abbrechen"};
  return words.count(t) > 0;
}

// Unlocking, and opening doors, garage doors and gates, let people in.
bool sensitive(const Intent& i, const Home& home) {
  for (const auto& id : i.targets) {
    const Device* d = home.find_device(id);
    if (!d) continue;
    if (i.name == "HassTurnOff" && d->domain == "lock") return true;
    const bool opens = i.name == "HassTurnOn" || (i.name == "HassSetPosition" && num(i, "position").value_or(0) > 0) ||
                       i.name == "HassToggle";
    if (opens && d->domain == "cover" && (d->device_class == "door" || d->device_class == "garage" || d->device_class == "gate"))
      return true;
  }
  return false;
}

std::string action_reply(const Intent& i, const Home& home, const Messages& m) {
  const std::string what = describe_targets(i.targets, home, m);
  const std::string dom = domain_of(i, home);
  const std::string& n = i.name;
  auto say = [&](Msg msg, Messages::Args args = {}) {
    args.emplace_back("what", what);
    return m.say(msg, args);
  };
  auto percent = [&](const char* key) { return fmt_num(num(i, key).value_or(0)); };
  if (n == "HassTurnOn" || n == "HassTurnOff") {
    const bool on = n == "HassTurnOn";
    if (dom == "lock") return say(on ? Msg::kLock : Msg::kUnlock);
    if (dom == "cover" || dom == "valve") return say(on ? Msg::kOpen : Msg::kClose);
    if (dom == "scene") return say(Msg::kActivateScene);
    if (dom == "script") return say(Msg::kRunScript);
    return say(on ? Msg::kTurnOn : Msg::kTurnOff);
  }
  if (n == "HassToggle") return say(Msg::kToggle);
  if (n == "HassLightSet") {
    if (num(i, "brightness")) return say(Msg::kSetPercent, {{"n", percent("brightness")}});
    if (auto s = num(i, "brightness_step")) return say(*s > 0 ? Msg::kBrighten : Msg::kDim);
    if (!str(i, "color").empty()) return say(Msg::kSetColor, {{"color", m.color(str(i, "color"))}});
    if (num(i, "temperature")) return say(Msg::kSetColorTemp, {{"n", percent("temperature")}});
    return say(Msg::kLightWhat);
  }
  if (n == "HassClimateSetTemperature") {
    if (num(i, "temperature")) return say(Msg::kSetTemperature, {{"n", percent("temperature")}});
    if (auto s = num(i, "temperature_step")) return m.say(*s > 0 ? Msg::kWarmer : Msg::kCooler);
    return m.say(Msg::kWhichTemperature);
  }
  if (n == "HassClimateGetTemperature" || n == "HassGetState") return say(Msg::kChecking);
  if (n == "HassSetPosition") return say(Msg::kSetPercent, {{"n", percent("position")}});
  if (n == "HassFanSetSpeed") return say(Msg::kSetPercent, {{"n", percent("percentage")}});
  if (n == "HassMediaPause") return say(Msg::kPauseMedia);
  if (n == "HassMediaUnpause") return say(Msg::kResumeMedia);
  if (n == "HassMediaNext") return say(Msg::kNextTrack);
  if (n == "HassMediaPrevious") return say(Msg::kPreviousTrack);
  if (n == "HassSetVolume") {
    if (num(i, "volume_level")) return say(Msg::kSetVolume, {{"n", percent("volume_level")}});
    return say(num(i, "volume_step").value_or(0) > 0 ? Msg::kVolumeUp : Msg::kVolumeDown);
  }
  if (n == "HassMediaSearchAndPlay") return say(Msg::kPlay, {{"query", str(i, "search_query")}});
  if (n == "HassVacuumStart") return say(Msg::kVacuumStart);
  if (n == "HassVacuumReturnToBase") return say(Msg::kVacuumDock);
  const std::string timer = str(i, "name").empty() ? m.say(Msg::kTimerLabel) : m.say(Msg::kTimerLabelNamed, {{"name", str(i, "name")}});
  const std::chrono::milliseconds d = duration_of(i);
  const std::string dur = d.count() > 0 ? m.duration(d) : m.say(Msg::kSomeTime);
  if (n == "HassStartTimer") {
    if (d.count() <= 0) return m.say(Msg::kTimerHowLong);
    return m.say(Msg::kTimerSet, {{"timer", timer}, {"duration", dur}});
  }
  if (n == "HassCancelTimer") return m.say(Msg::kTimerCancelling, {{"timer", timer}});
  if (n == "HassIncreaseTimer") return m.say(Msg::kTimerAdding, {{"duration", dur}, {"timer", timer}});
  if (n == "HassDecreaseTimer") return m.say(Msg::kTimerTakingOff, {{"duration", dur}, {"timer", timer}});
  if (n == "HassPauseTimer") return m.say(Msg::kTimerPausing, {{"timer", timer}});
  if (n == "HassUnpauseTimer") return m.say(Msg::kTimerResuming, {{"timer", timer}});
  if (n == "HassTimerStatus") return m.say(Msg::kTimerChecking, {{"timer", timer}});
  if (n == "HassCancelAllTimers") return m.say(Msg::kTimersCancelling);
  if (n == "HassGetCurrentTime" || n == "HassGetCurrentDate") {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    localtime_r(&t, &tm);
    return n == "HassGetCurrentTime" ? m.time_of_day(tm) : m.date(tm);
  }
  if (n == "HassGetWeather") return m.say(Msg::kNoWeather);
  if (n == "HassNevermind") return m.say(Msg::kOk);
  const std::string list = str(i, "name").empty() ? m.say(Msg::kShoppingList) : m.say(Msg::kNamedList, {{"name", str(i, "name")}});
  if (n == "HassListAddItem") return m.say(Msg::kListAdded, {{"item", str(i, "item")}, {"list", list}});
  if (n == "HassListCompleteItem") return m.say(Msg::kListChecked, {{"item", str(i, "item")}, {"list", list}});
  return m.say(Msg::kOk);
}

// Whether text is something a person typed or a recogniser wrote: valid UTF-8, no control
// characters, and mostly Latin letters (replies and the model are English so far).
enum class TextCheck { kOk, kUnreadable, kOtherScript };
TextCheck check_text(const std::string& s) {
  size_t ascii_letters = 0, other = 0;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return TextCheck::kUnreadable;
      if (c == 0x7f) return TextCheck::kUnreadable;
      if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ++ascii_letters;
      ++i;
      continue;
    }
    const int len = c >= 0xf0 && c < 0xf8 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
    if (len == 0 || c >= 0xf8 || i + len > s.size()) return TextCheck::kUnreadable;
    for (int k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return TextCheck::kUnreadable;
    ++other;
    i += static_cast<size_t>(len);
  }
  return other * 4 > ascii_letters ? TextCheck::kOtherScript : TextCheck::kOk;
}

// The previous turn as the prompt shows it: with the domain the resolution found.
std::vector<Intent> as_prev(const std::vector<Intent>& intents, const Home& home) {
  std::vector<Intent> out;
  for (const Intent& i : intents) {
    Intent p = i;
    const std::string dom = domain_of(i, home);
    const IntentSpec* spec = find_intent(i.name);
    bool has_domain_slot = false;
    if (spec)
      for (const auto& s : spec->slots) has_domain_slot |= s.key == "domain";
    if (!dom.empty() && has_domain_slot && !p.slots.contains("domain")) p.slots["domain"] = dom;
    p.targets.clear();
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

std::string chat_reply(const std::string& topic, const Messages& m) {
  if (topic == "greeting") return m.say(Msg::kGreeting);
  if (topic == "thanks") return m.say(Msg::kThanks);
  if (topic == "goodbye") return m.say(Msg::kGoodbye);
  if (topic == "help") return m.say(Msg::kHelp);
  if (topic == "identity") return m.say(Msg::kIdentity);
  return m.say(Msg::kUnsupported);
}

std::string reply_for(const std::vector<Intent>& intents, const Home& home, const Messages& m) {
  std::string out;
  for (const Intent& i : intents) out += (out.empty() ? "" : " ") + action_reply(i, home, m);
  return out;
}

Conversation::Conversation(IntentParser& parser, ConversationOptions options)
    : parser_(parser), options_(options), messages_(&Messages::for_language(options_.language)) {}

void Conversation::reset() {
  last_.clear();
  awaiting_yes_.clear();
  awaiting_cloud_.clear();
  candidates_.clear();
}

void Conversation::set_language(const std::string& code) {
  options_.language = code;
  messages_ = &Messages::for_language(code);
}

std::vector<std::string> Conversation::picked_by_rule(const std::string& norm) const {
  static const std::set<std::string> every = {"both", "all", "both of them", "all of them", "all of those", "both please",
                                              "all please", "the both", "each", "every one", "all three", "all the lights"};
  if (every.count(norm)) return candidates_;
  // A new request ("turn off the kitchen lights") is not an answer, even when it names a place.
  if (new_request(norm)) return {};
  if (std::count(norm.begin(), norm.end(), ' ') >= 6) return {};
  const Home& home = parser_.home();
  const std::string said = " " + norm + " ";
  // The name or one of its aliases is said as a phrase.
  auto mentioned = [&](const std::string& name, const std::vector<std::string>& aliases) {
    auto one = [&](const std::string& phrase) {
      const std::string f = fold(phrase);
      return !f.empty() && said.find(" " + f + " ") != std::string::npos;
    };
    return one(name) || std::any_of(aliases.begin(), aliases.end(), one);
  };
  std::vector<std::string> by_area, by_name;
  for (const auto& id : candidates_) {
    const Device* d = home.find_device(id);
    if (!d) continue;
    const Area* a = d->area.empty() ? nullptr : home.find_area(d->area);
    if (a && mentioned(a->name, a->aliases)) by_area.push_back(id);
    if (mentioned(d->name, d->aliases)) by_name.push_back(id);
  }
  // A place or a name that only some of them have; the rest is the model's to read.
  if (!by_area.empty() && by_area.size() < candidates_.size()) return by_area;
  if (!by_name.empty() && by_name.size() < candidates_.size()) return by_name;
  return {};
}

Turn Conversation::handle(const std::string& text, const std::string& speaker_area, Clock::time_point now) {
  Turn turn;
  turn.text = text;
  const std::string norm = normalize(text);
  const bool within = now - last_at_ <= options_.session_window;
  const bool fresh = !last_.empty() && within;
  if (!fresh) last_.clear();
  // Answers to a question hearth asked: go ahead with a sensitive action, or ask the cloud.
  if (!awaiting_yes_.empty() || !awaiting_cloud_.empty()) {
    std::vector<Intent> pending = std::move(awaiting_yes_);
    std::string cloud_text = std::move(awaiting_cloud_);
    awaiting_yes_.clear();
    awaiting_cloud_.clear();
    if (within && (yes(norm) || no(norm))) {
      turn.source = "rule";
      turn.confidence = 1.0;
      if (no(norm)) {
        turn.reply = messages_->say(Msg::kWontDoIt);
        return turn;
      }
      if (!cloud_text.empty()) {
        ask_cloud(turn, cloud_text, speaker_area, now);
        return turn;
      }
      turn.intents = pending;
      turn.reply = reply_for(pending, parser_.home(), *messages_);
      turn.act = true;
      last_ = as_prev(pending, parser_.home());
      last_at_ = now;
      return turn;
    }
  }
  if (norm.empty()) {
    turn.reply = messages_->say(Msg::kNothingHeard);
    return turn;
  }
  // An answer to "Which desk lamp: ...?" (the question's intent is last_) that settles it by a
  // place or a name; a new request instead is read on its own, not as an answer.
  if (!candidates_.empty()) {
    const std::vector<std::string> picked = last_.empty() ? std::vector<std::string>{} : picked_by_rule(norm);
    candidates_.clear();
    if (!picked.empty()) {
      Intent pending = last_.front();
      pending.targets = picked;
      turn.source = "rule";
      turn.confidence = 1.0;
      act_on_resolved(turn, {pending}, "", now);
      return turn;
    }
    if (new_request(norm)) last_.clear();
  }
  if (text.size() > kMaxUtteranceBytes) {
    turn.reply = messages_->say(Msg::kTooLong);
    return turn;
  }
  switch (check_text(text)) {
    case TextCheck::kUnreadable:
      turn.reply = messages_->say(Msg::kUnreadable);
      return turn;
    case TextCheck::kOtherScript:
      turn.reply = messages_->say(Msg::kOtherLanguage);
      return turn;
    case TextCheck::kOk:
      break;
  }
  auto u = parser_.understand(text, last_);
  turn.source = "local";
  if (u) {
    turn.confidence = u->confidence;
    turn.source = u->source;
    turn.latency_ms = u->latency_ms;
  }
  if (u && u->other_language) {
    turn.reply = messages_->say(Msg::kOtherLanguage);
    return turn;
  }
  if (!u && u.error().code == ErrorCode::kInvalidInput) {
    turn.reply = messages_->say(Msg::kTooLong);
    return turn;
  }
  if (!u || u->confidence < options_.confidence_threshold) {
    if (options_.cloud && options_.cloud_mode == CloudMode::kAuto) {
      ask_cloud(turn, text, speaker_area, now);
    } else if (options_.cloud && options_.cloud_mode == CloudMode::kAsk) {
      awaiting_cloud_ = text;
      last_at_ = now;
      turn.reply = messages_->say(Msg::kAskCloud);
      turn.needs_confirmation = true;
      turn.choices = {messages_->say(Msg::kYes), messages_->say(Msg::kNo)};
    } else {
      turn.reply = messages_->say(Msg::kNotSure);
    }
    return turn;
  }
  act_on(turn, u->intents, speaker_area, now);
  return turn;
}

void Conversation::ask_cloud(Turn& turn, const std::string& text, const std::string& speaker_area, Clock::time_point now) {
  turn.left_device = true;
  turn.source = "cloud";
  auto r = options_.cloud->understand(text, parser_.home(), last_);
  if (!r) {
    const std::string& m = r.error().message;
    const bool offline = m.rfind("timeout", 0) == 0 || m.rfind("unreachable", 0) == 0;
    turn.reply = messages_->say(offline ? Msg::kCloudOffline : Msg::kCloudMismatch);
    return;
  }
  turn.confidence = 1.0;
  if (r->intents.empty()) {
    turn.reply = r->reply.empty() ? chat_reply("unsupported", *messages_) : r->reply;
    return;
  }
  act_on(turn, std::move(r->intents), speaker_area, now);
}

void Conversation::act_on(Turn& turn, std::vector<Intent> intents, const std::string& speaker_area, Clock::time_point now) {
  const Home& home = parser_.home();
  std::string chat;
  std::vector<Intent> actions;
  for (Intent& i : intents) {
    if (i.is_chat()) {
      chat = chat_reply(i.slots.value("topic", "unsupported"), *messages_);
      continue;
    }
    Resolution r = resolve(i, home, speaker_area, *messages_);
    if (r.kind != Resolution::Kind::kResolved) {
      turn.reply = r.question;
      turn.clarification = true;
      turn.choices = r.choices;
      // The unresolved intent is what the answer completes.
      last_ = {i};
      last_at_ = now;
      candidates_ = r.candidates;  // empty unless the question chooses among devices
      return;
    }
    i.targets = std::move(r.targets);
    actions.push_back(std::move(i));
  }
  act_on_resolved(turn, std::move(actions), std::move(chat), now);
}

void Conversation::act_on_resolved(Turn& turn, std::vector<Intent> actions, std::string chat, Clock::time_point now) {
  const Home& home = parser_.home();
  if (actions.empty()) {
    turn.reply = chat.empty() ? chat_reply("unsupported", *messages_) : chat;
    return;
  }
  std::vector<Intent> risky;
  for (const Intent& i : actions)
    if (sensitive(i, home)) risky.push_back(i);
  turn.intents = actions;
  if (options_.confirm_sensitive && !risky.empty()) {
    awaiting_yes_ = actions;
    last_at_ = now;
    std::string what = reply_for(risky, home, *messages_);
    if (!what.empty() && what.back() == '.') what.pop_back();
    if (!what.empty()) what[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(what[0])));
    turn.reply = messages_->say(Msg::kConfirm, {{"action", what}});
    turn.needs_confirmation = true;
    turn.choices = {messages_->say(Msg::kYes), messages_->say(Msg::kNo)};
    return;
  }
  turn.reply = reply_for(actions, home, *messages_);
  turn.act = true;
  last_ = as_prev(actions, home);
  last_at_ = now;
}

}  // namespace hearth::nlu
