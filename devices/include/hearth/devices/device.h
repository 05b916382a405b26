// hearth/devices/device.h — one device of the registry: who it is, how to reach it, its state.
//
// A device comes from the devices file (source "config"), from Home Assistant MQTT discovery
// ("discovery") or from Zigbee2MQTT's device list ("zigbee2mqtt"). Its state is kept in one
// normalized vocabulary whatever the device speaks (see DeviceState), so replies and the GUI
// never need to know the transport.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hearth::devices {

// How commands are written and states read.
enum class Schema {
  kNone,         // listed in the devices file without MQTT settings: known, not controllable
  kHaDefault,    // Home Assistant MQTT, one topic per attribute, plain payloads
  kHaJson,       // Home Assistant MQTT light with schema: json, one JSON document per command
  kZigbee2Mqtt,  // zigbee2mqtt/<friendly_name>/set with a JSON document
};
const char* to_string(Schema schema);

struct AvailabilityTopic {
  std::string topic;
  std::string payload_available = "online";
  std::string payload_not_available = "offline";
  std::string value_key;  // the JSON key named by a value_template, empty for plain payloads
};

// Where and in which words a device is commanded. Topic roles (keys of `topics`):
//   command, state, brightness_command, brightness_state, rgb_command, rgb_state, hs_command,
//   color_temp_command, color_temp_state, position_command, position_state,
//   temperature_command, temperature_state, current_temperature, mode_command, mode_state,
//   percentage_command, percentage_state, json_attributes.
// Payload words (keys of `payloads`): on, off, open, close, stop, lock, unlock, start, pause,
//   return_to_base, state_on, state_off, state_open, state_opening, state_closed, state_closing,
//   state_stopped, state_locked, state_unlocked, state_jammed, state_locking, state_unlocking.
struct Transport {
  Schema schema = Schema::kNone;
  std::map<std::string, std::string> topics;
  std::map<std::string, std::string> payloads;
  std::map<std::string, std::string> value_keys;  // topic role -> JSON key path of its value_template
  int brightness_scale = 255;        // the device's full brightness
  bool color_temp_kelvin = false;    // colour temperature in kelvin instead of mireds
  std::string temperature_unit = "C";  // unit of the device's temperatures (climate)
  double position_open = 100, position_closed = 0;
  double speed_min = 1, speed_max = 100;  // fan percentage range of the device
  std::vector<AvailabilityTopic> availability;
  std::string availability_mode = "latest";  // all, any, latest
  std::string z2m_name;              // Zigbee2MQTT friendly name
  std::map<std::string, std::string> z2m_props;  // our attribute -> the device's property name

  bool has(const std::string& role) const { return topics.count(role) != 0; }
  std::string topic(const std::string& role) const;
  std::string payload(const std::string& word, const std::string& fallback) const;
};

// The state in hearth's words. Keys present only when known:
//   state: on/off (light, switch, fan, media), open/opening/closed/closing/stopped (cover, valve),
//          locked/unlocked/locking/unlocking/jammed (lock), cleaning/docked/returning/idle/paused
//          (vacuum), heat/cool/auto/off (climate mode), or a sensor's reading as text
//   brightness 0-100, rgb [r,g,b], color_temp_kelvin, position 0-100, percentage 0-100,
//   target_temperature_c, current_temperature_c, value (sensor number), unit (sensor unit)
using DeviceState = nlohmann::json;

struct Device {
  std::string id;       // unique, e.g. light.kitchen_ceiling
  std::string name;
  std::vector<std::string> aliases;
  std::string area;     // an area's name, or empty
  std::string domain;   // light, switch, fan, cover, lock, climate, vacuum, scene, script, valve,
                        // sensor, binary_sensor, media_player
  std::string device_class;
  std::vector<std::string> features;  // brightness, color, color_temp, position, speed, temperature
  double min_temp_c = 7, max_temp_c = 35;
  bool expose = true;   // only exposed devices are named to or controlled by the assistant
  std::string source;   // config, discovery, zigbee2mqtt
  Transport transport;

  bool available = true;
  std::map<std::string, bool> availability_by_topic;  // last word on each availability topic
  DeviceState state = DeviceState::object();
  int64_t state_updated_ms = 0;  // 0: no state received yet

  bool has_feature(const std::string& feature) const;
  // True when hearth learns the state only from its own commands (no state topic).
  bool optimistic() const;
};

// Whether the device is in its "on" state in the wide sense a toggle uses: on, open or opening,
// locked or locking, cleaning.
bool is_active(const Device& device);

// A number as people read it: whole numbers without decimals, others with one ("19.5").
std::string format_number(double value);

// One line of text for people: "kitchen light (kitchen): on, 40%".
std::string describe_state(const Device& device);
// The device as JSON (id, name, area, domain, features, source, available, state, ...).
nlohmann::json to_json(const Device& device);

int64_t now_ms();

}  // namespace hearth::devices
