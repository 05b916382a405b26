// Home Assistant MQTT discovery and Zigbee2MQTT device lists -> Devices.
#include "hearth/devices/discovery.h"

#include "hearth/devices/commands.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <set>

namespace hearth::devices {

namespace {

constexpr size_t kMaxConfigBytes = 64 * 1024;      // a real config is a few hundred bytes
constexpr size_t kMaxDeviceListBytes = 4 * 1024 * 1024;

// The abbreviations hearth reads (Home Assistant's list has more; unknown keys are ignored).
const std::map<std::string, std::string>& abbreviations() {
  static const std::map<std::string, std::string> k = {
      {"avty", "availability"}, {"avty_mode", "availability_mode"}, {"avty_t", "availability_topic"},
      {"avty_tpl", "availability_template"}, {"bri_cmd_t", "brightness_command_topic"},
      {"bri_scl", "brightness_scale"}, {"bri_stat_t", "brightness_state_topic"},
      {"bri_val_tpl", "brightness_value_template"}, {"bri", "brightness"},
      {"clr_temp_cmd_t", "color_temp_command_topic"}, {"clr_temp_stat_t", "color_temp_state_topic"},
      {"clr_temp_val_tpl", "color_temp_value_template"}, {"clr_temp_k", "color_temp_kelvin"},
      {"clr_temp", "color_temp"}, {"cmd_t", "command_topic"}, {"curr_temp_t", "current_temperature_topic"},
      {"curr_temp_tpl", "current_temperature_template"}, {"dev", "device"}, {"dev_cla", "device_class"},
      {"hs_cmd_t", "hs_command_topic"}, {"hs_stat_t", "hs_state_topic"}, {"json_attr_t", "json_attributes_topic"},
      {"max_temp", "max_temp"}, {"min_temp", "min_temp"}, {"mode_cmd_t", "mode_command_topic"},
      {"mode_stat_t", "mode_state_topic"}, {"mode_stat_tpl", "mode_state_template"}, {"opt", "optimistic"},
      {"pct_cmd_t", "percentage_command_topic"}, {"pct_stat_t", "percentage_state_topic"},
      {"pct_val_tpl", "percentage_value_template"}, {"pl_avail", "payload_available"},
      {"pl_not_avail", "payload_not_available"}, {"pl_cls", "payload_close"}, {"pl_lock", "payload_lock"},
      {"pl_off", "payload_off"}, {"pl_on", "payload_on"}, {"pl_open", "payload_open"},
      {"pl_stop", "payload_stop"}, {"pl_unlk", "payload_unlock"}, {"pl_strt", "payload_start"},
      {"pl_ret", "payload_return_to_base"}, {"pl_paus", "payload_pause"}, {"pos_clsd", "position_closed"},
      {"pos_open", "position_open"}, {"pos_t", "position_topic"}, {"pos_tpl", "position_template"},
      {"rgb_cmd_t", "rgb_command_topic"}, {"rgb_stat_t", "rgb_state_topic"}, {"rgb_val_tpl", "rgb_value_template"},
      {"set_pos_t", "set_position_topic"}, {"spd_rng_min", "speed_range_min"}, {"spd_rng_max", "speed_range_max"},
      {"stat_clsd", "state_closed"}, {"stat_closing", "state_closing"}, {"stat_jam", "state_jammed"},
      {"stat_locked", "state_locked"}, {"stat_locking", "state_locking"}, {"stat_off", "state_off"},
      {"stat_on", "state_on"}, {"stat_open", "state_open"}, {"stat_opening", "state_opening"},
      {"stat_stopped", "state_stopped"}, {"stat_t", "state_topic"}, {"stat_tpl", "state_template"},
      {"stat_unlocked", "state_unlocked"}, {"stat_unlocking", "state_unlocking"},
      {"stat_val_tpl", "state_value_template"}, {"sup_clrm", "supported_color_modes"},
      {"sup_feat", "supported_features"}, {"temp_cmd_t", "temperature_command_topic"},
      {"temp_stat_t", "temperature_state_topic"}, {"temp_stat_tpl", "temperature_state_template"},
      {"temp_unit", "temperature_unit"}, {"t", "topic"}, {"uniq_id", "unique_id"},
      {"unit_of_meas", "unit_of_measurement"}, {"val_tpl", "value_template"}, {"obj_id", "object_id"},
      // inside `device`
      {"ids", "identifiers"}, {"sa", "suggested_area"}, {"mf", "manufacturer"}, {"mdl", "model"},
      {"sw", "sw_version"}, {"hw", "hw_version"}, {"cns", "connections"},
  };
  return k;
}

struct Bad {
  std::string message;
};

nlohmann::json expand(const nlohmann::json& in) {
  nlohmann::json out = nlohmann::json::object();
  for (auto it = in.begin(); it != in.end(); ++it) {
    auto a = abbreviations().find(it.key());
    out[a == abbreviations().end() ? it.key() : a->second] = it.value();
  }
  return out;
}

std::string text(const nlohmann::json& j, const std::string& key, const std::string& fallback = "") {
  if (!j.contains(key) || j[key].is_null()) return fallback;
  if (!j[key].is_string()) throw Bad{"'" + key + "' must be text"};
  return j[key].get<std::string>();
}

double number(const nlohmann::json& j, const std::string& key, double fallback) {
  if (!j.contains(key) || j[key].is_null()) return fallback;
  if (!j[key].is_number()) throw Bad{"'" + key + "' must be a number"};
  return j[key].get<double>();
}

bool flag(const nlohmann::json& j, const std::string& key, bool fallback) {
  if (!j.contains(key) || j[key].is_null()) return fallback;
  if (!j[key].is_boolean()) throw Bad{"'" + key + "' must be true or false"};
  return j[key].get<bool>();
}

void check_topic(const std::string& key, const std::string& topic, bool publish) {
  if (topic.empty()) throw Bad{"'" + key + "' is empty"};
  if (topic.size() > 1024) throw Bad{"'" + key + "' is longer than 1024 characters"};
  if (publish && topic.find_first_of("+#") != std::string::npos) throw Bad{"'" + key + "' has a wildcard"};
  if (topic.find('\0') != std::string::npos) throw Bad{"'" + key + "' has a NUL character"};
}

// "~/set" with "~" = "home/kitchen" -> "home/kitchen/set" (only at the start or the end).
std::string with_base(const std::string& topic, const std::string& base) {
  if (base.empty()) return topic;
  if (!topic.empty() && topic.front() == '~') return base + topic.substr(1);
  if (!topic.empty() && topic.back() == '~') return topic.substr(0, topic.size() - 1) + base;
  return topic;
}

std::string slug(const std::string& s) {
  std::string out;
  for (char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) out += static_cast<char>(std::tolower(u));
    else if (!out.empty() && out.back() != '_') out += '_';
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out.empty() ? "device" : out;
}

std::string words(const std::string& id_part) {
  std::string out = id_part;
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

const std::set<std::string>& ha_components() {
  static const std::set<std::string> k = {"light", "switch", "fan", "cover", "lock", "climate", "valve",
                                          "scene", "sensor", "binary_sensor", "vacuum"};
  return k;
}

}  // namespace

std::string template_key(const std::string& tpl) {
  // {{ value_json.a.b }}, {{value_json['a']}}, {{ value_json["a"].b }}
  static const std::regex whole(R"(^\s*\{\{\s*value_json((?:\.[A-Za-z_][A-Za-z0-9_]*|\[\s*['"][^'"]+['"]\s*\])+)\s*\}\}\s*$)");
  static const std::regex part(R"(\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*['"]([^'"]+)['"]\s*\])");
  std::smatch m;
  if (tpl.size() > 512 || !std::regex_match(tpl, m, whole)) return "";
  const std::string path = m[1].str();
  std::string key;
  for (auto it = std::sregex_iterator(path.begin(), path.end(), part); it != std::sregex_iterator(); ++it) {
    if (!key.empty()) key += '.';
    key += (*it)[1].matched ? (*it)[1].str() : (*it)[2].str();
  }
  return key;
}

bool is_discovery_topic(const std::string& topic, const std::string& prefix) {
  if (topic.rfind(prefix + "/", 0) != 0) return false;
  return topic.size() >= 7 && topic.compare(topic.size() - 7, 7, "/config") == 0;
}

Result<DiscoveryMessage> parse_ha_discovery(const std::string& topic, const std::string& payload, const std::string& prefix) {
  auto bad = [&](const std::string& what) { return fail(ErrorCode::kBadMessage, topic + ": " + what); };
  if (!is_discovery_topic(topic, prefix)) return bad("not a discovery topic");
  // <prefix>/<component>/[<node_id>/]<object_id>/config
  std::vector<std::string> parts;
  size_t start = prefix.size() + 1;
  for (size_t slash; (slash = topic.find('/', start)) != std::string::npos; start = slash + 1)
    parts.push_back(topic.substr(start, slash - start));
  if (parts.size() != 2 && parts.size() != 3) return bad("expected <component>/[<node_id>/]<object_id>/config");
  const std::string component = parts[0];
  for (const auto& p : parts)
    if (p.empty()) return bad("empty topic level");
  if (!ha_components().count(component)) return bad("component '" + component + "' is not supported");
  DiscoveryMessage msg;
  const std::string object = parts.size() == 3 ? parts[1] + "_" + parts[2] : parts[1];
  msg.id = component + "." + slug(object);
  if (payload.empty()) {
    msg.removal = true;
    return msg;
  }
  if (payload.size() > kMaxConfigBytes) return bad("config of " + std::to_string(payload.size()) + " bytes is too large");
  nlohmann::json raw = nlohmann::json::parse(payload, nullptr, false);
  if (raw.is_discarded()) return bad("config is not valid JSON");
  if (!raw.is_object()) return bad("config must be a JSON object");
  try {
    const nlohmann::json c = expand(raw);
    const std::string base = text(c, "~");
    Device& d = msg.device;
    Transport& t = d.transport;
    d.id = msg.id;
    d.domain = component;
    d.source = "discovery";
    nlohmann::json dev = nlohmann::json::object();
    if (c.contains("device")) {
      if (!c["device"].is_object()) throw Bad{"'device' must be an object"};
      dev = expand(c["device"]);
    }
    d.name = text(c, "name");
    if (d.name.empty()) d.name = text(dev, "name");
    if (d.name.empty()) d.name = words(parts.back());
    if (d.name.size() > 200) throw Bad{"'name' is longer than 200 characters"};
    d.area = text(dev, "suggested_area");
    d.device_class = text(c, "device_class");
    t.schema = Schema::kHaDefault;
    if (component == "light" && text(c, "schema", "default") == "json") t.schema = Schema::kHaJson;
    else if (component == "light" && text(c, "schema", "default") != "default")
      throw Bad{"light schema '" + text(c, "schema") + "' is not supported (default or json)"};

    static const std::vector<std::pair<const char*, const char*>> kTopics = {
        {"command_topic", "command"}, {"state_topic", "state"}, {"brightness_command_topic", "brightness_command"},
        {"brightness_state_topic", "brightness_state"}, {"rgb_command_topic", "rgb_command"},
        {"rgb_state_topic", "rgb_state"}, {"hs_command_topic", "hs_command"}, {"hs_state_topic", "hs_state"},
        {"color_temp_command_topic", "color_temp_command"}, {"color_temp_state_topic", "color_temp_state"},
        {"set_position_topic", "position_command"}, {"position_topic", "position_state"},
        {"temperature_command_topic", "temperature_command"}, {"temperature_state_topic", "temperature_state"},
        {"current_temperature_topic", "current_temperature"}, {"mode_command_topic", "mode_command"},
        {"mode_state_topic", "mode_state"}, {"percentage_command_topic", "percentage_command"},
        {"percentage_state_topic", "percentage_state"}, {"json_attributes_topic", "json_attributes"}};
    for (const auto& [key, role] : kTopics) {
      const std::string v = with_base(text(c, key), base);
      if (v.empty()) continue;
      check_topic(key, v, std::string(role).find("command") != std::string::npos);
      t.topics[role] = v;
    }
    static const std::vector<std::pair<const char*, const char*>> kTemplates = {
        {"value_template", "state"}, {"state_value_template", "state"}, {"brightness_value_template", "brightness_state"},
        {"rgb_value_template", "rgb_state"}, {"color_temp_value_template", "color_temp_state"},
        {"position_template", "position_state"}, {"temperature_state_template", "temperature_state"},
        {"current_temperature_template", "current_temperature"}, {"mode_state_template", "mode_state"},
        {"percentage_value_template", "percentage_state"}};
    for (const auto& [key, role] : kTemplates) {
      const std::string tpl = text(c, key);
      if (tpl.empty()) continue;
      const std::string k = template_key(tpl);
      if (k.empty()) throw Bad{"'" + std::string(key) + "' is not a plain value_json lookup (hearth does not run templates)"};
      t.value_keys[role] = k;
    }
    if (component == "vacuum" && !t.value_keys.count("state")) t.value_keys["state"] = "state";  // HA's vacuum state is JSON
    static const std::vector<std::string> kWords = {
        "payload_on", "payload_off", "payload_open", "payload_close", "payload_stop", "payload_lock", "payload_unlock",
        "payload_start", "payload_pause", "payload_return_to_base", "state_on", "state_off", "state_open",
        "state_opening", "state_closed", "state_closing", "state_stopped", "state_locked", "state_unlocked",
        "state_jammed", "state_locking", "state_unlocking"};
    for (const std::string& key : kWords) {
      if (!c.contains(key) || c[key].is_null()) continue;
      const auto& v = c[key];
      const std::string word = key.rfind("payload_", 0) == 0 ? key.substr(8) : key;
      if (v.is_string()) t.payloads[word] = v.get<std::string>();
      else if (v.is_number() || v.is_boolean()) t.payloads[word] = v.dump();
      else throw Bad{"'" + key + "' must be text"};
    }
    // Range-checked as a number first: a cast of a huge or NaN value to int is undefined.
    const double scale = number(c, "brightness_scale", 255);
    if (!(scale >= 1 && scale <= 65535)) throw Bad{"'brightness_scale' must be 1-65535"};
    t.brightness_scale = static_cast<int>(scale);
    t.color_temp_kelvin = flag(c, "color_temp_kelvin", false);
    t.position_open = number(c, "position_open", 100);
    t.position_closed = number(c, "position_closed", 0);
    if (t.position_open == t.position_closed) throw Bad{"'position_open' equals 'position_closed'"};
    t.speed_min = number(c, "speed_range_min", 1);
    t.speed_max = number(c, "speed_range_max", 100);
    if (t.speed_min < 1 || t.speed_max <= t.speed_min) throw Bad{"'speed_range_min/max' must be 1 <= min < max"};
    t.temperature_unit = text(c, "temperature_unit", "C");
    if (t.temperature_unit == "°C") t.temperature_unit = "C";
    if (t.temperature_unit == "°F") t.temperature_unit = "F";
    if (t.temperature_unit != "C" && t.temperature_unit != "F") throw Bad{"'temperature_unit' must be C or F"};
    if (component == "climate") {
      const bool f = t.temperature_unit == "F";
      double lo = number(c, "min_temp", f ? 45 : 7), hi = number(c, "max_temp", f ? 95 : 35);
      if (f) lo = f_to_c(lo), hi = f_to_c(hi);
      if (!(lo < hi)) throw Bad{"'min_temp' must be below 'max_temp'"};
      d.min_temp_c = lo;
      d.max_temp_c = hi;
      d.features.push_back("temperature");
    }
    const std::string unit = text(c, "unit_of_measurement");
    if (!unit.empty()) d.state["unit"] = unit;

    // Availability: one topic, or a list of them.
    if (c.contains("availability_topic")) {
      AvailabilityTopic a;
      a.topic = with_base(text(c, "availability_topic"), base);
      check_topic("availability_topic", a.topic, false);
      a.payload_available = text(c, "payload_available", "online");
      a.payload_not_available = text(c, "payload_not_available", "offline");
      if (c.contains("availability_template")) a.value_key = template_key(text(c, "availability_template"));
      t.availability.push_back(a);
    }
    if (c.contains("availability")) {
      if (!c["availability"].is_array()) throw Bad{"'availability' must be a list"};
      if (c["availability"].size() > 16) throw Bad{"'availability' lists more than 16 topics"};
      for (const auto& item : c["availability"]) {
        if (!item.is_object()) throw Bad{"'availability' entries must be objects"};
        const nlohmann::json e = expand(item);
        AvailabilityTopic a;
        a.topic = with_base(text(e, "topic"), base);
        check_topic("availability.topic", a.topic, false);
        a.payload_available = text(e, "payload_available", "online");
        a.payload_not_available = text(e, "payload_not_available", "offline");
        if (e.contains("value_template")) a.value_key = template_key(text(e, "value_template"));
        t.availability.push_back(a);
      }
    }
    t.availability_mode = text(c, "availability_mode", "latest");
    if (t.availability_mode != "latest" && t.availability_mode != "all" && t.availability_mode != "any")
      throw Bad{"'availability_mode' must be all, any or latest"};
    if (!t.availability.empty()) d.available = false;  // until the availability topic says so

    // What it can do.
    if (component == "light") {
      if (t.schema == Schema::kHaJson) {
        std::set<std::string> modes;
        if (c.contains("supported_color_modes")) {
          if (!c["supported_color_modes"].is_array()) throw Bad{"'supported_color_modes' must be a list"};
          for (const auto& m : c["supported_color_modes"])
            if (m.is_string()) modes.insert(m.get<std::string>());
        }
        if (flag(c, "brightness", false) || modes.count("brightness") || modes.size() > (modes.count("onoff") ? 1u : 0u))
          d.features.push_back("brightness");
        if (modes.count("rgb") || modes.count("hs") || modes.count("xy") || modes.count("rgbw") || modes.count("rgbww") ||
            flag(c, "rgb", false))
          d.features.push_back("color");
        if (modes.count("color_temp") || flag(c, "color_temp", false)) d.features.push_back("color_temp");
      } else {
        if (t.has("brightness_command")) d.features.push_back("brightness");
        if (t.has("rgb_command") || t.has("hs_command")) d.features.push_back("color");
        if (t.has("color_temp_command")) d.features.push_back("color_temp");
      }
    } else if (component == "cover" && t.has("position_command")) {
      d.features.push_back("position");
    } else if (component == "fan" && t.has("percentage_command")) {
      d.features.push_back("speed");
    }
    static const std::set<std::string> kNeedCommand = {"light", "switch", "fan", "lock", "scene", "valve", "vacuum"};
    if (kNeedCommand.count(component) && !t.has("command")) throw Bad{"'command_topic' is required for a " + component};
    if ((component == "sensor" || component == "binary_sensor") && !t.has("state"))
      throw Bad{"'state_topic' is required for a " + component};
    if (component == "scene" && !t.payloads.count("on")) t.payloads["on"] = "ON";
  } catch (const Bad& b) {
    return bad(b.message);
  } catch (const nlohmann::json::exception& e) {
    return bad(std::string("unexpected value: ") + e.what());
  }
  return msg;
}

// --- Zigbee2MQTT --------------------------------------------------------------------------------

namespace {

const nlohmann::json* feature(const nlohmann::json& expose, const std::string& name) {
  if (!expose.contains("features") || !expose["features"].is_array()) return nullptr;
  for (const auto& f : expose["features"])
    if (f.is_object() && f.contains("name") && f["name"].is_string() && f["name"].get<std::string>() == name) return &f;
  return nullptr;
}

std::string property_of(const nlohmann::json& f) {
  if (f.contains("property") && f["property"].is_string()) return f["property"].get<std::string>();
  return f.contains("name") && f["name"].is_string() ? f["name"].get<std::string>() : std::string();
}

Result<std::vector<Device>> z2m_devices(const std::string& payload, const std::string& z2m_base) {
  const std::string topic = z2m_base + "/bridge/devices";
  auto bad = [&](const std::string& what) { return fail(ErrorCode::kBadMessage, topic + ": " + what); };
  if (payload.size() > kMaxDeviceListBytes) return bad("device list of " + std::to_string(payload.size()) + " bytes is too large");
  nlohmann::json list = nlohmann::json::parse(payload, nullptr, false);
  if (list.is_discarded()) return bad("not valid JSON");
  if (!list.is_array()) return bad("must be a JSON list of devices");
  std::vector<Device> out;
  size_t index = 0;
  for (const auto& z : list) {
    ++index;
    if (!z.is_object()) return bad("device " + std::to_string(index) + " is not an object");
    if (z.value("type", std::string()) == "Coordinator") continue;
    if (!z.contains("friendly_name") || !z["friendly_name"].is_string()) return bad("device " + std::to_string(index) + " has no friendly_name");
    if (!z.contains("definition") || !z["definition"].is_object()) continue;  // not interviewed yet
    if (z.value("disabled", false)) continue;
    const std::string friendly = z["friendly_name"].get<std::string>();
    if (friendly.empty() || friendly.size() > 200 || friendly.find_first_of("+#") != std::string::npos)
      return bad("device " + std::to_string(index) + " has an unusable friendly_name");
    const auto& exposes = z["definition"].value("exposes", nlohmann::json::array());
    if (!exposes.is_array()) return bad(friendly + ": 'exposes' must be a list");

    Device base;
    base.source = "zigbee2mqtt";
    // "kitchen/ceiling light" is the usual way to put a room in a friendly name.
    const size_t slash = friendly.rfind('/');
    base.name = slash == std::string::npos ? friendly : friendly.substr(slash + 1);
    if (slash != std::string::npos) base.area = friendly.substr(0, slash);
    std::replace(base.area.begin(), base.area.end(), '/', ' ');
    Transport& t = base.transport;
    t.schema = Schema::kZigbee2Mqtt;
    t.z2m_name = friendly;
    t.topics["command"] = z2m_base + "/" + friendly + "/set";
    t.topics["state"] = z2m_base + "/" + friendly;
    t.brightness_scale = 254;
    AvailabilityTopic avail;
    avail.topic = z2m_base + "/" + friendly + "/availability";
    avail.value_key = "state";
    t.availability.push_back(avail);

    bool actuator = false;
    for (const auto& e : exposes) {
      if (!e.is_object()) continue;
      const std::string type = e.value("type", std::string());
      static const std::set<std::string> kKinds = {"light", "switch", "cover", "lock", "climate", "fan"};
      if (!kKinds.count(type) || actuator) continue;
      actuator = true;
      Device d = base;
      d.domain = type;
      d.id = type + "." + slug(friendly);
      if (const auto* f = feature(e, "state")) {
        d.transport.z2m_props["state"] = property_of(*f);
        if (f->contains("value_on")) d.transport.payloads["state_on"] = (*f)["value_on"].is_string() ? (*f)["value_on"].get<std::string>() : (*f)["value_on"].dump();
        if (f->contains("value_off")) d.transport.payloads["state_off"] = (*f)["value_off"].is_string() ? (*f)["value_off"].get<std::string>() : (*f)["value_off"].dump();
      }
      if (const auto* f = feature(e, "brightness")) {
        d.transport.z2m_props["brightness"] = property_of(*f);
        // A value_max that is not a sensible scale (missing, huge, below 1) falls back to
        // Zigbee's 254; checked before the cast to int, which is undefined for huge values.
        const auto& max = f->contains("value_max") ? (*f)["value_max"] : nlohmann::json();
        const double scale = max.is_number() ? max.get<double>() : 254.0;
        d.transport.brightness_scale = scale >= 1 && scale <= 65535 ? static_cast<int>(scale) : 254;
        d.features.push_back("brightness");
      }
      if (const auto* f = feature(e, "color_temp")) {
        d.transport.z2m_props["color_temp"] = property_of(*f);
        d.features.push_back("color_temp");
      }
      if (feature(e, "color_xy") || feature(e, "color_hs")) {
        d.transport.z2m_props["color"] = "color";
        d.features.push_back("color");
      }
      if (const auto* f = feature(e, "position")) {
        d.transport.z2m_props["position"] = property_of(*f);
        d.features.push_back("position");
      }
      if (type == "lock") {
        if (const auto* f = feature(e, "lock_state")) d.transport.z2m_props["lock_state"] = property_of(*f);
      }
      if (type == "climate") {
        for (const char* sp : {"current_heating_setpoint", "occupied_heating_setpoint"})
          if (const auto* f = feature(e, sp)) {
            d.transport.z2m_props["target_temperature"] = property_of(*f);
            d.min_temp_c = f->value("value_min", 7.0);
            d.max_temp_c = f->value("value_max", 35.0);
            d.features.push_back("temperature");
            break;
          }
        if (const auto* f = feature(e, "local_temperature")) d.transport.z2m_props["current_temperature"] = property_of(*f);
        if (const auto* f = feature(e, "system_mode")) d.transport.z2m_props["mode"] = property_of(*f);
      }
      if (type == "cover") d.device_class = "blind";
      out.push_back(std::move(d));
    }
    if (actuator) continue;
    // Sensors: one device per reading people ask about.
    static const std::map<std::string, std::pair<const char*, const char*>> kReadings = {
        {"temperature", {"sensor", "temperature"}},  {"humidity", {"sensor", "humidity"}},
        {"illuminance", {"sensor", "illuminance"}},  {"power", {"sensor", "power"}},
        {"occupancy", {"binary_sensor", "occupancy"}}, {"contact", {"binary_sensor", "opening"}},
        {"water_leak", {"binary_sensor", "moisture"}}, {"smoke", {"binary_sensor", "smoke"}}};
    std::vector<std::string> seen;
    for (const auto& e : exposes) {
      if (!e.is_object()) continue;
      const std::string name = e.value("name", std::string());
      auto it = kReadings.find(name);
      if (it == kReadings.end() || std::count(seen.begin(), seen.end(), name)) continue;
      seen.push_back(name);
      Device d = base;
      d.domain = it->second.first;
      d.device_class = it->second.second;
      d.id = d.domain + "." + slug(friendly) + (seen.size() > 1 ? "_" + name : "");
      if (seen.size() > 1) d.name = base.name + " " + words(name);
      d.transport.z2m_props["value"] = property_of(e);
      if (name == "contact") {  // contact true means closed
        d.transport.payloads["state_on"] = "false";
        d.transport.payloads["state_off"] = "true";
      } else if (d.domain == "binary_sensor") {
        d.transport.payloads["state_on"] = e.contains("value_on") ? e["value_on"].dump() : "true";
        d.transport.payloads["state_off"] = e.contains("value_off") ? e["value_off"].dump() : "false";
      }
      if (e.contains("unit") && e["unit"].is_string()) d.state["unit"] = e["unit"].get<std::string>();
      out.push_back(std::move(d));
    }
  }
  return out;
}

}  // namespace

Result<std::vector<Device>> parse_z2m_devices(const std::string& payload, const std::string& z2m_base) {
  // A field of an unexpected JSON type (a number where a name belongs) makes the list bad, not
  // the process.
  try {
    return z2m_devices(payload, z2m_base);
  } catch (const nlohmann::json::exception& e) {
    return fail(ErrorCode::kBadMessage, z2m_base + "/bridge/devices: unexpected value: " + e.what());
  }
}

}  // namespace hearth::devices
