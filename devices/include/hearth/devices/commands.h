// hearth/devices/commands.h — what can be asked of a device, and the MQTT messages that ask it.
//
// An Action is transport-free ("brightness 40%", "lock"). payloads_for() writes it in the
// device's own schema and units: HA default schema (one topic per attribute), HA JSON schema,
// or Zigbee2MQTT. action_for_intent() maps a Home Assistant intent (the contract nlu/ produces)
// to the action for one target device. Toggles are written as the explicit opposite of the known
// state, so every payload hearth publishes is absolute: delivering one twice is harmless.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hearth/devices/device.h"
#include "hearth/devices/error.h"

namespace hearth::devices {

enum class ActionKind {
  kTurnOn, kTurnOff, kToggle,           // lights, switches, fans, media, scenes (on), scripts
  kOpen, kClose, kStop,                 // covers, valves
  kLock, kUnlock,
  kSetBrightness,                       // value: 0-100
  kSetColor,                            // rgb
  kSetColorTemp,                        // value: kelvin
  kSetPosition,                         // value: 0-100 (covers, valves)
  kSetFanSpeed,                         // value: percentage 0-100
  kSetTemperature,                      // value: degrees Celsius
  kVacuumStart, kVacuumReturnToBase,
};
const char* to_string(ActionKind kind);

struct Action {
  ActionKind kind = ActionKind::kTurnOn;
  double value = 0;
  int rgb[3] = {0, 0, 0};
};

// One MQTT message to publish.
struct Publish {
  std::string topic;
  std::string payload;
  int qos = 1;
  bool retain = false;
};

// The messages that carry out `action` on `device`, in order. kUnsupported when the device
// cannot do it (names the device and the action); kBadValue for a value out of range.
Result<std::vector<Publish>> payloads_for(const Device& device, const Action& action);

// The state the device should report once the action is done (for optimistic devices and for
// waiting on a confirmation): e.g. {"state":"on","brightness":40}. Keys a device reports late
// (a cover passing through "opening") are the final ones.
DeviceState expected_state(const Device& device, const Action& action);
// True when `state` shows everything `expected` asks for (numbers within a small tolerance).
bool state_matches(const DeviceState& state, const DeviceState& expected);

// The actions a Home Assistant intent asks of one of its target devices ("red at 50%" is two).
// Temperatures in the slots are in `user_unit` ("C" or "F"); relative slots (brightness_step,
// temperature_step) start from the device's known state. Empty when the intent does not act on
// devices (questions, timers, lists); kUnsupported when it cannot apply to this device,
// kBadValue for a value the device cannot take (a set point outside its range, an unknown colour).
Result<std::vector<Action>> action_for_intent(const std::string& intent, const nlohmann::json& slots,
                                                const Device& device, const std::string& user_unit = "C");

// Colour helpers (used by payloads_for and state parsing; exposed for tests).
// A colour name people say ("warm white", "purple") -> RGB; false when unknown.
bool color_from_name(const std::string& name, int rgb[3]);
void rgb_to_hs(const int rgb[3], double& hue, double& saturation);  // hue 0-360, saturation 0-100
void hs_to_rgb(double hue, double saturation, int rgb[3]);
void xy_to_rgb(double x, double y, int rgb[3]);
inline int kelvin_to_mireds(double kelvin) { return kelvin <= 0 ? 0 : static_cast<int>(1000000.0 / kelvin + 0.5); }
inline int mireds_to_kelvin(double mireds) { return mireds <= 0 ? 0 : static_cast<int>(1000000.0 / mireds + 0.5); }
inline double f_to_c(double f) { return (f - 32.0) * 5.0 / 9.0; }
inline double c_to_f(double c) { return c * 9.0 / 5.0 + 32.0; }

}  // namespace hearth::devices
