// A test's own MQTT client on a real broker: subscribes to a topic filter and records every
// message, for tests that check what hearth published.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "hearth/devices/mqtt.h"

namespace hearth::test {

class MqttListener {
 public:
  // Connected and subscribed when it returns (null, with the reason in *error, otherwise).
  static std::unique_ptr<MqttListener> start(const std::string& host, int port, const std::string& client_id,
                                             const std::string& topic_filter, std::string* error = nullptr) {
    auto self = std::unique_ptr<MqttListener>(new MqttListener);
    devices::MqttSettings s;
    s.host = host;
    s.port = port;
    s.client_id = client_id;
    s.clean_session = true;
    s.status_topic.clear();
    devices::MqttCallbacks cb;
    MqttListener* raw = self.get();
    cb.on_message = [raw](const devices::MqttMessage& m) {
      std::lock_guard lock(raw->mu_);
      raw->seen_.push_back(m);
    };
    auto client = devices::MqttClient::start(s, cb);
    if (!client) {
      if (error) *error = client.error().message;
      return nullptr;
    }
    self->client_ = std::move(client).value();
    self->client_->subscribe(topic_filter, 1);
    if (!self->client_->wait_connected(5000)) {
      if (error) *error = "no connection to the broker";
      return nullptr;
    }
    return self;
  }

  std::vector<devices::MqttMessage> messages() const {
    std::lock_guard lock(mu_);
    return seen_;
  }
  // The first message whose topic begins with `prefix`.
  std::optional<devices::MqttMessage> first(const std::string& prefix) const {
    std::lock_guard lock(mu_);
    for (const auto& m : seen_)
      if (m.topic.rfind(prefix, 0) == 0) return m;
    return std::nullopt;
  }

 private:
  MqttListener() = default;
  mutable std::mutex mu_;
  std::vector<devices::MqttMessage> seen_;
  std::unique_ptr<devices::MqttClient> client_;  // last: stops before the state it calls into
};

}  // namespace hearth::test
