// hearth/devices/discovery.h — reading devices from what other systems announce over MQTT.
//
// Home Assistant MQTT discovery: retained configs on
//   <prefix>/<component>/[<node_id>/]<object_id>/config
// with abbreviated keys (cmd_t, stat_t, ...), the `~` base topic, `device` (suggested_area),
// availability topics, the default and JSON schemas for lights. Components read: light, switch,
// fan, cover, lock, climate, valve, scene, sensor, binary_sensor, vacuum. An empty payload
// removes the device.
// Zigbee2MQTT: the retained device list on zigbee2mqtt/bridge/devices, each device's `exposes`
// telling what it is and can do; commands go to zigbee2mqtt/<friendly_name>/set.
//
// The parsers never throw and never trust sizes: a malformed message is kBadMessage naming the
// topic and the problem.
#pragma once

#include <string>
#include <vector>

#include "hearth/devices/device.h"
#include "hearth/devices/error.h"

namespace hearth::devices {

struct DiscoveryMessage {
  bool removal = false;  // empty payload: the device with `id` is gone
  std::string id;        // <component>.<object_id> (node_id_object_id when a node id is given)
  Device device;         // when not a removal
};

// True when `topic` is a discovery config topic under `prefix` (default "homeassistant").
bool is_discovery_topic(const std::string& topic, const std::string& prefix = "homeassistant");
Result<DiscoveryMessage> parse_ha_discovery(const std::string& topic, const std::string& payload,
                                            const std::string& prefix = "homeassistant");

// The device list of zigbee2mqtt/bridge/devices (the coordinator and devices without a known
// kind are skipped).
Result<std::vector<Device>> parse_z2m_devices(const std::string& payload, const std::string& base = "zigbee2mqtt");

// A value_template such as "{{ value_json.state }}" or "{{ value_json['a'].b }}" -> "state",
// "a.b". Empty when the template is not a plain JSON lookup (hearth does not run Jinja).
std::string template_key(const std::string& value_template);

}  // namespace hearth::devices
