// Actions -> MQTT payloads in each device's schema, and Home Assistant intents -> actions.
#include "hearth/devices/commands.h"

#include <algorithm>
#include <cmath>

namespace hearth::devices {

const char* to_string(ActionKind kind) {
  switch (kind) {
    case ActionKind::kTurnOn: return "turn on";
    case ActionKind::kTurnOff: return "turn off";
    case ActionKind::kToggle: return "toggle";
    case ActionKind::kOpen: return "open";
    case ActionKind::kClose: return "close";
    case ActionKind::kStop: return "stop";
    case ActionKind::kLock: return "lock";
    case ActionKind::kUnlock: return "unlock";
    case ActionKind::kSetBrightness: return "set brightness";
    case ActionKind::kSetColor: return "set colour";
    case ActionKind::kSetColorTemp: return "set colour temperature";
    case ActionKind::kSetPosition: return "set position";
    case ActionKind::kSetFanSpeed: return "set fan speed";
    case ActionKind::kSetTemperature: return "set temperature";
    case ActionKind::kVacuumStart: return "start cleaning";
    case ActionKind::kVacuumReturnToBase: return "return to base";
  }
  return "act";
}

namespace {

std::string num(double v) {
  if (std::fabs(v - std::round(v)) < 1e-9) return std::to_string(static_cast<long long>(std::llround(v)));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// A toggle as the explicit action it means now.
ActionKind resolve_toggle(const Device& d) {
  const bool on = is_active(d);
  if (d.domain == "cover" || d.domain == "valve") return on ? ActionKind::kClose : ActionKind::kOpen;
  if (d.domain == "lock") return on ? ActionKind::kUnlock : ActionKind::kLock;
  return on ? ActionKind::kTurnOff : ActionKind::kTurnOn;
}

Fail<Error> unsupported(const Device& d, const Action& a) {
  return fail(ErrorCode::kUnsupported, d.name + " cannot " + to_string(a.kind));
}

double scaled(double percent, double lo, double hi) { return lo + (hi - lo) * std::clamp(percent, 0.0, 100.0) / 100.0; }

double device_temperature(const Device& d, double celsius) {
  const double v = d.transport.temperature_unit == "F" ? c_to_f(celsius) : celsius;
  return std::round(v * 2.0) / 2.0;  // half degrees: what thermostats take
}

// --- Home Assistant default schema: one topic per attribute --------------------------------
Result<std::vector<Publish>> ha_default(const Device& d, const Action& a) {
  const Transport& t = d.transport;
  std::vector<Publish> out;
  auto put = [&](const std::string& role, const std::string& payload) -> bool {
    if (!t.has(role)) return false;
    out.push_back({t.topic(role), payload});
    return true;
  };
  switch (a.kind) {
    case ActionKind::kTurnOn:
      if (d.domain == "vacuum") return ha_default(d, Action{ActionKind::kVacuumStart});
      if (!put("command", t.payload("on", "ON"))) return unsupported(d, a);
      break;
    case ActionKind::kTurnOff:
      if (!put("command", t.payload("off", "OFF"))) return unsupported(d, a);
      break;
    case ActionKind::kOpen:
    case ActionKind::kClose:
      if (t.has("command")) put("command", a.kind == ActionKind::kOpen ? t.payload("open", "OPEN") : t.payload("close", "CLOSE"));
      else if (!put("position_command", num(a.kind == ActionKind::kOpen ? t.position_open : t.position_closed)))
        return unsupported(d, a);
      break;
    case ActionKind::kStop:
      if (!put("command", t.payload("stop", "STOP"))) return unsupported(d, a);
      break;
    case ActionKind::kLock:
    case ActionKind::kUnlock:
      if (!put("command", a.kind == ActionKind::kLock ? t.payload("lock", "LOCK") : t.payload("unlock", "UNLOCK")))
        return unsupported(d, a);
      break;
    case ActionKind::kSetBrightness: {
      if (a.value <= 0) return ha_default(d, Action{ActionKind::kTurnOff});
      const double v = std::max(1.0, std::round(scaled(a.value, 0, t.brightness_scale)));
      if (!put("brightness_command", num(v))) return unsupported(d, a);
      put("command", t.payload("on", "ON"));
      break;
    }
    case ActionKind::kSetColor: {
      double h = 0, s = 0;
      rgb_to_hs(a.rgb, h, s);
      if (!put("rgb_command", std::to_string(a.rgb[0]) + "," + std::to_string(a.rgb[1]) + "," + std::to_string(a.rgb[2])) &&
          !put("hs_command", num(std::round(h)) + "," + num(std::round(s))))
        return unsupported(d, a);
      put("command", t.payload("on", "ON"));
      break;
    }
    case ActionKind::kSetColorTemp:
      if (!put("color_temp_command", num(t.color_temp_kelvin ? std::round(a.value) : kelvin_to_mireds(a.value))))
        return unsupported(d, a);
      put("command", t.payload("on", "ON"));
      break;
    case ActionKind::kSetPosition:
      if (!put("position_command", num(std::round(scaled(a.value, t.position_closed, t.position_open)))))
        return unsupported(d, a);
      break;
    case ActionKind::kSetFanSpeed:
      if (a.value <= 0) return ha_default(d, Action{ActionKind::kTurnOff});
      // 1% is the device's lowest speed, 100% its highest (HA's speed_range_min/max).
      if (!put("percentage_command",
               num(std::round(t.speed_min + (t.speed_max - t.speed_min) * (std::max(a.value, 1.0) - 1.0) / 99.0))))
        return unsupported(d, a);
      break;
    case ActionKind::kSetTemperature:
      if (!put("temperature_command", num(device_temperature(d, a.value)))) return unsupported(d, a);
      break;
    case ActionKind::kVacuumStart:
      if (!put("command", t.payload("start", "start"))) return unsupported(d, a);
      break;
    case ActionKind::kVacuumReturnToBase:
      if (!put("command", t.payload("return_to_base", "return_to_base"))) return unsupported(d, a);
      break;
    case ActionKind::kToggle:
      break;  // resolved by the caller
  }
  return out;
}

// --- Home Assistant JSON schema (lights) ----------------------------------------------------
Result<std::vector<Publish>> ha_json(const Device& d, const Action& a) {
  const Transport& t = d.transport;
  if (!t.has("command")) return unsupported(d, a);
  nlohmann::json j;
  switch (a.kind) {
    case ActionKind::kTurnOn: j["state"] = "ON"; break;
    case ActionKind::kTurnOff: j["state"] = "OFF"; break;
    case ActionKind::kSetBrightness:
      if (a.value <= 0) {
        j["state"] = "OFF";
      } else {
        j["state"] = "ON";
        j["brightness"] = std::max(1L, std::lround(scaled(a.value, 0, t.brightness_scale)));
      }
      break;
    case ActionKind::kSetColor:
      j["state"] = "ON";
      j["color"] = {{"r", a.rgb[0]}, {"g", a.rgb[1]}, {"b", a.rgb[2]}};
      break;
    case ActionKind::kSetColorTemp:
      j["state"] = "ON";
      j["color_temp"] = t.color_temp_kelvin ? std::lround(a.value) : kelvin_to_mireds(a.value);
      break;
    default: return unsupported(d, a);
  }
  return std::vector<Publish>{{t.topic("command"), j.dump()}};
}

// --- Zigbee2MQTT ----------------------------------------------------------------------------
Result<std::vector<Publish>> z2m(const Device& d, const Action& a) {
  const Transport& t = d.transport;
  auto prop = [&](const std::string& ours, const std::string& fallback) {
    auto it = t.z2m_props.find(ours);
    return it == t.z2m_props.end() ? fallback : it->second;
  };
  auto has = [&](const std::string& ours) { return t.z2m_props.count(ours) != 0; };
  nlohmann::json j;
  switch (a.kind) {
    case ActionKind::kTurnOn:
    case ActionKind::kTurnOff:
      if (d.domain == "cover") return z2m(d, Action{a.kind == ActionKind::kTurnOn ? ActionKind::kOpen : ActionKind::kClose});
      if (d.domain == "lock") return z2m(d, Action{a.kind == ActionKind::kTurnOn ? ActionKind::kLock : ActionKind::kUnlock});
      if (!has("state")) return unsupported(d, a);
      j[prop("state", "state")] = a.kind == ActionKind::kTurnOn ? "ON" : "OFF";
      break;
    case ActionKind::kOpen:
    case ActionKind::kClose:
    case ActionKind::kStop:
      if (!has("state") || d.domain != "cover") return unsupported(d, a);
      j[prop("state", "state")] = a.kind == ActionKind::kOpen ? "OPEN" : a.kind == ActionKind::kClose ? "CLOSE" : "STOP";
      break;
    case ActionKind::kLock:
    case ActionKind::kUnlock:
      if (!has("state") || d.domain != "lock") return unsupported(d, a);
      j[prop("state", "state")] = a.kind == ActionKind::kLock ? "LOCK" : "UNLOCK";
      break;
    case ActionKind::kSetBrightness:
      if (!has("brightness")) return unsupported(d, a);
      if (a.value <= 0) {
        j[prop("state", "state")] = "OFF";
      } else {
        j[prop("state", "state")] = "ON";
        j[prop("brightness", "brightness")] = std::max(1L, std::lround(scaled(a.value, 0, t.brightness_scale)));
      }
      break;
    case ActionKind::kSetColor:
      if (!has("color")) return unsupported(d, a);
      j[prop("state", "state")] = "ON";
      j[prop("color", "color")] = {{"r", a.rgb[0]}, {"g", a.rgb[1]}, {"b", a.rgb[2]}};
      break;
    case ActionKind::kSetColorTemp:
      if (!has("color_temp")) return unsupported(d, a);
      j[prop("state", "state")] = "ON";
      j[prop("color_temp", "color_temp")] = kelvin_to_mireds(a.value);
      break;
    case ActionKind::kSetPosition:
      if (!has("position")) return unsupported(d, a);
      j[prop("position", "position")] = std::lround(a.value);
      break;
    case ActionKind::kSetTemperature:
      if (!has("target_temperature")) return unsupported(d, a);
      j[prop("target_temperature", "current_heating_setpoint")] = device_temperature(d, a.value);
      break;
    default: return unsupported(d, a);
  }
  if (!t.has("command")) return unsupported(d, a);
  return std::vector<Publish>{{t.topic("command"), j.dump()}};
}

}  // namespace

Result<std::vector<Publish>> payloads_for(const Device& d, const Action& action) {
  Action a = action;
  if (a.kind == ActionKind::kToggle) a.kind = resolve_toggle(d);
  if ((a.kind == ActionKind::kSetBrightness || a.kind == ActionKind::kSetPosition || a.kind == ActionKind::kSetFanSpeed) &&
      (a.value < 0 || a.value > 100 || std::isnan(a.value)))
    return fail(ErrorCode::kBadValue, std::string(to_string(a.kind)) + ": " + num(a.value) + " is outside 0-100");
  if (a.kind == ActionKind::kSetTemperature && (std::isnan(a.value) || a.value < d.min_temp_c - 1e-9 || a.value > d.max_temp_c + 1e-9))
    return fail(ErrorCode::kBadValue, d.name + " takes set points from " + num(d.min_temp_c) + " to " + num(d.max_temp_c) + " °C");
  if (a.kind == ActionKind::kSetColorTemp && (a.value < 1000 || a.value > 10000))
    return fail(ErrorCode::kBadValue, "colour temperature " + num(a.value) + " K is outside 1000-10000 K");
  Result<std::vector<Publish>> r = std::vector<Publish>{};
  switch (d.transport.schema) {
    case Schema::kNone:
      return fail(ErrorCode::kUnsupported, "the " + d.name + " has no MQTT settings in the devices file, so I can't control it");
    case Schema::kHaDefault: r = ha_default(d, a); break;
    case Schema::kHaJson: r = ha_json(d, a); break;
    case Schema::kZigbee2Mqtt: r = z2m(d, a); break;
  }
  if (r && r->empty()) return unsupported(d, a);
  return r;
}

DeviceState expected_state(const Device& d, const Action& action) {
  Action a = action;
  if (a.kind == ActionKind::kToggle) a.kind = resolve_toggle(d);
  DeviceState e = DeviceState::object();
  switch (a.kind) {
    case ActionKind::kTurnOn:
      if (d.domain == "scene" || d.domain == "script") break;  // nothing to confirm
      if (d.domain == "vacuum") e["state"] = "cleaning";
      else e["state"] = "on";
      break;
    case ActionKind::kTurnOff: e["state"] = "off"; break;
    case ActionKind::kOpen: e["state"] = {"open", "opening"}; break;
    case ActionKind::kClose: e["state"] = {"closed", "closing"}; break;
    case ActionKind::kStop: break;
    case ActionKind::kLock: e["state"] = {"locked", "locking"}; break;
    case ActionKind::kUnlock: e["state"] = {"unlocked", "unlocking"}; break;
    case ActionKind::kSetBrightness:
      if (a.value <= 0) {
        e["state"] = "off";
      } else {
        e["state"] = "on";
        e["brightness"] = std::round(a.value);
      }
      break;
    case ActionKind::kSetColor:
      e["state"] = "on";
      e["rgb"] = {a.rgb[0], a.rgb[1], a.rgb[2]};
      break;
    case ActionKind::kSetColorTemp:
      e["state"] = "on";
      e["color_temp_kelvin"] = a.value;
      break;
    case ActionKind::kSetPosition: e["position"] = std::round(a.value); break;
    case ActionKind::kSetFanSpeed:
      if (a.value <= 0) e["state"] = "off";
      else e["percentage"] = std::round(a.value);
      break;
    case ActionKind::kSetTemperature: e["target_temperature_c"] = a.value; break;
    case ActionKind::kVacuumStart: e["state"] = "cleaning"; break;
    case ActionKind::kVacuumReturnToBase: e["state"] = {"returning", "docked"}; break;
    case ActionKind::kToggle: break;
  }
  return e;
}

namespace {

bool value_matches(const nlohmann::json& have, const nlohmann::json& want, const std::string& key) {
  if (want.is_array() && key != "rgb") {
    for (const auto& w : want)
      if (value_matches(have, w, key)) return true;
    return false;
  }
  if (want.is_number() && have.is_number()) {
    const double h = have.get<double>(), w = want.get<double>();
    double tol = 1.0;                                      // percentages after scaling to 0-255
    if (key == "color_temp_kelvin") tol = std::max(20.0, w * 0.02);  // mired rounding
    if (key == "target_temperature_c") tol = 0.35;        // °F devices round to half degrees
    return std::fabs(h - w) <= tol;
  }
  if (key == "rgb" && want.is_array() && have.is_array() && want.size() == 3 && have.size() == 3) {
    for (int i = 0; i < 3; ++i)
      if (!have[i].is_number() || std::fabs(have[i].get<double>() - want[i].get<double>()) > 8) return false;
    return true;
  }
  return have == want;
}

}  // namespace

bool state_matches(const DeviceState& state, const DeviceState& expected) {
  if (!state.is_object() || !expected.is_object()) return false;
  for (auto it = expected.begin(); it != expected.end(); ++it) {
    if (!state.contains(it.key())) return false;
    if (!value_matches(state[it.key()], it.value(), it.key())) return false;
  }
  return true;
}

namespace {

std::optional<double> slot_number(const nlohmann::json& slots, const char* key) {
  if (!slots.contains(key)) return std::nullopt;
  const auto& v = slots[key];
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    try {
      size_t used = 0;
      double d = std::stod(v.get<std::string>(), &used);
      if (used == v.get<std::string>().size()) return d;
    } catch (...) {
    }
  }
  return std::nullopt;
}

Fail<Error> cannot(const Device& d, const std::string& what) {
  return fail(ErrorCode::kUnsupported, d.name + " cannot " + what);
}

}  // namespace

Result<std::vector<Action>> action_for_intent(const std::string& intent, const nlohmann::json& slots, const Device& d,
                                              const std::string& user_unit) {
  std::vector<Action> out;
  auto one = [&](ActionKind k, double v = 0) {
    Action a;
    a.kind = k;
    a.value = v;
    out.push_back(a);
  };
  const std::string& dom = d.domain;
  if (dom == "sensor" || dom == "binary_sensor" || dom == "person") {
    if (intent == "HassTurnOn" || intent == "HassTurnOff" || intent == "HassToggle" || intent == "HassLightSet")
      return cannot(d, "be switched: it only reports");
  }
  if (intent == "HassTurnOn") {
    if (dom == "lock") one(ActionKind::kLock);
    else if (dom == "cover" || dom == "valve") one(ActionKind::kOpen);
    else if (dom == "vacuum") one(ActionKind::kVacuumStart);
    else one(ActionKind::kTurnOn);
  } else if (intent == "HassTurnOff") {
    if (dom == "lock") one(ActionKind::kUnlock);
    else if (dom == "cover" || dom == "valve") one(ActionKind::kClose);
    else if (dom == "vacuum") one(ActionKind::kVacuumReturnToBase);
    else if (dom == "scene" || dom == "script") return cannot(d, "be turned off");
    else one(ActionKind::kTurnOff);
  } else if (intent == "HassToggle") {
    if (dom == "scene" || dom == "script") one(ActionKind::kTurnOn);
    else one(ActionKind::kToggle);
  } else if (intent == "HassLightSet") {
    if (dom != "light") return cannot(d, "be dimmed or coloured: it is not a light");
    if (auto b = slot_number(slots, "brightness")) {
      if (!d.has_feature("brightness")) return cannot(d, "be dimmed");
      one(ActionKind::kSetBrightness, std::clamp(*b, 0.0, 100.0));
    } else if (auto step = slot_number(slots, "brightness_step")) {
      if (!d.has_feature("brightness")) return cannot(d, "be dimmed");
      const bool on = d.state.value("state", std::string()) == "on";
      const double now = on ? d.state.value("brightness", 100.0) : 0.0;
      one(ActionKind::kSetBrightness, std::clamp(now + *step, 0.0, 100.0));
    }
    if (slots.contains("color") && slots["color"].is_string()) {
      if (!d.has_feature("color")) return cannot(d, "change colour");
      Action a;
      a.kind = ActionKind::kSetColor;
      if (!color_from_name(slots["color"].get<std::string>(), a.rgb))
        return fail(ErrorCode::kBadValue, "I don't know the colour " + slots["color"].get<std::string>());
      out.push_back(a);
    }
    if (auto k = slot_number(slots, "temperature")) {
      if (!d.has_feature("color_temp")) return cannot(d, "change colour temperature");
      one(ActionKind::kSetColorTemp, *k);
    }
    if (out.empty()) one(ActionKind::kTurnOn);
  } else if (intent == "HassClimateSetTemperature") {
    if (dom != "climate") return cannot(d, "take a temperature: it is not a thermostat");
    const bool f = user_unit == "F";
    double target = 0;
    if (auto t = slot_number(slots, "temperature")) {
      target = f ? f_to_c(*t) : *t;
    } else if (auto step = slot_number(slots, "temperature_step")) {
      if (!d.state.contains("target_temperature_c")) return cannot(d, "change by steps before it reports its set point");
      target = d.state["target_temperature_c"].get<double>() + (f ? *step * 5.0 / 9.0 : *step);
    } else {
      return fail(ErrorCode::kBadValue, "no temperature was given");
    }
    if (target < d.min_temp_c - 0.01 || target > d.max_temp_c + 0.01) {
      auto show = [&](double c) { return f ? num(std::round(c_to_f(c))) + " °F" : num(c) + " °C"; };
      return fail(ErrorCode::kBadValue, d.name + " takes " + show(d.min_temp_c) + " to " + show(d.max_temp_c));
    }
    one(ActionKind::kSetTemperature, target);
  } else if (intent == "HassSetPosition") {
    if (dom != "cover" && dom != "valve") return cannot(d, "be set to a position");
    auto p = slot_number(slots, "position");
    if (!p) return fail(ErrorCode::kBadValue, "no position was given");
    one(ActionKind::kSetPosition, std::clamp(*p, 0.0, 100.0));
  } else if (intent == "HassFanSetSpeed") {
    if (dom != "fan") return cannot(d, "set a speed: it is not a fan");
    auto p = slot_number(slots, "percentage");
    if (!p) return fail(ErrorCode::kBadValue, "no speed was given");
    one(ActionKind::kSetFanSpeed, std::clamp(*p, 0.0, 100.0));
  } else if (intent == "HassVacuumStart") {
    if (dom != "vacuum") return cannot(d, "clean: it is not a vacuum");
    one(ActionKind::kVacuumStart);
  } else if (intent == "HassVacuumReturnToBase") {
    if (dom != "vacuum") return cannot(d, "return to base: it is not a vacuum");
    one(ActionKind::kVacuumReturnToBase);
  } else if (intent.rfind("HassMedia", 0) == 0 || intent == "HassSetVolume") {
    return cannot(d, "be played or paused by hearth yet: media players over MQTT are not supported");
  }
  return out;
}

}  // namespace hearth::devices
