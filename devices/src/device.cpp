// Device helpers: names of enums, JSON and one-line descriptions.
#include "hearth/devices/device.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "hearth/devices/error.h"

namespace hearth::devices {

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kBadMessage: return "bad message";
    case ErrorCode::kUnsupported: return "not supported";
    case ErrorCode::kUnknownDevice: return "unknown device";
    case ErrorCode::kBadValue: return "bad value";
    case ErrorCode::kNotConnected: return "not connected";
    case ErrorCode::kMqtt: return "MQTT error";
    case ErrorCode::kStorage: return "storage error";
    case ErrorCode::kBadSettings: return "bad MQTT settings";
  }
  return "error";
}

const char* to_string(Schema schema) {
  switch (schema) {
    case Schema::kNone: return "none";
    case Schema::kHaDefault: return "ha-default";
    case Schema::kHaJson: return "ha-json";
    case Schema::kZigbee2Mqtt: return "zigbee2mqtt";
  }
  return "none";
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Transport::topic(const std::string& role) const {
  auto it = topics.find(role);
  return it == topics.end() ? std::string() : it->second;
}

std::string Transport::payload(const std::string& word, const std::string& fallback) const {
  auto it = payloads.find(word);
  return it == payloads.end() ? fallback : it->second;
}

bool Device::has_feature(const std::string& feature) const {
  return std::find(features.begin(), features.end(), feature) != features.end();
}

bool is_active(const Device& d) {
  const std::string s = d.state.value("state", std::string());
  return s == "on" || s == "open" || s == "opening" || s == "locked" || s == "locking" || s == "cleaning";
}

bool Device::optimistic() const {
  if (transport.schema == Schema::kZigbee2Mqtt) return false;
  if (transport.schema == Schema::kNone) return true;
  for (const auto& [role, topic] : transport.topics)
    if (role.find("command") == std::string::npos && role != "json_attributes") return false;
  return true;
}

std::string format_number(double v) {
  if (std::fabs(v - std::round(v)) < 0.05) return std::to_string(static_cast<long long>(std::llround(v)));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string describe_state(const Device& d) {
  std::string out = d.name;
  if (!d.area.empty()) out += " (" + d.area + ")";
  out += ": ";
  if (!d.available) return out + "unavailable";
  const DeviceState& s = d.state;
  std::vector<std::string> parts;
  if (s.contains("state") && s["state"].is_string()) parts.push_back(s["state"].get<std::string>());
  if (s.contains("value") && s["value"].is_number())
    parts.push_back(format_number(s["value"].get<double>()) + (s.contains("unit") ? " " + s["unit"].get<std::string>() : ""));
  if (s.contains("brightness")) parts.push_back("brightness " + format_number(s["brightness"].get<double>()) + "%");
  if (s.contains("color_temp_kelvin")) parts.push_back(format_number(s["color_temp_kelvin"].get<double>()) + " K");
  if (s.contains("rgb") && s["rgb"].is_array() && s["rgb"].size() == 3)
    parts.push_back("rgb " + s["rgb"].dump());
  if (s.contains("position")) parts.push_back("position " + format_number(s["position"].get<double>()) + "%");
  if (s.contains("percentage")) parts.push_back("speed " + format_number(s["percentage"].get<double>()) + "%");
  if (s.contains("current_temperature_c")) parts.push_back(format_number(s["current_temperature_c"].get<double>()) + " °C now");
  if (s.contains("target_temperature_c")) parts.push_back("set to " + format_number(s["target_temperature_c"].get<double>()) + " °C");
  if (parts.empty()) parts.push_back(d.optimistic() && d.state_updated_ms == 0 ? "state unknown" : "no state yet");
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
  return out;
}

nlohmann::json to_json(const Device& d) {
  nlohmann::json j = {{"id", d.id},
                      {"name", d.name},
                      {"aliases", d.aliases},
                      {"area", d.area},
                      {"domain", d.domain},
                      {"device_class", d.device_class},
                      {"features", d.features},
                      {"expose", d.expose},
                      {"source", d.source},
                      {"schema", to_string(d.transport.schema)},
                      {"available", d.available},
                      {"state", d.state},
                      {"optimistic", d.optimistic()}};
  if (d.state_updated_ms) j["state_updated_ms"] = d.state_updated_ms;
  if (d.domain == "climate") {
    j["min_temp_c"] = d.min_temp_c;
    j["max_temp_c"] = d.max_temp_c;
  }
  return j;
}

}  // namespace hearth::devices
