// hearth/devices/hub.h — the device side of hearth: registry, broker connection, durable commands.
//
// A DeviceHub connects to the broker, fills its Registry from the devices file, HA discovery and
// Zigbee2MQTT, keeps states live from state topics, and carries out actions:
//
//   execute() -> payloads_for() -> Outbox (SQLite, durable) -> courier thread -> PUBLISH (QoS 1)
//            <- state topics -> Registry -> the expected state seen, or the timeout
//
// Never lose, never repeat: a command is stored before it is published, marked sent when handed
// to the broker and acked when the broker acknowledges it. While the broker is away commands
// wait in the outbox; when it returns they go out in order if still within their TTL (default
// 10 s), otherwise they are marked expired and reported (on_expired, and in execute()'s outcome).
// Commands a killed hub left behind are picked up the same way on the next start.
//
// Why QoS 2 from hub to broker (command_qos): with QoS 1 a PUBLISH whose PUBACK is lost when the
// broker goes down must be sent again, and the broker forwards it again. With QoS 2 the resend
// carries the same packet id and the broker, which kept the session, drops the copy. Devices
// receive at the QoS they subscribed with. The one window left: a hub killed between the
// broker's receipt and its acknowledgement resends after restart under a new packet id; every
// payload is absolute (see commands.h), so that repeat changes nothing.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "hearth/devices/commands.h"
#include "hearth/devices/mqtt.h"
#include "hearth/devices/registry.h"
#include "hearth/storage/outbox.h"

namespace hearth::devices {

struct HubOptions {
  MqttSettings mqtt;
  std::string discovery_prefix = "homeassistant";
  std::string z2m_base = "zigbee2mqtt";
  int64_t command_ttl_ms = 10000;
  int command_qos = 2;            // hub -> broker; see above
  int confirm_timeout_ms = 3000;  // how long execute() waits for the device to report the change
  bool expose_discovered = true;
};

enum class Outcome {
  kConfirmed,       // the device reported the expected state
  kAssumed,         // published and acknowledged; the device has no state topic (optimistic)
  kNoConfirmation,  // published and acknowledged, but the device did not report the change in time
  kQueued,          // stored; the broker is away: it goes out when the broker returns within the TTL,
                    // otherwise it expires and on_expired reports it
  kExpired,         // the broker could not be reached within the TTL: not sent, never will be
  kFailed,          // could not be stored or published (message says why)
  kUnsupported,     // the device cannot do this, or is unknown
  kUnavailable,     // the device is offline (its availability topic says so): not sent
};
const char* to_string(Outcome outcome);

struct ActionRequest {
  std::string device_id;
  Action action;
};

struct ActionReport {
  std::string device_id;
  std::string device_name;
  Outcome outcome = Outcome::kFailed;
  std::string message;    // for kFailed, kUnsupported: what went wrong
  DeviceState state;      // the device's state when the report was made
};

class DeviceHub {
 public:
  // Starts the broker connection (it keeps retrying in the background when the broker is down).
  // The outbox must outlive the hub.
  static Result<std::unique_ptr<DeviceHub>> start(const HubOptions& options, storage::Outbox& outbox,
                                                  std::vector<Device> configured = {});
  ~DeviceHub();
  DeviceHub(const DeviceHub&) = delete;
  DeviceHub& operator=(const DeviceHub&) = delete;

  Registry& registry();
  const HubOptions& options() const;

  // Stores the commands for the actions, publishes them in order and waits (up to the confirm
  // timeout, measured from the start of the call) for the devices to report the change.
  std::vector<ActionReport> execute(const std::vector<ActionRequest>& requests);
  // Stores and queues one action without waiting; returns the outbox id.
  Result<int64_t> send(const std::string& device_id, const Action& action);

  bool connected() const;
  bool wait_connected(int timeout_ms) const;
  std::string connection_error() const;
  // Waits until retained announcements have arrived: no new device for quiet_ms (at most max_ms).
  void wait_for_discovery(int quiet_ms, int max_ms);
  int64_t outbox_depth() const;

  // Other listeners on the same connection (the Hermes bridge): the handler gets every message
  // whose topic matches the pattern (MQTT wildcards), on the network thread.
  void subscribe(const std::string& pattern, std::function<void(const MqttMessage&)> handler);
  // A message that is not a device command (events, Hermes replies): not stored in the outbox.
  void publish(const Publish& message);
  // Commands that expired before they could be published (called on the courier thread).
  void on_expired(std::function<void(const storage::OutboxCommand&, const std::string& device_id)> handler);

 private:
  struct Impl;
  explicit DeviceHub(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// True when an MQTT topic matches a subscription pattern with + and # wildcards.
bool topic_matches(const std::string& pattern, const std::string& topic);

}  // namespace hearth::devices
