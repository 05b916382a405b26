#include "device_actions.h"

#include <cmath>

#include "hearth/devices/commands.h"
#include "hearth/nlu/conversation.h"

namespace hearth::app {

namespace {

using devices::format_number;

// The state in words people use for this kind of device, in words' language (the English
// catalog gives the words questions are compared with).
std::string state_words(const devices::Device& d, const std::string& unit, const nlu::Messages& words) {
  if (!d.available) return words.state("offline");
  const auto& s = d.state;
  const std::string st = s.value("state", std::string());
  if (d.domain == "sensor") {
    if (s.contains("value")) {
      const double v = s["value"].get<double>();
      const std::string u = s.value("unit", std::string());
      if (u == "°C" || u == "C") return spoken_temperature(v, unit, words);
      if (u == "°F" || u == "F") return spoken_temperature(devices::f_to_c(v), unit, words);
      if (u == "%") return words.say(nlu::Msg::kPercent, {{"n", format_number(v)}});
      return format_number(v) + (u.empty() ? "" : " " + u);
    }
    return words.state(st.empty() ? "unknown" : st);
  }
  if (d.domain == "binary_sensor") {
    const bool on = st == "on";
    if (st.empty()) return words.state("unknown");
    const std::string& c = d.device_class;
    if (c == "door" || c == "opening" || c == "window" || c == "garage_door") return words.state(on ? "open" : "closed");
    if (c == "motion" || c == "occupancy" || c == "presence") return words.state(on ? "detecting someone" : "clear");
    if (c == "moisture") return words.state(on ? "wet" : "dry");
    if (c == "smoke" || c == "gas") return words.state(on ? "detecting smoke" : "clear");
    return words.state(on ? "on" : "off");
  }
  if (d.domain == "climate") {
    std::string out;
    if (s.contains("current_temperature_c"))
      out = words.say(nlu::Msg::kStateAt, {{"value", spoken_temperature(s["current_temperature_c"].get<double>(), unit, words)}});
    if (s.contains("target_temperature_c"))
      out += std::string(out.empty() ? "" : ", ") +
             words.say(nlu::Msg::kStateSetTo, {{"value", spoken_temperature(s["target_temperature_c"].get<double>(), unit, words)}});
    return out.empty() ? words.state("unknown") : out;
  }
  if (st.empty()) return words.state("unknown");
  std::string out = words.state(st);
  if (d.domain == "light" && st == "on" && s.contains("brightness"))
    out += " " + words.say(nlu::Msg::kStateAt, {{"value", format_number(s["brightness"].get<double>()) + "%"}});
  if ((d.domain == "cover" || d.domain == "valve") && s.contains("position") && st == "open" && s["position"].get<double>() < 100)
    out += " " + format_number(s["position"].get<double>()) + "%";
  return out;
}

// Whether a device's state is what a yes/no question names ("is the garage door open?").
bool state_is(const devices::Device& d, const std::string& asked_raw, const std::string& unit) {
  std::string asked = asked_raw;
  const std::string words = state_words(d, unit, nlu::Messages::for_language("en"));
  if (asked == "opened") asked = "open";
  if (asked == "shut") asked = "closed";
  return words == asked || words.rfind(asked + " ", 0) == 0;
}

}  // namespace

std::string spoken_temperature(double celsius, const std::string& unit, const nlu::Messages& words) {
  const double v = unit == "F" ? devices::c_to_f(celsius) : celsius;
  return words.say(nlu::Msg::kDegrees, {{"n", format_number(std::round(v * 2) / 2)}});
}

DeviceOutcome perform_device_intent(const nlu::Intent& intent, const nlu::Home& home, devices::DeviceHub* hub,
                                    const std::string& unit, const nlu::Messages& words) {
  using nlu::Msg;
  const auto the = [&](const std::string& name) { return words.the(name); };
  DeviceOutcome out;
  if (!hub) {
    out.reply = words.say(Msg::kCantReachDevices);
    return out;
  }
  std::vector<devices::Device> targets;
  for (const std::string& id : intent.targets)
    if (auto d = hub->registry().find(id)) targets.push_back(*d);
  if (targets.empty()) {
    out.reply = words.say(Msg::kDeviceGone);
    return out;
  }

  // Questions are answered from the live state.
  if (intent.name == "HassGetState" || intent.name == "HassClimateGetTemperature") {
    const std::string asked = intent.slots.value("state", std::string());
    if (intent.name == "HassClimateGetTemperature") {
      std::vector<std::string> parts;
      for (const auto& d : targets) {
        double c = NAN;
        if (d.state.contains("current_temperature_c")) c = d.state["current_temperature_c"].get<double>();
        else if (d.domain == "sensor" && d.state.contains("value") && d.state.value("unit", std::string()).find('C') != std::string::npos)
          c = d.state["value"].get<double>();
        if (std::isnan(c)) continue;
        const std::string t = spoken_temperature(c, unit, words);
        parts.push_back(d.area.empty() ? words.say(Msg::kTemperatureBy, {{"temperature", t}, {"name", the(d.name)}})
                                       : words.say(Msg::kTemperatureIn, {{"temperature", t}, {"area", d.area}}));
      }
      out.reply = parts.empty() ? words.say(Msg::kNoTemperature) : words.say(Msg::kItIs, {{"what", words.join_and(parts)}});
      out.done = !parts.empty();
      return out;
    }
    if (!asked.empty()) {
      std::vector<std::string> yes;
      for (const auto& d : targets)
        if (state_is(d, asked, unit)) yes.push_back(the(d.name));
      if (targets.size() == 1)
        out.reply = words.say(yes.empty() ? Msg::kNoIs : Msg::kYesIs,
                              {{"name", the(targets[0].name)}, {"state", state_words(targets[0], unit, words)}});
      else if (yes.empty())
        out.reply = words.say(Msg::kNoneIs, {{"state", words.state(asked)}});
      else
        out.reply = nlu::capitalized(words.say(yes.size() == 1 ? Msg::kIs : Msg::kAre,
                                                {{"name", yes[0]}, {"names", words.join_and(yes)}, {"state", words.state(asked)}})) + ".";
    } else {
      std::vector<std::string> parts;
      for (const auto& d : targets) parts.push_back(words.say(Msg::kIs, {{"name", the(d.name)}, {"state", state_words(d, unit, words)}}));
      out.reply = nlu::capitalized(words.join_and(parts)) + ".";
    }
    out.done = true;
    return out;
  }

  std::vector<devices::ActionRequest> requests;
  std::vector<std::string> problems;
  for (const auto& d : targets) {
    auto actions = devices::action_for_intent(intent.name, intent.slots, d, unit);
    if (!actions) {
      problems.push_back(actions.error().message + ".");
      continue;
    }
    for (const auto& a : actions.value()) requests.push_back({d.id, a});
  }
  std::vector<std::string> ok_ids;
  if (!requests.empty()) {
    for (const auto& r : hub->execute(requests)) {
      const std::string name = the(r.device_name.empty() ? r.device_id : r.device_name);
      switch (r.outcome) {
        case devices::Outcome::kConfirmed:
        case devices::Outcome::kAssumed:
          if (std::find(ok_ids.begin(), ok_ids.end(), r.device_id) == ok_ids.end()) ok_ids.push_back(r.device_id);
          break;
        case devices::Outcome::kNoConfirmation:
          if (r.state.value("state", std::string()) == "jammed") problems.push_back(words.say(Msg::kJammed, {{"name", name}}));
          else problems.push_back(words.say(Msg::kDidNotRespond, {{"name", name}}));
          break;
        case devices::Outcome::kQueued:
          problems.push_back(words.say(Msg::kQueued, {{"name", the(r.device_name)}}));
          break;
        case devices::Outcome::kExpired: problems.push_back(words.say(Msg::kExpired, {{"name", name}})); break;
        case devices::Outcome::kUnavailable: problems.push_back(words.say(Msg::kOffline, {{"name", name}})); break;
        case devices::Outcome::kUnsupported:
        case devices::Outcome::kFailed: problems.push_back(nlu::capitalized(r.message) + "."); break;
      }
    }
  }
  // A device with several actions counts as done only if none of them had a problem.
  std::string reply;
  if (!ok_ids.empty()) {
    nlu::Intent done = intent;
    done.targets = ok_ids;
    reply = nlu::reply_for({done}, home, words);
  }
  for (const auto& p : problems) reply += (reply.empty() ? "" : " ") + p;
  out.reply = reply;
  out.done = problems.empty() && !ok_ids.empty();
  return out;
}

}  // namespace hearth::app
