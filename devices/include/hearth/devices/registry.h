// hearth/devices/registry.h — the live set of devices: who exists, where, and in what state.
//
// One Registry owns every Device. Sources write into it (the devices file, HA discovery,
// Zigbee2MQTT, state messages); readers take copies (find, snapshot). Every change is announced
// to the listeners after the lock is released, in the order it happened, on the thread that
// made it (the MQTT thread for discovery and states): listeners hand work on, they do not block.
// A listener may read the registry but must not change it.
//
// A device listed in the devices file keeps the user's name, aliases, area and expose flag when
// discovery later announces the same id; discovery adds the transport and the features.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "hearth/devices/device.h"
#include "hearth/devices/error.h"

namespace hearth::devices {

enum class ChangeKind { kAdded, kUpdated, kRemoved, kState, kAvailability };
const char* to_string(ChangeKind kind);

struct Change {
  ChangeKind kind = ChangeKind::kState;
  Device device;  // after the change (before it, for kRemoved)
};

class Registry {
 public:
  using Listener = std::function<void(const Change&)>;

  // Devices listed by the user (the devices file). Replaces the previous list.
  void set_configured(std::vector<Device> devices);
  // Whether devices found by discovery are exposed to the assistant (default true).
  void set_expose_discovered(bool expose);
  // Adds or replaces a device announced by a source; a configured device of the same id keeps
  // the user's names, area and expose flag.
  void upsert(Device device);
  // Removes a discovered device (a configured one only loses its transport). False if unknown.
  bool remove(const std::string& id);
  // Replaces every device of one source with `devices` (Zigbee2MQTT publishes its whole list).
  void replace_source(const std::string& source, std::vector<Device> devices);

  // Routes an MQTT message to the devices that read `topic`. Returns how many devices changed;
  // kBadMessage (topic and what is wrong) when the payload could not be read; other devices on
  // the same topic are still updated.
  Result<int> apply_message(const std::string& topic, const std::string& payload);
  // The state hearth assumes after its own command to a device without a state topic.
  void apply_optimistic(const std::string& id, const DeviceState& delta);

  std::optional<Device> find(const std::string& id) const;
  std::vector<Device> snapshot() const;
  size_t size() const;
  // Topics that carry state or availability of some device.
  std::set<std::string> state_topics() const;
  // Increments on every change of the device set or a device's names (not on state changes).
  uint64_t layout_version() const;

  int add_listener(Listener listener);
  void remove_listener(int token);

 private:
  void notify(uint64_t turn, const std::vector<Change>& changes);
  void index_locked();
  Device merge_configured_locked(Device discovered) const;

  mutable std::mutex mu_;
  std::map<std::string, Device> devices_;
  std::map<std::string, Device> configured_;
  std::multimap<std::string, std::string> by_topic_;  // topic -> device id
  bool expose_discovered_ = true;
  uint64_t layout_version_ = 0;

  uint64_t next_turn_ = 0;  // under mu_

  std::mutex listeners_mu_;
  std::condition_variable turn_cv_;
  uint64_t served_turn_ = 0;
  std::map<int, Listener> listeners_;
  int next_token_ = 1;
};

}  // namespace hearth::devices
