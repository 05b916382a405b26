// The simulated home: device definitions, their behaviour, and the MQTT they speak.
#include "hearth/devices/simulator.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "hearth/devices/commands.h"
#include "hearth/devices/discovery.h"

namespace hearth::devices {

namespace {

enum class Proto { kHa, kHaJson, kZ2m };

struct SimDevice {
  std::string id;         // hearth's id for it
  std::string name, area, component, device_class;
  Proto proto = Proto::kHa;
  std::string base;       // HA: topic base ("~"); Z2M: friendly name
  std::vector<std::string> features;  // brightness, color, color_temp, position, speed
  // Live values in the device's own terms.
  bool on = false;
  int brightness = 255;   // 0-255 (HA) / 0-254 (Z2M)
  int mireds = 370;
  int rgb[3] = {255, 255, 255};
  double position = 0, target_position = 0;  // covers, valves: 0 closed .. 100 open
  double current_temp = 20.0, target_temp = 20.0;
  std::string lock_state = "LOCKED";
  std::string vacuum_state = "docked";
  double vacuum_since = 0;
  int percentage = 0;
  double value = 0;       // sensors
  bool offline = false;
  int commands = 0;

  bool has(const char* f) const { return std::find(features.begin(), features.end(), f) != features.end(); }
};

std::string cover_state(const SimDevice& d) {
  if (d.position < d.target_position - 0.01) return "opening";
  if (d.position > d.target_position + 0.01) return "closing";
  return d.position > 0 ? "open" : "closed";
}

}  // namespace

struct Simulator::Impl {
  SimOptions opt;
  std::unique_ptr<MqttClient> client;
  mutable std::mutex mu;
  std::vector<SimDevice> devices;
  std::map<std::string, size_t> by_command_topic;
  bool jam = false;
  std::thread ticker;
  std::mutex tick_mu;
  std::condition_variable tick_cv;
  bool stopping = false;
  double clock_s = 0;

  void pub(const std::string& topic, const std::string& payload, bool retain = true) {
    client->publish(Publish{topic, payload, 1, retain});
  }

  // --- definitions ---
  void define() {
    auto ha = [&](std::string id, std::string name, std::string area, std::string component, std::vector<std::string> features,
                  std::string device_class = "", Proto proto = Proto::kHa) {
      SimDevice d;
      d.id = component + "." + id;
      d.name = std::move(name);
      d.area = std::move(area);
      d.component = std::move(component);
      d.features = std::move(features);
      d.device_class = std::move(device_class);
      d.proto = proto;
      d.base = "sim/" + id;
      devices.push_back(d);
      return &devices.back();
    };
    auto z2m = [&](std::string friendly, std::string component, std::vector<std::string> features) {
      SimDevice d;
      d.name = friendly.substr(friendly.rfind('/') + 1);
      d.area = friendly.substr(0, friendly.rfind('/'));
      d.component = std::move(component);
      d.features = std::move(features);
      d.proto = Proto::kZ2m;
      d.base = friendly;
      std::string slug;
      for (char c : friendly) slug += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
      std::string clean;
      for (char c : slug)
        if (c != '_' || (!clean.empty() && clean.back() != '_')) clean += c;
      d.id = (d.component == "sensor" || d.component == "binary_sensor" ? d.component : d.component) + "." + clean;
      devices.push_back(d);
      return &devices.back();
    };
    devices.reserve(32);
    // Ground floor
    ha("kitchen_ceiling", "kitchen ceiling light", "kitchen", "light", {"brightness", "color_temp"});
    ha("counter_lights", "counter lights", "kitchen", "light", {});
    ha("floor_lamp", "floor lamp", "living room", "light", {"brightness", "color", "color_temp"}, "", Proto::kHaJson);
    ha("living_room_ceiling", "living room ceiling light", "living room", "light", {"brightness", "color"});
    ha("tv_plug", "tv plug", "living room", "switch", {}, "outlet");
    ha("ceiling_fan", "ceiling fan", "living room", "fan", {"speed"});
    ha("movie_night", "movie night", "living room", "scene", {});
    ha("thermostat", "thermostat", "living room", "climate", {})->target_temp = 20.5;
    ha("robot_vacuum", "robot vacuum", "living room", "vacuum", {});
    ha("dining_light", "dining table light", "dining room", "light", {"brightness"});
    ha("hallway_light", "hallway light", "hallway", "light", {"brightness"});
    ha("front_door", "front door", "hallway", "lock", {});
    ha("front_door_contact", "front door sensor", "hallway", "binary_sensor", {}, "door");
    ha("garage_door", "garage door", "garage", "cover", {"position"}, "garage");
    ha("garage_light", "garage light", "garage", "light", {});
    ha("garden_sprinkler", "garden sprinkler", "garden", "valve", {}, "water");
    ha("outside_temperature", "outside temperature", "garden", "sensor", {}, "temperature")->value = 11.5;
    ha("outside_humidity", "outside humidity", "garden", "sensor", {}, "humidity")->value = 72;
    z2m("hallway/motion sensor", "binary_sensor", {});
    // Upstairs
    z2m("bedroom/bedside lamp", "light", {"brightness", "color_temp", "color"});
    ha("bedroom_blinds", "bedroom blinds", "bedroom", "cover", {"position"}, "blind");
    z2m("bedroom/radiator", "climate", {})->target_temp = 19;
    z2m("kids room/blind", "cover", {"position"});
    z2m("office/desk plug", "switch", {});
    ha("office_light", "office light", "office", "light", {"brightness"}, "", Proto::kHaJson);
    z2m("bathroom/climate sensor", "sensor", {})->value = 23.4;
    ha("bathroom_light", "bathroom light", "bathroom", "light", {});
    for (auto& d : devices) {
      if (d.component == "climate") d.current_temp = d.target_temp - 1.5;
      if (d.proto == Proto::kZ2m) by_command_topic[opt.z2m_base + "/" + d.base + "/set"] = static_cast<size_t>(&d - devices.data());
    }
  }

  // --- announcements ---
  nlohmann::json ha_config(const SimDevice& d) {
    // Abbreviated keys and "~" for some devices, full keys for others: both are what real
    // devices send.
    const bool abbreviated = d.id.size() % 2 == 0;
    auto k = [&](const char* full, const char* abbr) { return std::string(abbreviated ? abbr : full); };
    auto topic = [&](const std::string& suffix) { return abbreviated ? "~/" + suffix : d.base + "/" + suffix; };
    nlohmann::json c;
    if (abbreviated) c["~"] = d.base;
    c["name"] = d.name;
    c[k("unique_id", "uniq_id")] = "hearth_sim_" + d.id;
    c[k("device", "dev")] = {{k("identifiers", "ids"), {"hearth_sim_" + d.id}}, {k("suggested_area", "sa"), d.area},
                             {"name", d.name}, {k("manufacturer", "mf"), "hearth simulator"}};
    c[k("availability_topic", "avty_t")] = topic("availability");
    if (!d.device_class.empty() && d.component != "valve") c[k("device_class", "dev_cla")] = d.device_class;
    const std::string& comp = d.component;
    if (d.proto == Proto::kHaJson) {
      c["schema"] = "json";
      c[k("command_topic", "cmd_t")] = topic("set");
      c[k("state_topic", "stat_t")] = topic("state");
      nlohmann::json modes = nlohmann::json::array();
      if (d.has("color")) modes.push_back("rgb");
      if (d.has("color_temp")) modes.push_back("color_temp");
      if (modes.empty()) modes.push_back("brightness");
      c[k("supported_color_modes", "sup_clrm")] = modes;
      c["brightness"] = d.has("brightness");
      return c;
    }
    if (comp == "light" || comp == "switch" || comp == "fan") {
      c[k("command_topic", "cmd_t")] = topic("set");
      c[k("state_topic", "stat_t")] = topic("state");
      if (d.has("brightness")) {
        c[k("brightness_command_topic", "bri_cmd_t")] = topic("brightness/set");
        c[k("brightness_state_topic", "bri_stat_t")] = topic("brightness");
      }
      if (d.has("color_temp")) {
        c[k("color_temp_command_topic", "clr_temp_cmd_t")] = topic("color_temp/set");
        c[k("color_temp_state_topic", "clr_temp_stat_t")] = topic("color_temp");
      }
      if (d.has("color")) {
        c[k("rgb_command_topic", "rgb_cmd_t")] = topic("rgb/set");
        c[k("rgb_state_topic", "rgb_stat_t")] = topic("rgb");
      }
      if (d.has("speed")) {
        c[k("percentage_command_topic", "pct_cmd_t")] = topic("percentage/set");
        c[k("percentage_state_topic", "pct_stat_t")] = topic("percentage");
      }
    } else if (comp == "cover" || comp == "valve") {
      c[k("command_topic", "cmd_t")] = topic("set");
      c[k("state_topic", "stat_t")] = topic("state");
      if (d.has("position")) {
        c[k("set_position_topic", "set_pos_t")] = topic("position/set");
        c[k("position_topic", "pos_t")] = topic("position");
      }
    } else if (comp == "lock") {
      c[k("command_topic", "cmd_t")] = topic("set");
      c[k("state_topic", "stat_t")] = topic("state");
    } else if (comp == "climate") {
      c[k("temperature_command_topic", "temp_cmd_t")] = topic("target/set");
      c[k("temperature_state_topic", "temp_stat_t")] = topic("target");
      c[k("current_temperature_topic", "curr_temp_t")] = topic("current");
      c[k("mode_state_topic", "mode_stat_t")] = topic("mode");
      c["min_temp"] = 7;
      c["max_temp"] = 30;
      c[k("temperature_unit", "temp_unit")] = "C";
    } else if (comp == "scene") {
      c[k("command_topic", "cmd_t")] = topic("set");
      c[k("payload_on", "pl_on")] = "ACTIVATE";
    } else if (comp == "sensor") {
      c[k("state_topic", "stat_t")] = topic("state");
      c[k("unit_of_measurement", "unit_of_meas")] = d.device_class == "temperature" ? "°C" : "%";
    } else if (comp == "binary_sensor") {
      c[k("state_topic", "stat_t")] = topic("state");
    } else if (comp == "vacuum") {
      c[k("command_topic", "cmd_t")] = topic("command");
      c[k("state_topic", "stat_t")] = topic("state");
    }
    return c;
  }

  nlohmann::json z2m_list() {
    nlohmann::json list = nlohmann::json::array();
    list.push_back({{"ieee_address", "0x00124b0000000000"}, {"type", "Coordinator"}, {"friendly_name", "Coordinator"}});
    int n = 1;
    for (const auto& d : devices) {
      if (d.proto != Proto::kZ2m) continue;
      nlohmann::json exposes = nlohmann::json::array();
      auto bin = [](const char* name, nlohmann::json on, nlohmann::json off) {
        return nlohmann::json{{"type", "binary"}, {"name", name}, {"property", name}, {"value_on", on}, {"value_off", off}};
      };
      auto numeric = [](const char* name, double lo, double hi, const char* unit) {
        nlohmann::json j = {{"type", "numeric"}, {"name", name}, {"property", name}, {"value_min", lo}, {"value_max", hi}};
        if (*unit) j["unit"] = unit;
        return j;
      };
      if (d.component == "light") {
        nlohmann::json f = nlohmann::json::array({bin("state", "ON", "OFF"), numeric("brightness", 0, 254, "")});
        if (d.has("color_temp")) f.push_back(numeric("color_temp", 150, 500, "mired"));
        if (d.has("color")) f.push_back({{"type", "composite"}, {"name", "color_xy"}, {"property", "color"}});
        exposes.push_back({{"type", "light"}, {"features", f}});
      } else if (d.component == "switch") {
        exposes.push_back({{"type", "switch"}, {"features", nlohmann::json::array({bin("state", "ON", "OFF")})}});
      } else if (d.component == "cover") {
        exposes.push_back({{"type", "cover"},
                           {"features", nlohmann::json::array({{{"type", "enum"}, {"name", "state"}, {"property", "state"}},
                                                               numeric("position", 0, 100, "%")})}});
      } else if (d.component == "climate") {
        exposes.push_back({{"type", "climate"},
                           {"features", nlohmann::json::array({numeric("current_heating_setpoint", 5, 30, "°C"),
                                                               numeric("local_temperature", -10, 50, "°C"),
                                                               {{"type", "enum"}, {"name", "system_mode"}, {"property", "system_mode"}}})}});
      } else if (d.component == "sensor") {
        exposes.push_back(numeric("temperature", -40, 80, "°C"));
        exposes.push_back(numeric("humidity", 0, 100, "%"));
      } else if (d.component == "binary_sensor") {
        exposes.push_back(bin("occupancy", true, false));
      }
      char ieee[32];
      std::snprintf(ieee, sizeof ieee, "0x00158d00000000%02x", n++);
      list.push_back({{"ieee_address", ieee}, {"type", "EndDevice"}, {"friendly_name", d.base}, {"supported", true},
                      {"disabled", false},
                      {"definition", {{"model", "SIM-" + d.component}, {"vendor", "hearth"}, {"description", "simulated " + d.component},
                                      {"exposes", exposes}}}});
    }
    return list;
  }

  void announce() {
    for (const auto& d : devices) {
      if (d.proto == Proto::kZ2m) continue;
      pub(opt.discovery_prefix + "/" + d.component + "/" + d.id.substr(d.id.find('.') + 1) + "/config", ha_config(d).dump());
      by_command_topic[d.base + "/set"] = static_cast<size_t>(&d - devices.data());
    }
    pub(opt.z2m_base + "/bridge/devices", z2m_list().dump());
    for (auto& d : devices) {
      publish_availability(d);
      publish_state(d);
    }
  }

  void publish_availability(const SimDevice& d) {
    if (d.proto == Proto::kZ2m) pub(opt.z2m_base + "/" + d.base + "/availability", nlohmann::json{{"state", d.offline ? "offline" : "online"}}.dump());
    else pub(d.base + "/availability", d.offline ? "offline" : "online");
  }

  void publish_state(const SimDevice& d) {
    const std::string& comp = d.component;
    if (d.proto == Proto::kZ2m) {
      nlohmann::json s;
      if (comp == "light" || comp == "switch") s["state"] = d.on ? "ON" : "OFF";
      if (comp == "light") {
        s["brightness"] = d.brightness;
        if (d.has("color_temp")) s["color_temp"] = d.mireds;
        if (d.has("color")) {
          double h = 0, sat = 0;
          rgb_to_hs(d.rgb, h, sat);
          s["color"] = {{"hue", std::round(h)}, {"saturation", std::round(sat)}};
        }
      }
      if (comp == "cover") {
        s["position"] = std::lround(d.position);
        s["state"] = d.position > 0 ? "OPEN" : "CLOSE";
      }
      if (comp == "climate") {
        s["current_heating_setpoint"] = d.target_temp;
        s["local_temperature"] = std::round(d.current_temp * 10) / 10;
        s["system_mode"] = "heat";
      }
      if (comp == "sensor") {
        s["temperature"] = std::round(d.value * 10) / 10;
        s["humidity"] = 55;
      }
      if (comp == "binary_sensor") s["occupancy"] = d.on;
      pub(opt.z2m_base + "/" + d.base, s.dump());
      return;
    }
    const std::string b = d.base + "/";
    if (d.proto == Proto::kHaJson) {
      nlohmann::json s = {{"state", d.on ? "ON" : "OFF"}};
      if (d.has("brightness")) s["brightness"] = d.brightness;
      if (d.has("color")) s["color"] = {{"r", d.rgb[0]}, {"g", d.rgb[1]}, {"b", d.rgb[2]}};
      if (d.has("color_temp")) s["color_temp"] = d.mireds;
      pub(b + "state", s.dump());
      return;
    }
    if (comp == "light" || comp == "switch" || comp == "fan") {
      pub(b + "state", d.on ? "ON" : "OFF");
      if (d.has("brightness")) pub(b + "brightness", std::to_string(d.brightness));
      if (d.has("color_temp")) pub(b + "color_temp", std::to_string(d.mireds));
      if (d.has("color")) pub(b + "rgb", std::to_string(d.rgb[0]) + "," + std::to_string(d.rgb[1]) + "," + std::to_string(d.rgb[2]));
      if (d.has("speed")) pub(b + "percentage", std::to_string(d.on ? d.percentage : 0));
    } else if (comp == "cover" || comp == "valve") {
      pub(b + "state", cover_state(d));
      if (d.has("position")) pub(b + "position", std::to_string(std::lround(d.position)));
    } else if (comp == "lock") {
      pub(b + "state", d.lock_state);
    } else if (comp == "climate") {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.1f", d.target_temp);
      pub(b + "target", buf);
      std::snprintf(buf, sizeof buf, "%.1f", d.current_temp);
      pub(b + "current", buf);
      pub(b + "mode", "heat");
    } else if (comp == "sensor") {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.1f", d.value);
      pub(b + "state", buf);
    } else if (comp == "binary_sensor") {
      pub(b + "state", d.on ? "ON" : "OFF");
    } else if (comp == "vacuum") {
      pub(b + "state", nlohmann::json{{"state", d.vacuum_state}, {"battery_level", 80}}.dump());
    }
  }

  // --- commands ---
  void on_message(const MqttMessage& m) {
    if (m.topic == "hearth-sim/control") {
      control(m.payload);
      return;
    }
    std::lock_guard lock(mu);
    // HA devices: <base>/set and <base>/<attribute>/set; Z2M: <base>/<name>/set.
    SimDevice* d = nullptr;
    std::string attribute;
    for (auto& dev : devices) {
      if (dev.proto == Proto::kZ2m) {
        if (m.topic == opt.z2m_base + "/" + dev.base + "/set") d = &dev;
      } else if (m.topic.rfind(dev.base + "/", 0) == 0 && m.topic.size() > 4 &&
                 m.topic.compare(m.topic.size() - 4, 4, "/set") == 0) {
        d = &dev;
        // <base>/set: the main command; <base>/<attribute>/set: one attribute.
        if (m.topic.size() > dev.base.size() + 4) attribute = m.topic.substr(dev.base.size() + 1, m.topic.size() - dev.base.size() - 5);
      } else if (dev.component == "vacuum" && m.topic == dev.base + "/command") {
        d = &dev;
        attribute = "command";
      }
      if (d) break;
    }
    if (!d) return;
    if (d->offline) return;  // an offline device hears nothing
    ++d->commands;
    if (d->proto == Proto::kZ2m || d->proto == Proto::kHaJson) apply_json(*d, m.payload);
    else apply_plain(*d, attribute, m.payload);
    publish_state(*d);
  }

  void apply_plain(SimDevice& d, const std::string& attribute, const std::string& p) {
    auto to_int = [](const std::string& s, int fallback) {
      try {
        return std::stoi(s);
      } catch (...) {
        return fallback;
      }
    };
    if (attribute.empty()) {
      if (d.component == "cover" || d.component == "valve") {
        if (p == "OPEN") d.target_position = 100;
        else if (p == "CLOSE") d.target_position = 0;
        else if (p == "STOP") d.target_position = d.position;
        if (d.component == "valve") d.position = d.target_position;  // valves switch at once
      } else if (d.component == "lock") {
        if (jam) {
          d.lock_state = "JAMMED";
          jam = false;
        } else if (p == "LOCK") {
          d.lock_state = "LOCKED";
        } else if (p == "UNLOCK") {
          d.lock_state = "UNLOCKED";
        }
      } else if (d.component == "scene") {
        spdlog::info("sim: scene {} activated", d.name);
      } else {
        d.on = p == "ON";
        if (d.on && d.has("speed") && d.percentage == 0) d.percentage = 50;
      }
    } else if (attribute == "brightness") {
      d.brightness = std::clamp(to_int(p, d.brightness), 0, 255);
    } else if (attribute == "color_temp") {
      d.mireds = std::clamp(to_int(p, d.mireds), 153, 500);
    } else if (attribute == "rgb") {
      int r = 0, g = 0, b = 0;
      if (std::sscanf(p.c_str(), "%d,%d,%d", &r, &g, &b) == 3) {
        d.rgb[0] = std::clamp(r, 0, 255), d.rgb[1] = std::clamp(g, 0, 255), d.rgb[2] = std::clamp(b, 0, 255);
      }
    } else if (attribute == "percentage") {
      d.percentage = std::clamp(to_int(p, d.percentage), 0, 100);
      d.on = d.percentage > 0;
    } else if (attribute == "position") {
      d.target_position = std::clamp(to_int(p, 0), 0, 100);
    } else if (attribute == "target") {
      try {
        d.target_temp = std::clamp(std::stod(p), 7.0, 30.0);
      } catch (...) {
      }
    } else if (attribute == "command" && d.component == "vacuum") {
      if (p == "start") d.vacuum_state = "cleaning", d.vacuum_since = clock_s;
      else if (p == "return_to_base") d.vacuum_state = "returning", d.vacuum_since = clock_s;
      else if (p == "stop" || p == "pause") d.vacuum_state = "idle";
    }
  }

  void apply_json(SimDevice& d, const std::string& payload) {
    nlohmann::json j = nlohmann::json::parse(payload, nullptr, false);
    if (!j.is_object()) return;
    if (j.contains("state") && j["state"].is_string()) {
      const std::string s = j["state"];
      if (d.component == "cover") d.target_position = s == "OPEN" ? 100 : s == "CLOSE" ? 0 : d.position;
      else d.on = s == "ON" || (s == "TOGGLE" && !d.on);
    }
    if (j.contains("brightness") && j["brightness"].is_number()) d.brightness = std::clamp(j["brightness"].get<int>(), 0, 255);
    if (j.contains("color_temp") && j["color_temp"].is_number()) d.mireds = std::clamp(j["color_temp"].get<int>(), 150, 500);
    if (j.contains("color") && j["color"].is_object()) {
      const auto& c = j["color"];
      if (c.contains("r") && c["r"].is_number() && c.contains("g") && c["g"].is_number() && c.contains("b") && c["b"].is_number()) {
        d.rgb[0] = std::clamp(c["r"].get<int>(), 0, 255);
        d.rgb[1] = std::clamp(c["g"].get<int>(), 0, 255);
        d.rgb[2] = std::clamp(c["b"].get<int>(), 0, 255);
      }
    }
    if (j.contains("position") && j["position"].is_number()) d.target_position = std::clamp(j["position"].get<double>(), 0.0, 100.0);
    if (j.contains("current_heating_setpoint") && j["current_heating_setpoint"].is_number())
      d.target_temp = std::clamp(j["current_heating_setpoint"].get<double>(), 5.0, 30.0);
  }

  void control(const std::string& payload) {
    nlohmann::json j = nlohmann::json::parse(payload, nullptr, false);
    if (!j.is_object()) return;
    if (j.contains("offline") && j["offline"].is_string()) set_offline(j["offline"], true);
    if (j.contains("online") && j["online"].is_string()) set_offline(j["online"], false);
    if (j.contains("jam") && j["jam"].is_boolean()) {
      std::lock_guard lock(mu);
      jam = j["jam"].get<bool>();
    }
  }

  void set_offline(const std::string& id, bool offline) {
    std::lock_guard lock(mu);
    for (auto& d : devices)
      if (d.id == id) {
        d.offline = offline;
        publish_availability(d);
      }
  }

  // --- time passing ---
  void tick(double dt) {
    std::lock_guard lock(mu);
    clock_s += dt;
    for (auto& d : devices) {
      if (d.offline) continue;
      if (d.component == "cover" && std::fabs(d.position - d.target_position) > 0.01) {
        const double step = 25.0 * dt;  // 4 s from closed to open
        d.position = d.position < d.target_position ? std::min(d.target_position, d.position + step)
                                                    : std::max(d.target_position, d.position - step);
        publish_state(d);
      } else if (d.component == "climate" && std::fabs(d.current_temp - d.target_temp) > 0.05) {
        const double before = std::round(d.current_temp * 10);
        d.current_temp += (d.target_temp > d.current_temp ? 1 : -1) * std::min(0.05 * dt, std::fabs(d.target_temp - d.current_temp));
        if (std::round(d.current_temp * 10) != before) publish_state(d);
      } else if (d.component == "vacuum") {
        if (d.vacuum_state == "cleaning" && clock_s - d.vacuum_since > 60) d.vacuum_state = "returning", d.vacuum_since = clock_s, publish_state(d);
        else if (d.vacuum_state == "returning" && clock_s - d.vacuum_since > 5) d.vacuum_state = "docked", publish_state(d);
      }
    }
  }

  void run_ticker() {
    std::unique_lock lock(tick_mu);
    auto last = std::chrono::steady_clock::now();
    while (!stopping) {
      tick_cv.wait_for(lock, std::chrono::milliseconds(100));
      const auto now = std::chrono::steady_clock::now();
      const double dt = std::chrono::duration<double>(now - last).count() * opt.time_scale;
      last = now;
      lock.unlock();
      tick(dt);
      lock.lock();
    }
  }
};

Result<std::unique_ptr<Simulator>> Simulator::start(const SimOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->opt = options;
  impl->opt.mqtt.client_id = options.mqtt.client_id == "hearth" || options.mqtt.client_id.empty() ? "hearth-sim" : options.mqtt.client_id;
  impl->opt.mqtt.status_topic = "hearth-sim/status";
  impl->opt.mqtt.clean_session = true;
  impl->define();
  Impl* raw = impl.get();
  MqttCallbacks cb;
  cb.on_message = [raw](const MqttMessage& m) { raw->on_message(m); };
  cb.on_connection = [raw](bool up) {
    if (!up) return;
    std::lock_guard lock(raw->mu);
    // Again after a broker restart: its retained messages may be gone. The first connection
    // can come up before start() has stored the client (a local broker answers at once): then
    // start() announces.
    if (raw->client) raw->announce();
  };
  auto client = MqttClient::start(impl->opt.mqtt, std::move(cb));
  if (!client) return fail(client.error().code, client.error().message);
  {
    std::lock_guard lock(impl->mu);
    impl->client = std::move(client).value();
    if (impl->client->connected()) impl->announce();
  }
  // QoS 2: a device that must act once on each command.
  impl->client->subscribe("sim/#", 2);
  impl->client->subscribe(impl->opt.z2m_base + "/+/+/set", 2);
  impl->client->subscribe(impl->opt.z2m_base + "/+/set", 2);
  impl->client->subscribe("hearth-sim/control", 1);
  impl->ticker = std::thread([raw] { raw->run_ticker(); });
  return std::unique_ptr<Simulator>(new Simulator(std::move(impl)));
}

Simulator::Simulator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Simulator::~Simulator() {
  {
    std::lock_guard lock(impl_->tick_mu);
    impl_->stopping = true;
  }
  impl_->tick_cv.notify_all();
  impl_->ticker.join();
  if (impl_->client->connected()) {
    std::lock_guard lock(impl_->mu);
    for (auto& d : impl_->devices) {
      d.offline = true;
      impl_->publish_availability(d);
    }
  }
  impl_->client.reset();
}

bool Simulator::wait_connected(int timeout_ms) const { return impl_->client->wait_connected(timeout_ms); }

std::vector<std::string> Simulator::device_ids() const {
  std::lock_guard lock(impl_->mu);
  std::vector<std::string> out;
  for (const auto& d : impl_->devices) {
    out.push_back(d.id);
    if (d.proto == Proto::kZ2m && d.component == "sensor") out.push_back(d.id + "_humidity");
  }
  return out;
}

void Simulator::set_offline(const std::string& id, bool offline) { impl_->set_offline(id, offline); }

void Simulator::set_jam(bool jam) {
  std::lock_guard lock(impl_->mu);
  impl_->jam = jam;
}

int Simulator::commands_received(const std::string& id) const {
  std::lock_guard lock(impl_->mu);
  for (const auto& d : impl_->devices)
    if (d.id == id) return d.commands;
  return 0;
}

std::string Simulator::layout_yaml() {
  return "# The simulated home of `hearth sim`: floors and areas (devices come from discovery).\n"
         "floors:\n"
         "  - name: ground floor\n    aliases: [downstairs]\n"
         "  - name: upstairs\n    aliases: [first floor]\n"
         "areas:\n"
         "  - {name: kitchen, floor: ground floor}\n"
         "  - {name: living room, aliases: [lounge], floor: ground floor}\n"
         "  - {name: dining room, floor: ground floor}\n"
         "  - {name: hallway, aliases: [hall], floor: ground floor}\n"
         "  - {name: garage, floor: ground floor}\n"
         "  - {name: garden, aliases: [outside], floor: ground floor}\n"
         "  - {name: bedroom, floor: upstairs}\n"
         "  - {name: office, aliases: [study], floor: upstairs}\n"
         "  - {name: kids room, floor: upstairs}\n"
         "  - {name: bathroom, floor: upstairs}\n";
}

}  // namespace hearth::devices
