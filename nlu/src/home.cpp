// The devices file: parsing and validation with yaml-cpp, and name lookups.
#include "hearth/nlu/home.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "names.h"

namespace hearth::nlu {

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kBadHome: return "bad devices file";
    case ErrorCode::kModel: return "model error";
    case ErrorCode::kBadOutput: return "bad model output";
    case ErrorCode::kInvalidInput: return "invalid input";
  }
  return "error";
}

const std::vector<std::string>& known_domains() {
  static const std::vector<std::string> d = {"light", "switch", "fan", "cover", "lock", "climate", "media_player",
                                             "vacuum", "scene", "script", "valve", "sensor", "binary_sensor", "person"};
  return d;
}

const std::vector<std::string>& known_device_classes() {
  static const std::vector<std::string> c = {
      // covers
      "awning", "blind", "curtain", "damper", "door", "garage", "gate", "shade", "shutter", "window",
      // switches and media players
      "outlet", "switch", "tv", "speaker", "receiver",
      // sensors and binary sensors (the common ones)
      "temperature", "humidity", "power", "energy", "battery", "illuminance", "pressure", "carbon_dioxide",
      "motion", "occupancy", "opening", "smoke", "moisture", "lock", "presence", "problem", "safety", "sound",
      "vibration", "water", "gas"};
  return c;
}

namespace {

const std::set<std::string> kFloorKeys = {"name", "aliases"};
const std::set<std::string> kAreaKeys = {"name", "aliases", "floor"};
const std::set<std::string> kDeviceKeys = {"id", "name", "aliases", "area", "domain", "device_class", "features",
                                           "expose", "min_temp", "max_temp", "transport", "topic", "state_topic",
                                           "command_topic", "payload_on", "payload_off"};
const std::set<std::string> kFeatures = {"brightness", "color", "color_temp", "position", "speed", "volume",
                                         "temperature", "media", "tilt"};

struct Problem {
  std::string message;
};

std::string at(const std::string& source, const YAML::Node& n) {
  const YAML::Mark m = n.Mark();
  if (m.line < 0) return source + ": ";
  return source + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1) + ": ";
}

std::string scalar(const std::string& source, const YAML::Node& n, const std::string& key) {
  if (!n.IsScalar()) throw Problem{at(source, n) + "'" + key + "' must be a text value"};
  std::string v = n.Scalar();
  if (v.empty()) throw Problem{at(source, n) + "'" + key + "' must not be empty"};
  if (v.size() > 200) throw Problem{at(source, n) + "'" + key + "' is longer than 200 characters"};
  return v;
}

std::vector<std::string> list(const std::string& source, const YAML::Node& n, const std::string& key) {
  std::vector<std::string> out;
  if (n.IsScalar()) {
    out.push_back(scalar(source, n, key));
    return out;
  }
  if (!n.IsSequence()) throw Problem{at(source, n) + "'" + key + "' must be a list of names"};
  for (auto it = n.begin(); it != n.end(); ++it) {
    const YAML::Node item = *it;  // a copy: yaml-cpp iterators hand out temporaries
    out.push_back(scalar(source, item, key));
  }
  return out;
}

void check_keys(const std::string& source, const YAML::Node& map, const std::set<std::string>& allowed,
                const std::string& what) {
  if (!map.IsMap()) throw Problem{at(source, map) + "each entry of '" + what + "' must be a mapping"};
  for (const auto& kv : map) {
    const YAML::Node key = kv.first;
    const std::string k = key.Scalar();
    if (!allowed.count(k)) {
      std::string known;
      for (const auto& a : allowed) known += (known.empty() ? "" : ", ") + a;
      throw Problem{at(source, key) + "unknown key '" + k + "' in " + what + " (known: " + known + ")"};
    }
  }
}

double number(const std::string& source, const YAML::Node& n, const std::string& key, double lo, double hi) {
  double v = 0;
  try {
    v = n.as<double>();
  } catch (const YAML::Exception&) {
    throw Problem{at(source, n) + "'" + key + "' must be a number"};
  }
  if (!(v >= lo && v <= hi))
    throw Problem{at(source, n) + "'" + key + "' is " + n.Scalar() + ", allowed " + std::to_string(int(lo)) + " to " +
                  std::to_string(int(hi))};
  return v;
}

Home parse_home(const YAML::Node& root, const std::string& source, bool sections_only = false) {
  Home home;
  home.source = source;
  if (root.IsNull()) return home;
  if (!root.IsMap()) throw Problem{source + ": the devices file must be a mapping with floors, areas and devices"};
  for (const auto& kv : root) {
    const YAML::Node key = kv.first;
    const std::string k = key.Scalar();
    if (sections_only && k != "floors" && k != "areas" && k != "devices") continue;
    if (k != "floors" && k != "areas" && k != "devices")
      throw Problem{at(source, key) + "unknown key '" + k + "' (known: floors, areas, devices)"};
    if (!kv.second.IsSequence() && !kv.second.IsNull()) throw Problem{at(source, kv.second) + "'" + k + "' must be a list"};
  }
  std::set<std::string> floor_names, area_names, ids;
  auto unique_name = [&](std::set<std::string>& seen, const std::string& name, const YAML::Node& n, const char* what) {
    if (!seen.insert(fold(name)).second) throw Problem{at(source, n) + what + " '" + name + "' is listed twice"};
  };
  const YAML::Node floors_list = root["floors"];
  for (auto it = floors_list.begin(); it != floors_list.end(); ++it) {
    const YAML::Node f = *it;
    check_keys(source, f, kFloorKeys, "floors");
    if (!f["name"]) throw Problem{at(source, f) + "a floor needs a 'name'"};
    Floor floor{scalar(source, f["name"], "name"), f["aliases"] ? list(source, f["aliases"], "aliases") : std::vector<std::string>{}};
    unique_name(floor_names, floor.name, f["name"], "floor");
    home.floors.push_back(std::move(floor));
  }
  const YAML::Node areas_list = root["areas"];
  for (auto it = areas_list.begin(); it != areas_list.end(); ++it) {
    const YAML::Node a = *it;
    check_keys(source, a, kAreaKeys, "areas");
    if (!a["name"]) throw Problem{at(source, a) + "an area needs a 'name'"};
    Area area{scalar(source, a["name"], "name"), a["aliases"] ? list(source, a["aliases"], "aliases") : std::vector<std::string>{},
              a["floor"] ? scalar(source, a["floor"], "floor") : ""};
    if (!area.floor.empty() && !home.find_floor(area.floor))
      throw Problem{at(source, a["floor"]) + "area '" + area.name + "' is on floor '" + area.floor + "', which is not in 'floors'"};
    unique_name(area_names, area.name, a["name"], "area");
    home.areas.push_back(std::move(area));
  }
  const YAML::Node devices_list = root["devices"];
  for (auto it = devices_list.begin(); it != devices_list.end(); ++it) {
    const YAML::Node d = *it;
    check_keys(source, d, kDeviceKeys, "devices");
    for (const char* req : {"id", "name", "domain"})
      if (!d[req]) throw Problem{at(source, d) + "a device needs '" + req + "'"};
    Device dev;
    dev.id = scalar(source, d["id"], "id");
    if (!ids.insert(dev.id).second) throw Problem{at(source, d["id"]) + "device id '" + dev.id + "' is used twice"};
    dev.name = scalar(source, d["name"], "name");
    if (d["aliases"]) dev.aliases = list(source, d["aliases"], "aliases");
    dev.domain = scalar(source, d["domain"], "domain");
    const auto& doms = known_domains();
    if (std::find(doms.begin(), doms.end(), dev.domain) == doms.end()) {
      std::string known;
      for (const auto& x : doms) known += (known.empty() ? "" : ", ") + x;
      throw Problem{at(source, d["domain"]) + "device '" + dev.id + "': unknown domain '" + dev.domain + "' (known: " + known + ")"};
    }
    if (d["area"]) {
      dev.area = scalar(source, d["area"], "area");
      const Area* area = home.find_area(dev.area);
      if (!area) throw Problem{at(source, d["area"]) + "device '" + dev.id + "' is in area '" + dev.area + "', which is not in 'areas'"};
      dev.area = area->name;
    }
    if (d["device_class"]) dev.device_class = scalar(source, d["device_class"], "device_class");
    if (d["features"]) {
      dev.features = list(source, d["features"], "features");
      for (const auto& f : dev.features)
        if (!kFeatures.count(f)) throw Problem{at(source, d["features"]) + "device '" + dev.id + "': unknown feature '" + f + "'"};
    }
    if (d["expose"]) {
      try {
        dev.expose = d["expose"].as<bool>();
      } catch (const YAML::Exception&) {
        throw Problem{at(source, d["expose"]) + "'expose' must be true or false"};
      }
    }
    if (d["min_temp"]) dev.min_temp = number(source, d["min_temp"], "min_temp", -50, 150);
    if (d["max_temp"]) dev.max_temp = number(source, d["max_temp"], "max_temp", -50, 150);
    for (const char* key : {"transport", "topic", "command_topic", "state_topic", "payload_on", "payload_off"})
      if (d[key]) dev.transport[key] = scalar(source, d[key], key);
    if (dev.transport.count("transport")) {
      const std::string& t = dev.transport["transport"];
      if (t != "mqtt" && t != "mqtt_json" && t != "zigbee2mqtt")
        throw Problem{at(source, d["transport"]) + "device '" + dev.id + "': transport '" + t +
                      "' is not one of mqtt, mqtt_json, zigbee2mqtt"};
      if (t == "zigbee2mqtt" && !d["topic"])
        throw Problem{at(source, d) + "device '" + dev.id + "': a zigbee2mqtt device needs 'topic' (its friendly name)"};
    }
    home.devices.push_back(std::move(dev));
  }
  return home;
}

}  // namespace

Result<Home> Home::parse(const std::string& yaml_text, const std::string& source) {
  try {
    return parse_home(YAML::Load(yaml_text), source);
  } catch (const Problem& p) {
    return fail(ErrorCode::kBadHome, p.message);
  } catch (const YAML::Exception& e) {
    return fail(ErrorCode::kBadHome, source + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                                         ": " + e.msg);
  }
}

Result<Home> Home::load_sections(const std::string& path) {
  try {
    return parse_home(YAML::LoadFile(path), path, true);
  } catch (const Problem& p) {
    return fail(ErrorCode::kBadHome, p.message);
  } catch (const YAML::Exception& e) {
    return fail(ErrorCode::kBadHome, path + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                                         ": " + e.msg);
  }
}

Result<Home> Home::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kBadHome, path + ": cannot open the devices file");
  std::ostringstream s;
  s << in.rdbuf();
  return parse(s.str(), path);
}

namespace {
// The entry (area or floor) whose name or an alias folds to the same text.
template <class T>
const T* find_named(const std::vector<T>& list, const std::string& name_or_alias) {
  const std::string key = fold(name_or_alias);
  for (const T& x : list) {
    if (fold(x.name) == key) return &x;
    for (const auto& a : x.aliases)
      if (fold(a) == key) return &x;
  }
  return nullptr;
}
}  // namespace

const Area* Home::find_area(const std::string& n) const { return find_named(areas, n); }

const Floor* Home::find_floor(const std::string& n) const { return find_named(floors, n); }

const Device* Home::find_device(const std::string& id) const {
  for (const Device& d : devices)
    if (d.id == id) return &d;
  return nullptr;
}

bool Home::has_feature(const Device& d, const std::string& feature) const {
  return std::find(d.features.begin(), d.features.end(), feature) != d.features.end();
}

}  // namespace hearth::nlu
