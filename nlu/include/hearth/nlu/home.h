// hearth/nlu/home.h — the home as the NLU sees it: floors, areas and devices, with their names.
//
// Read from the devices file (YAML), the one format `--devices FILE` and the device registry use:
//   floors:  - name: upstairs            aliases: [first floor]
//   areas:   - name: living room         aliases: [lounge]        floor: upstairs
//   devices: - id: light.desk_lamp       name: desk lamp          aliases: [reading lamp]
//              area: office   domain: light   device_class: ...   expose: true
//              features: [brightness, color, color_temp]          (other keys: see home.cpp)
// Names are matched case-insensitively; every id is unique; a device's area and an area's floor
// must exist. A Home is immutable once built; the parser takes a new one when the home changes.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "hearth/nlu/error.h"

namespace hearth::nlu {

struct Floor {
  std::string name;
  std::vector<std::string> aliases;
};

struct Area {
  std::string name;
  std::vector<std::string> aliases;
  std::string floor;  // a floor's name, or empty
};

struct Device {
  std::string id;
  std::string name;
  std::vector<std::string> aliases;
  std::string area;          // an area's name, or empty
  std::string domain;        // light, switch, fan, cover, lock, climate, media_player, vacuum, scene,
                             // script, valve, sensor, binary_sensor, person
  std::string device_class;  // e.g. garage, blind, outlet, tv; may be empty
  std::vector<std::string> features;  // brightness, color, color_temp, position, speed, volume, ...
  bool expose = true;        // false: the assistant neither names nor controls it
  double min_temp = 7, max_temp = 35;  // climate set-point range
  // MQTT settings for the device registry, as written (transport, topic, command_topic,
  // state_topic, payload_on, payload_off); the NLU does not read them.
  std::map<std::string, std::string> transport;
};

struct Home {
  std::vector<Floor> floors;
  std::vector<Area> areas;
  std::vector<Device> devices;
  std::string source;  // the file it came from, for messages

  // kBadHome naming the file, line and key of the first problem.
  static Result<Home> load(const std::string& path);
  static Result<Home> parse(const std::string& yaml_text, const std::string& source = "<devices>");
  // The floors:, areas: and devices: sections of a larger file (hearth.yaml); its other
  // top-level keys are someone else's and are not looked at.
  static Result<Home> load_sections(const std::string& path);

  // Lookups by name or alias (case-insensitive); nullptr when unknown.
  const Area* find_area(const std::string& name_or_alias) const;
  const Floor* find_floor(const std::string& name_or_alias) const;
  const Device* find_device(const std::string& id) const;
  bool has_feature(const Device& d, const std::string& feature) const;
};

// The domains and device classes the intent contract knows.
const std::vector<std::string>& known_domains();
const std::vector<std::string>& known_device_classes();

}  // namespace hearth::nlu
