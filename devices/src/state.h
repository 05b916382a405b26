// devices/src/state.h — reading one MQTT message into a device's normalized state.
#pragma once

#include <string>

#include "hearth/devices/device.h"
#include "hearth/devices/error.h"

namespace hearth::devices {

// Applies `payload` received on `topic` to every role `topic` plays for `device` (state,
// brightness, availability, ...). Returns whether the state or availability changed; kBadMessage
// (naming the topic and the value) when the payload cannot be read; nothing is changed then.
Result<bool> apply_state_message(Device& device, const std::string& topic, const std::string& payload);

// Every topic `device` reads (state roles and availability).
std::vector<std::string> topics_read_by(const Device& device);

}  // namespace hearth::devices
