#include "device_actions.h"

#include <cmath>

#include "hearth/devices/commands.h"
#include "hearth/nlu/conversation.h"

namespace hearth::app {

namespace {

std::string the(const std::string& name) { return "the " + name; }

std::string capital(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += i + 1 == items.size() ? " and " : ", ";
    out += items[i];
  }
  return out;
}

using devices::format_number;

// The state in words people use for this kind of device.
std::string state_words(const devices::Device& d, const std::string& unit) {
  if (!d.available) return "offline";
  const auto& s = d.state;
  const std::string st = s.value("state", std::string());
  if (d.domain == "sensor") {
    if (s.contains("value")) {
      const double v = s["value"].get<double>();
      const std::string u = s.value("unit", std::string());
      if (u == "°C" || u == "C") return spoken_temperature(v, unit);
      if (u == "°F" || u == "F") return spoken_temperature(devices::f_to_c(v), unit);
      return format_number(v) + (u == "%" ? " percent" : u.empty() ? "" : " " + u);
    }
    return st.empty() ? "unknown" : st;
  }
  if (d.domain == "binary_sensor") {
    const bool on = st == "on";
    if (st.empty()) return "unknown";
    const std::string& c = d.device_class;
    if (c == "door" || c == "opening" || c == "window" || c == "garage_door") return on ? "open" : "closed";
    if (c == "motion" || c == "occupancy" || c == "presence") return on ? "detecting someone" : "clear";
    if (c == "moisture") return on ? "wet" : "dry";
    if (c == "smoke" || c == "gas") return on ? "detecting smoke" : "clear";
    return on ? "on" : "off";
  }
  if (d.domain == "climate") {
    std::string out;
    if (s.contains("current_temperature_c")) out = "at " + spoken_temperature(s["current_temperature_c"].get<double>(), unit);
    if (s.contains("target_temperature_c"))
      out += std::string(out.empty() ? "" : ", ") + "set to " + spoken_temperature(s["target_temperature_c"].get<double>(), unit);
    return out.empty() ? "unknown" : out;
  }
  if (st.empty()) return "unknown";
  std::string out = st;
  if (d.domain == "light" && st == "on" && s.contains("brightness")) out += " at " + format_number(s["brightness"].get<double>()) + "%";
  if ((d.domain == "cover" || d.domain == "valve") && s.contains("position") && st == "open" && s["position"].get<double>() < 100)
    out += " " + format_number(s["position"].get<double>()) + "%";
  return out;
}

// Whether a device's state is what a yes/no question names ("is the garage door open?").
bool state_is(const devices::Device& d, const std::string& asked_raw, const std::string& unit) {
  std::string asked = asked_raw;
  const std::string words = state_words(d, unit);
  if (asked == "opened") asked = "open";
  if (asked == "shut") asked = "closed";
  return words == asked || words.rfind(asked + " ", 0) == 0;
}

}  // namespace

std::string spoken_temperature(double celsius, const std::string& unit) {
  const double v = unit == "F" ? devices::c_to_f(celsius) : celsius;
  return format_number(std::round(v * 2) / 2) + " degrees";
}

DeviceOutcome perform_device_intent(const nlu::Intent& intent, const nlu::Home& home, devices::DeviceHub* hub,
                                    const std::string& unit) {
  DeviceOutcome out;
  if (!hub) {
    out.reply = "I can't reach the devices right now.";
    return out;
  }
  std::vector<devices::Device> targets;
  for (const std::string& id : intent.targets)
    if (auto d = hub->registry().find(id)) targets.push_back(*d);
  if (targets.empty()) {
    out.reply = "I can't find that device any more.";
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
        parts.push_back(spoken_temperature(c, unit) + (d.area.empty() ? " by " + the(d.name) : " in the " + d.area));
      }
      out.reply = parts.empty() ? "I don't have a temperature reading for that." : "It's " + join(parts) + ".";
      out.done = !parts.empty();
      return out;
    }
    if (!asked.empty()) {
      std::vector<std::string> yes;
      for (const auto& d : targets)
        if (state_is(d, asked, unit)) yes.push_back(the(d.name));
      if (targets.size() == 1)
        out.reply = (yes.empty() ? "No, " : "Yes, ") + the(targets[0].name) + " is " + state_words(targets[0], unit) + ".";
      else if (yes.empty())
        out.reply = "None of them is " + asked + ".";
      else
        out.reply = capital(join(yes)) + (yes.size() == 1 ? " is " : " are ") + asked + ".";
    } else {
      std::vector<std::string> parts;
      for (const auto& d : targets) parts.push_back(the(d.name) + " is " + state_words(d, unit));
      out.reply = capital(join(parts)) + ".";
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
      const std::string name = capital(the(r.device_name.empty() ? r.device_id : r.device_name));
      switch (r.outcome) {
        case devices::Outcome::kConfirmed:
        case devices::Outcome::kAssumed:
          if (std::find(ok_ids.begin(), ok_ids.end(), r.device_id) == ok_ids.end()) ok_ids.push_back(r.device_id);
          break;
        case devices::Outcome::kNoConfirmation:
          if (r.state.value("state", std::string()) == "jammed") problems.push_back(name + " is jammed.");
          else problems.push_back(name + " did not respond.");
          break;
        case devices::Outcome::kQueued:
          problems.push_back("I can't reach " + the(r.device_name) + " right now; the command goes out when the connection is back.");
          break;
        case devices::Outcome::kExpired: problems.push_back(name + " could not be reached in time."); break;
        case devices::Outcome::kUnavailable: problems.push_back(name + " is offline."); break;
        case devices::Outcome::kUnsupported:
        case devices::Outcome::kFailed: problems.push_back(capital(r.message) + "."); break;
      }
    }
  }
  // A device with several actions counts as done only if none of them had a problem.
  std::string reply;
  if (!ok_ids.empty()) {
    nlu::Intent done = intent;
    done.targets = ok_ids;
    reply = nlu::reply_for({done}, home);
  }
  for (const auto& p : problems) reply += (reply.empty() ? "" : " ") + p;
  out.reply = reply;
  out.done = problems.empty() && !ok_ids.empty();
  return out;
}

}  // namespace hearth::app
