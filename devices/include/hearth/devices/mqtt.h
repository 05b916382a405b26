// hearth/devices/mqtt.h — one connection to an MQTT broker (libmosquitto), kept alive.
//
// The client owns one network thread; every libmosquitto call happens there, so callers on any
// thread only queue work (publish, subscribe) and get answers through the callbacks, which run
// on the network thread and must not block.
//
// - Persistent client id with a persistent session (clean_session off): the broker keeps
//   subscriptions and queued messages while hearth is away.
// - Reconnects with exponential backoff and jitter (reconnect_min_ms doubling to
//   reconnect_max_ms, each wait drawn from [half, full]).
// - Last will: `<status_topic>` = "offline" (retained), "online" published on every connect.
// - TLS (CA file, optional client certificate and key), username and a password read from a file
//   that must not be readable by others.
// - A publish handed over while the connection is down is reported failed (on_publish_failed)
//   and never sent: the caller (the outbox) decides what goes later. One in flight when the
//   connection drops is completed after the reconnect with its packet id (libmosquitto's session
//   state), so with QoS 2 and a broker that kept the session it reaches subscribers once.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "hearth/devices/commands.h"
#include "hearth/devices/error.h"

namespace hearth::devices {

struct MqttSettings {
  std::string host = "127.0.0.1";
  int port = 1883;
  std::string client_id = "hearth";
  bool clean_session = false;
  int keepalive_s = 30;
  std::string username;
  std::string password_file;     // first line is the password; refused if others may read it
  std::string tls_ca_file;       // set: TLS on
  std::string tls_cert_file, tls_key_file;  // optional client certificate
  std::string status_topic = "hearth/status";  // empty: no last will, no online message
  int reconnect_min_ms = 250;
  int reconnect_max_ms = 30000;
};

// Parses "mqtt://host:port", "mqtts://host:port" or "host:port" into settings (kBadSettings).
Result<void> parse_broker_url(const std::string& url, MqttSettings& settings);

struct MqttMessage {
  std::string topic;
  std::string payload;
  bool retained = false;
};

struct MqttCallbacks {
  std::function<void(const MqttMessage&)> on_message;
  std::function<void(bool connected)> on_connection;
  std::function<void(uint64_t ticket)> on_published;          // PUBACK (QoS 1) or written (QoS 0)
  std::function<void(uint64_t ticket, const std::string& why)> on_publish_failed;
};

class MqttClient {
 public:
  // Checks the settings (files exist, password file private) and starts the network thread.
  static Result<std::unique_ptr<MqttClient>> start(const MqttSettings& settings, MqttCallbacks callbacks);
  ~MqttClient();  // publishes "offline" when connected, disconnects, joins the thread
  MqttClient(const MqttClient&) = delete;
  MqttClient& operator=(const MqttClient&) = delete;

  // Queues a message; the ticket comes back in on_published or on_publish_failed.
  uint64_t publish(const Publish& message);
  // Subscribes now (when connected) and again after every reconnect.
  void subscribe(const std::string& pattern, int qos = 1);

  bool connected() const;
  // Blocks until connected or the timeout passes; true when connected.
  bool wait_connected(int timeout_ms) const;
  // Why the last connection attempt failed ("" when connected).
  std::string last_error() const;
  uint64_t reconnects() const;  // connections made after the first

 private:
  struct Impl;
  explicit MqttClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hearth::devices
