// hearth/devices/local_broker.h — a private mosquitto broker on a loopback port.
//
// Used when no broker is configured (the README's run command) and by tests that need a real
// broker. The broker runs as a child process with its own config in a temporary folder; it is
// stopped (SIGTERM, then SIGKILL after 3 s) when the LocalBroker is destroyed.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "hearth/devices/error.h"

namespace hearth::devices {

struct BrokerOptions {
  std::string mosquitto = "/usr/sbin/mosquitto";
  int port = 0;               // 0: a free loopback port
  bool persistence = false;   // keep sessions and queued messages across restarts (in dir())
  std::string prelude;        // mosquitto.conf lines before the listener (per_listener_settings)
  std::string extra_config;   // more mosquitto.conf lines (tests add TLS and password listeners)
};

class LocalBroker {
 public:
  // Starts the broker and waits (up to 5 s) until it accepts connections.
  static Result<std::unique_ptr<LocalBroker>> start(const BrokerOptions& options);
  ~LocalBroker();
  LocalBroker(const LocalBroker&) = delete;
  LocalBroker& operator=(const LocalBroker&) = delete;

  int port() const { return port_; }
  const std::string& host() const { return host_; }
  pid_t pid() const { return pid_; }
  // The folder holding the broker's config and log (tests put certificates there).
  const std::string& dir() const { return dir_; }
  // Stops the broker now (idempotent); `hard` kills it with SIGKILL at once.
  void stop(bool hard = false);
  // Starts it again on the same port with the same config (after stop()).
  Result<void> restart();

 private:
  LocalBroker() = default;
  Result<void> spawn();
  BrokerOptions options_;
  std::string host_ = "127.0.0.1";
  int port_ = 0;
  pid_t pid_ = -1;
  std::string dir_;
};

// A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read it, close).
int find_free_loopback_port();

}  // namespace hearth::devices
