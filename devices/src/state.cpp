// State messages -> DeviceState (see device.h for the vocabulary).
#include "state.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>

#include "hearth/devices/commands.h"

namespace hearth::devices {

namespace {

constexpr size_t kMaxStateBytes = 64 * 1024;

struct Bad {
  std::string message;
};

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The value a dotted key names inside a JSON document, as JSON (null when absent).
nlohmann::json lookup(const nlohmann::json& doc, const std::string& key) {
  const nlohmann::json* cur = &doc;
  size_t start = 0;
  while (true) {
    const size_t dot = key.find('.', start);
    const std::string part = key.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!cur->is_object() || !cur->contains(part)) return nullptr;
    cur = &(*cur)[part];
    if (dot == std::string::npos) return *cur;
    start = dot + 1;
  }
}

std::string as_text(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

double as_number(const nlohmann::json& v, const std::string& what) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    try {
      size_t used = 0;
      const double d = std::stod(s, &used);
      if (used == s.size() && std::isfinite(d)) return d;
    } catch (...) {
    }
  }
  throw Bad{what + " '" + as_text(v).substr(0, 40) + "' is not a number"};
}

// Payload words of a device, compared case-insensitively as HA does for most components.
bool same(const std::string& a, const std::string& b) { return lower(a) == lower(b); }

// Clamped as numbers before the cast to int (undefined for values out of int's range, and NaN).
int channel(double v) { return v >= 0 ? (v <= 255 ? static_cast<int>(v) : 255) : 0; }
void set_rgb(DeviceState& s, double r, double g, double b) { s["rgb"] = {channel(r), channel(g), channel(b)}; }

void read_color(DeviceState& s, const nlohmann::json& c) {
  if (!c.is_object()) return;
  int rgb[3];
  if (c.contains("r") && c.contains("g") && c.contains("b")) {
    set_rgb(s, as_number(c["r"], "r"), as_number(c["g"], "g"), as_number(c["b"], "b"));
  } else if (c.contains("h") && c.contains("s")) {
    hs_to_rgb(as_number(c["h"], "hue"), as_number(c["s"], "saturation"), rgb);
    set_rgb(s, rgb[0], rgb[1], rgb[2]);
  } else if (c.contains("hue") && c.contains("saturation")) {
    hs_to_rgb(as_number(c["hue"], "hue"), as_number(c["saturation"], "saturation"), rgb);
    set_rgb(s, rgb[0], rgb[1], rgb[2]);
  } else if (c.contains("x") && c.contains("y")) {
    xy_to_rgb(as_number(c["x"], "x"), as_number(c["y"], "y"), rgb);
    set_rgb(s, rgb[0], rgb[1], rgb[2]);
  }
}

double percent_of(double v, double lo, double hi) { return std::round(std::clamp((v - lo) / (hi - lo) * 100.0, 0.0, 100.0)); }

double to_celsius(const Device& d, double v) { return d.transport.temperature_unit == "F" ? std::round(f_to_c(v) * 10) / 10 : v; }

// The "state" role of an HA device.
void read_state_word(Device& d, const std::string& value) {
  const Transport& t = d.transport;
  DeviceState& s = d.state;
  const std::string& dom = d.domain;
  if (dom == "light" || dom == "switch" || dom == "fan" || dom == "binary_sensor") {
    if (same(value, t.payload("state_on", t.payload("on", "ON")))) s["state"] = "on";
    else if (same(value, t.payload("state_off", t.payload("off", "OFF")))) s["state"] = "off";
    else if (value.empty() || same(value, "None")) s.erase("state");
    else throw Bad{"state '" + value.substr(0, 40) + "' is neither on nor off"};
  } else if (dom == "cover" || dom == "valve") {
    const std::pair<const char*, const char*> words[] = {{"state_open", "open"},       {"state_opening", "opening"},
                                                         {"state_closed", "closed"},   {"state_closing", "closing"},
                                                         {"state_stopped", "stopped"}};
    for (const auto& [key, word] : words)
      if (same(value, t.payload(key, word))) {
        s["state"] = word;
        return;
      }
    throw Bad{"state '" + value.substr(0, 40) + "' is not a cover state"};
  } else if (dom == "lock") {
    const std::pair<const char*, const char*> words[] = {{"state_locked", "LOCKED"},     {"state_unlocked", "UNLOCKED"},
                                                         {"state_jammed", "JAMMED"},     {"state_locking", "LOCKING"},
                                                         {"state_unlocking", "UNLOCKING"}};
    for (const auto& [key, word] : words)
      if (same(value, t.payload(key, word))) {
        s["state"] = lower(word);
        return;
      }
    throw Bad{"state '" + value.substr(0, 40) + "' is not a lock state"};
  } else if (dom == "sensor") {
    try {
      size_t used = 0;
      const double v = std::stod(value, &used);
      if (used == value.size() && std::isfinite(v)) {
        s["value"] = v;
        s.erase("state");
        return;
      }
    } catch (...) {
    }
    s["state"] = value.substr(0, 200);
    s.erase("value");
  } else if (dom == "vacuum" || dom == "climate") {
    s["state"] = lower(value).substr(0, 40);
  }
}

void read_ha_json_light(Device& d, const nlohmann::json& j) {
  if (!j.is_object()) throw Bad{"JSON light state must be an object"};
  DeviceState& s = d.state;
  if (j.contains("state")) s["state"] = same(as_text(j["state"]), "ON") ? "on" : "off";
  if (j.contains("brightness") && !j["brightness"].is_null())
    s["brightness"] = percent_of(as_number(j["brightness"], "brightness"), 0, d.transport.brightness_scale);
  if (j.contains("color_temp") && !j["color_temp"].is_null()) {
    const double v = as_number(j["color_temp"], "color_temp");
    s["color_temp_kelvin"] = d.transport.color_temp_kelvin ? v : mireds_to_kelvin(v);
  }
  if (j.contains("color")) read_color(s, j["color"]);
}

void read_z2m(Device& d, const nlohmann::json& j) {
  if (!j.is_object()) throw Bad{"Zigbee2MQTT state must be a JSON object"};
  const Transport& t = d.transport;
  DeviceState& s = d.state;
  auto prop = [&](const char* ours) -> std::optional<nlohmann::json> {
    auto it = t.z2m_props.find(ours);
    if (it == t.z2m_props.end() || !j.contains(it->second) || j[it->second].is_null()) return std::nullopt;
    return j[it->second];
  };
  if (auto v = prop("state")) {
    const std::string w = lower(as_text(*v));
    if (d.domain == "cover") s["state"] = w == "open" ? "open" : w == "close" || w == "closed" ? "closed" : w == "stop" ? "stopped" : w;
    else if (d.domain == "lock") s["state"] = w == "lock" ? "locked" : w == "unlock" ? "unlocked" : w;
    else s["state"] = same(w, t.payload("state_on", "ON")) ? "on" : "off";
  }
  if (auto v = prop("lock_state")) {
    const std::string w = lower(as_text(*v));
    if (w == "locked" || w == "unlocked") s["state"] = w;
    else if (w == "not_fully_locked") s["state"] = "jammed";
  }
  if (auto v = prop("brightness")) s["brightness"] = percent_of(as_number(*v, "brightness"), 0, t.brightness_scale);
  if (auto v = prop("color_temp")) s["color_temp_kelvin"] = mireds_to_kelvin(as_number(*v, "color_temp"));
  if (auto v = prop("color")) read_color(s, *v);
  if (auto v = prop("position")) {
    s["position"] = std::clamp(std::round(as_number(*v, "position")), 0.0, 100.0);
    if (!prop("state")) s["state"] = s["position"].get<double>() > 0 ? "open" : "closed";
  }
  if (auto v = prop("target_temperature")) s["target_temperature_c"] = as_number(*v, "set point");
  if (auto v = prop("current_temperature")) s["current_temperature_c"] = as_number(*v, "temperature");
  if (auto v = prop("mode")) s["state"] = lower(as_text(*v));
  if (auto v = prop("value")) {
    if (d.domain == "binary_sensor") {
      const std::string w = as_text(*v);
      if (w == t.payload("state_on", "true")) s["state"] = "on";
      else if (w == t.payload("state_off", "false")) s["state"] = "off";
    } else {
      s["value"] = as_number(*v, "reading");
    }
  }
}

}  // namespace

std::vector<std::string> topics_read_by(const Device& d) {
  std::vector<std::string> out;
  for (const auto& [role, topic] : d.transport.topics)
    if (role.find("command") == std::string::npos) out.push_back(topic);
  for (const auto& a : d.transport.availability) out.push_back(a.topic);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Result<bool> apply_state_message(Device& device, const std::string& topic, const std::string& payload) {
  if (payload.size() > kMaxStateBytes)
    return fail(ErrorCode::kBadMessage, topic + ": state of " + std::to_string(payload.size()) + " bytes is too large");
  Device d = device;  // changes land only when the whole message was read
  const Transport& t = d.transport;
  try {
    std::optional<nlohmann::json> doc;
    auto json = [&]() -> const nlohmann::json& {
      if (!doc) {
        doc = nlohmann::json::parse(payload, nullptr, false);
        if (doc->is_discarded()) throw Bad{"payload is not valid JSON"};
      }
      return *doc;
    };
    for (const auto& a : t.availability) {
      if (a.topic != topic) continue;
      std::string v = payload;
      if (!a.value_key.empty()) {
        nlohmann::json parsed = nlohmann::json::parse(payload, nullptr, false);
        if (!parsed.is_discarded() && parsed.is_object()) v = as_text(lookup(parsed, a.value_key));
      }
      if (v == a.payload_available) d.availability_by_topic[topic] = true;
      else if (v == a.payload_not_available) d.availability_by_topic[topic] = false;
      else continue;
      // latest: this message decides; all: every topic must say available; any: one is enough.
      if (t.availability_mode == "latest") {
        d.available = d.availability_by_topic[topic];
      } else {
        bool all = true, any = false;
        for (const auto& other : t.availability) {
          auto it = d.availability_by_topic.find(other.topic);
          const bool up = it != d.availability_by_topic.end() && it->second;
          all = all && up;
          any = any || up;
        }
        d.available = t.availability_mode == "all" ? all : any;
      }
    }
    if (t.schema == Schema::kZigbee2Mqtt) {
      if (topic == t.topic("state")) read_z2m(d, json());
    } else {
      for (const auto& [role, role_topic] : t.topics) {
        if (role_topic != topic || role.find("command") != std::string::npos || role == "json_attributes") continue;
        if (role == "state" && t.schema == Schema::kHaJson) {
          read_ha_json_light(d, json());
          continue;
        }
        auto vk = t.value_keys.find(role);
        nlohmann::json value = payload;
        if (vk != t.value_keys.end()) value = lookup(json(), vk->second);
        if (value.is_null()) continue;  // this message does not carry the attribute
        const std::string text = as_text(value);
        DeviceState& s = d.state;
        if (role == "state") read_state_word(d, text);
        else if (role == "brightness_state") s["brightness"] = percent_of(as_number(value, "brightness"), 0, t.brightness_scale);
        else if (role == "rgb_state" || role == "hs_state") {
          int c[3] = {0, 0, 0};
          double parts[3] = {0, 0, 0};
          size_t n = 0, start = 0;
          while (n < 3) {
            const size_t comma = text.find(',', start);
            parts[n++] = as_number(nlohmann::json(text.substr(start, comma - start)), role);
            if (comma == std::string::npos) break;
            start = comma + 1;
          }
          if (role == "rgb_state") {
            if (n != 3) throw Bad{"rgb '" + text.substr(0, 40) + "' is not r,g,b"};
            set_rgb(s, parts[0], parts[1], parts[2]);
          } else {
            if (n != 2) throw Bad{"hs '" + text.substr(0, 40) + "' is not h,s"};
            hs_to_rgb(parts[0], parts[1], c);
            set_rgb(s, c[0], c[1], c[2]);
          }
        } else if (role == "color_temp_state") {
          const double v = as_number(value, "colour temperature");
          s["color_temp_kelvin"] = t.color_temp_kelvin ? v : mireds_to_kelvin(v);
        } else if (role == "position_state") {
          s["position"] = percent_of(as_number(value, "position"), t.position_closed, t.position_open);
          if (!t.has("state")) s["state"] = s["position"].get<double>() > 0 ? "open" : "closed";
        } else if (role == "percentage_state") {
          const double v = as_number(value, "percentage");
          s["percentage"] = v <= 0 ? 0.0 : std::round(1 + (v - t.speed_min) * 99.0 / (t.speed_max - t.speed_min));
        } else if (role == "temperature_state") {
          s["target_temperature_c"] = to_celsius(d, as_number(value, "set point"));
        } else if (role == "current_temperature") {
          s["current_temperature_c"] = to_celsius(d, as_number(value, "temperature"));
        } else if (role == "mode_state") {
          s["state"] = lower(text).substr(0, 40);
        }
      }
    }
  } catch (const Bad& b) {
    return fail(ErrorCode::kBadMessage, topic + ": " + b.message);
  } catch (const nlohmann::json::exception& e) {
    return fail(ErrorCode::kBadMessage, topic + ": " + e.what());
  }
  const bool changed = d.state != device.state || d.available != device.available;
  if (changed) d.state_updated_ms = now_ms();
  device = std::move(d);  // also keeps the per-topic availability words
  return changed;
}

}  // namespace hearth::devices
