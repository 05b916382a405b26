// hearth/devices/simulator.h — a simulated home on a real broker, for trying hearth and for tests.
//
// 26 devices over 10 areas on 2 floors, covering every domain hearth controls. Most announce
// themselves with Home Assistant discovery (default and JSON schemas, abbreviated and full keys);
// a Zigbee2MQTT bridge announces the rest. Devices answer commands as real ones do: state topics
// (retained), brightness and colour, covers that move over a few seconds, thermostats drifting
// toward their set point, a lock that can jam and say so, a vacuum that cleans and docks.
//
// Control on `hearth-sim/control` (or through the methods below):
//   {"offline": "<device id>"}, {"online": "<device id>"}, {"jam": true|false}
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "hearth/devices/error.h"
#include "hearth/devices/mqtt.h"

namespace hearth::devices {

struct SimOptions {
  MqttSettings mqtt;                  // client id and status topic are set by the simulator
  std::string discovery_prefix = "homeassistant";
  std::string z2m_base = "zigbee2mqtt";
  double time_scale = 1.0;            // >1 makes covers and thermostats move faster (tests)
};

class Simulator {
 public:
  static Result<std::unique_ptr<Simulator>> start(const SimOptions& options);
  ~Simulator();  // marks every device offline (retained) and disconnects
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  bool wait_connected(int timeout_ms) const;
  std::vector<std::string> device_ids() const;  // hearth's ids for the simulated devices
  void set_offline(const std::string& id, bool offline);
  void set_jam(bool jam);  // the lock jams on its next command
  // Commands received so far, per device id (tests count deliveries).
  int commands_received(const std::string& id) const;

  // The floors and areas of the simulated home as a devices file (for nlu.devices).
  static std::string layout_yaml();

 private:
  struct Impl;
  explicit Simulator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hearth::devices
