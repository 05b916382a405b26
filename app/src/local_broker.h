// app/src/local_broker.h — a private mosquitto broker on a free loopback port.
//
// Used when no broker is configured (the README's run command) and by tests that need a real
// broker. The broker runs as a child process with its own config in a temporary folder; it is
// stopped (SIGTERM, then SIGKILL after 3 s) when the LocalBroker is destroyed.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "hearth/result.h"

namespace hearth::app {

class LocalBroker {
 public:
  // Starts mosquitto_binary and waits (up to 5 s) until it accepts connections.
  static Result<std::unique_ptr<LocalBroker>, std::string> start(const std::string& mosquitto_binary);
  ~LocalBroker();
  LocalBroker(const LocalBroker&) = delete;
  LocalBroker& operator=(const LocalBroker&) = delete;

  int port() const { return port_; }
  const std::string& host() const { return host_; }
  pid_t pid() const { return pid_; }
  // Stops the broker now (idempotent).
  void stop();

 private:
  LocalBroker() = default;
  std::string host_ = "127.0.0.1";
  int port_ = 0;
  pid_t pid_ = -1;
  std::string dir_;
};

// A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read it, close).
int find_free_loopback_port();

}  // namespace hearth::app
