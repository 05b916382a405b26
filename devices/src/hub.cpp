// DeviceHub: the broker connection, the registry fed from it, and the courier thread that moves
// commands from the outbox to the broker in order.
#include "hearth/devices/hub.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "hearth/devices/discovery.h"

namespace hearth::devices {

const char* to_string(Outcome o) {
  switch (o) {
    case Outcome::kConfirmed: return "confirmed";
    case Outcome::kAssumed: return "assumed";
    case Outcome::kNoConfirmation: return "no confirmation";
    case Outcome::kQueued: return "queued";
    case Outcome::kExpired: return "expired";
    case Outcome::kFailed: return "failed";
    case Outcome::kUnsupported: return "unsupported";
    case Outcome::kUnavailable: return "unavailable";
  }
  return "unknown";
}

bool topic_matches(const std::string& pattern, const std::string& topic) {
  size_t p = 0, t = 0;
  while (p < pattern.size()) {
    const size_t pe = pattern.find('/', p);
    const std::string level = pattern.substr(p, pe == std::string::npos ? std::string::npos : pe - p);
    if (level == "#") return true;
    if (t > topic.size()) return false;
    const size_t te = topic.find('/', t);
    const std::string tl = topic.substr(t, te == std::string::npos ? std::string::npos : te - t);
    if (level != "+" && level != tl) return false;
    if ((pe == std::string::npos) != (te == std::string::npos)) {
      // "a/#" also matches "a"
      return pe != std::string::npos && pattern.substr(pe + 1) == "#";
    }
    if (pe == std::string::npos) return true;
    p = pe + 1;
    t = te + 1;
  }
  return t >= topic.size();
}

namespace {

// Bad input from the network is logged, but a flood must not flood the log.
class LogLimiter {
 public:
  void warn(const std::string& what) {
    const uint64_t n = ++count_;
    if (n <= 20 || n % 1000 == 0) spdlog::warn("devices: ignored {}{}", what, n > 20 ? fmt::format(" ({} so far)", n) : "");
  }

 private:
  std::atomic<uint64_t> count_{0};
};

}  // namespace

struct DeviceHub::Impl {
  HubOptions opt;
  storage::Outbox& outbox;
  Registry registry;
  std::unique_ptr<MqttClient> client;
  LogLimiter bad_messages;

  // Extra subscribers (Hermes).
  std::mutex handlers_mu;
  std::vector<std::pair<std::string, std::function<void(const MqttMessage&)>>> handlers;
  std::set<std::string> subscribed;  // under handlers_mu

  // Courier state, under mu.
  std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;
  bool dirty = true;
  std::deque<uint64_t> acked, failed;
  std::map<uint64_t, int64_t> ticket_to_id;
  std::set<int64_t> inflight;
  std::map<int64_t, std::string> id_to_device;
  std::function<void(const storage::OutboxCommand&, const std::string&)> expired_handler;
  std::thread courier;
  int64_t last_prune_ms = 0;
  static constexpr int64_t kPruneEveryMs = 60 * 1000;
  static constexpr int64_t kKeepFinishedMs = 10 * 60 * 1000;

  // Waiters in execute(): woken on any state change or command result.
  std::mutex wait_mu;
  std::condition_variable wait_cv;
  std::map<int64_t, storage::OutboxState> results;  // acked or expired commands
  std::deque<int64_t> result_order;
  std::atomic<int64_t> last_layout_change_ms{0};

  Impl(const HubOptions& o, storage::Outbox& ob) : opt(o), outbox(ob) {}

  void poke() {
    {
      std::lock_guard lock(mu);
      dirty = true;
    }
    cv.notify_all();
  }

  void record(int64_t id, storage::OutboxState s) {
    {
      std::lock_guard lock(wait_mu);
      results[id] = s;
      result_order.push_back(id);
      // Results nobody waits for (send()) are dropped oldest first.
      while (result_order.size() > 1000) {
        results.erase(result_order.front());
        result_order.pop_front();
      }
    }
    wait_cv.notify_all();
  }

  // Writes the messages of one action to the outbox (in order); their outbox ids.
  Result<std::vector<int64_t>> store(const std::string& device_id, const std::vector<Publish>& messages) {
    std::vector<int64_t> ids;
    for (const Publish& m : messages) {
      storage::OutboxCommand c;
      c.topic = m.topic;
      c.payload = m.payload;
      c.qos = opt.command_qos;
      c.retain = m.retain;
      c.ttl_ms = opt.command_ttl_ms;
      auto id = outbox.enqueue(c);
      if (!id) return fail(ErrorCode::kStorage, "cannot store the command: " + id.error().message);
      ids.push_back(id.value());
      std::lock_guard lock(mu);
      id_to_device[id.value()] = device_id;
    }
    return ids;
  }

  void subscribe_new_topics() {
    std::vector<std::string> fresh;
    {
      std::lock_guard lock(handlers_mu);
      for (const std::string& t : registry.state_topics())
        if (subscribed.insert(t).second) fresh.push_back(t);
    }
    for (const auto& t : fresh) client->subscribe(t, 1);
  }

  void on_message(const MqttMessage& m) {
    if (is_discovery_topic(m.topic, opt.discovery_prefix)) {
      auto r = parse_ha_discovery(m.topic, m.payload, opt.discovery_prefix);
      if (!r) {
        bad_messages.warn(r.error().message);
      } else if (r->removal) {
        if (registry.remove(r->id)) spdlog::info("devices: {} removed by discovery", r->id);
      } else {
        registry.upsert(r->device);
        subscribe_new_topics();
      }
    } else if (m.topic == opt.z2m_base + "/bridge/devices") {
      auto r = parse_z2m_devices(m.payload, opt.z2m_base);
      if (!r) {
        bad_messages.warn(r.error().message);
      } else {
        registry.replace_source("zigbee2mqtt", std::move(r).value());
        subscribe_new_topics();
      }
    } else {
      auto r = registry.apply_message(m.topic, m.payload);
      if (!r) bad_messages.warn(r.error().message);
    }
    std::vector<std::function<void(const MqttMessage&)>> matching;
    {
      std::lock_guard lock(handlers_mu);
      for (const auto& [pattern, h] : handlers)
        if (topic_matches(pattern, m.topic)) matching.push_back(h);
    }
    for (const auto& h : matching) h(m);
  }

  void run_courier() {
    std::unique_lock lock(mu);
    while (!stopping) {
      cv.wait_for(lock, std::chrono::milliseconds(200), [&] { return stopping || dirty || !acked.empty() || !failed.empty(); });
      if (stopping) break;
      dirty = false;
      std::deque<uint64_t> got_acks, got_fails;
      got_acks.swap(acked);
      got_fails.swap(failed);
      for (uint64_t t : got_acks) {
        auto it = ticket_to_id.find(t);
        if (it == ticket_to_id.end()) continue;
        const int64_t id = it->second;
        ticket_to_id.erase(it);
        inflight.erase(id);
        id_to_device.erase(id);
        lock.unlock();
        if (auto r = outbox.mark(id, storage::OutboxState::kAcked); !r)
          spdlog::error("outbox: cannot mark command {} acked: {}", id, r.error().message);
        record(id, storage::OutboxState::kAcked);
        lock.lock();
      }
      for (uint64_t t : got_fails) {
        auto it = ticket_to_id.find(t);
        if (it == ticket_to_id.end()) continue;
        inflight.erase(it->second);  // never reached the broker: it goes again if within its TTL
        ticket_to_id.erase(it);
      }
      // A command in flight with the broker is never reported expired: the broker may have it.
      {
        const std::set<int64_t> keep = inflight;
        lock.unlock();
        auto expired = outbox.expire_due(now_ms(), keep);
        lock.lock();
        if (!expired) {
          spdlog::error("outbox: {}", expired.error().message);
        } else {
          for (const auto& c : expired.value()) {
            auto known = id_to_device.find(c.id);
            const std::string device = known != id_to_device.end() ? known->second : "";
            if (known != id_to_device.end()) id_to_device.erase(known);
            auto handler = expired_handler;
            lock.unlock();
            spdlog::warn("devices: command {} to {} expired before the broker could take it", c.id, c.topic);
            record(c.id, storage::OutboxState::kExpired);
            if (handler) handler(c, device);
            lock.lock();
          }
        }
      }
      // Finished commands are kept a while for `hearth` to show, then pruned so the table and
      // the process stay the same size however long the hub runs.
      if (now_ms() - last_prune_ms > kPruneEveryMs) {
        last_prune_ms = now_ms();
        lock.unlock();
        if (auto r = outbox.prune_finished(now_ms() - kKeepFinishedMs); !r) spdlog::error("outbox: {}", r.error().message);
        lock.lock();
      }
      if (!client->connected()) continue;
      lock.unlock();
      auto pending = outbox.undelivered(1000);
      lock.lock();
      if (!pending) {
        spdlog::error("outbox: {}", pending.error().message);
        continue;
      }
      const int64_t now = now_ms();
      for (const auto& c : pending.value()) {
        if (inflight.count(c.id)) continue;
        if (now > c.created_ms + c.ttl_ms) {
          dirty = true;  // expires on the next pass
          continue;
        }
        const uint64_t ticket = client->publish(Publish{c.topic, c.payload, c.qos, c.retain});
        ticket_to_id[ticket] = c.id;
        inflight.insert(c.id);
        lock.unlock();
        if (auto r = outbox.mark(c.id, storage::OutboxState::kSent); !r)
          spdlog::error("outbox: cannot mark command {} sent: {}", c.id, r.error().message);
        lock.lock();
      }
    }
  }
};

Result<std::unique_ptr<DeviceHub>> DeviceHub::start(const HubOptions& options, storage::Outbox& outbox,
                                                    std::vector<Device> configured) {
  auto impl = std::make_unique<Impl>(options, outbox);
  Impl* raw = impl.get();
  impl->registry.set_expose_discovered(options.expose_discovered);
  impl->registry.set_configured(std::move(configured));
  impl->registry.add_listener([raw](const Change& c) {
    if (c.kind == ChangeKind::kAdded || c.kind == ChangeKind::kUpdated || c.kind == ChangeKind::kRemoved)
      raw->last_layout_change_ms = now_ms();
    {
      std::lock_guard lock(raw->wait_mu);
    }
    raw->wait_cv.notify_all();
  });
  MqttCallbacks cb;
  cb.on_message = [raw](const MqttMessage& m) { raw->on_message(m); };
  cb.on_connection = [raw](bool up) {
    if (up) raw->last_layout_change_ms = now_ms();
    raw->poke();
    raw->wait_cv.notify_all();
  };
  cb.on_published = [raw](uint64_t t) {
    {
      std::lock_guard lock(raw->mu);
      raw->acked.push_back(t);
    }
    raw->cv.notify_all();
  };
  cb.on_publish_failed = [raw](uint64_t t, const std::string& why) {
    spdlog::debug("devices: publish {} failed: {}", t, why);
    {
      std::lock_guard lock(raw->mu);
      raw->failed.push_back(t);
    }
    raw->cv.notify_all();
  };
  auto client = MqttClient::start(options.mqtt, std::move(cb));
  if (!client) return fail(client.error().code, client.error().message);
  impl->client = std::move(client).value();
  impl->client->subscribe(options.discovery_prefix + "/#", 1);
  impl->client->subscribe(options.z2m_base + "/bridge/devices", 1);
  impl->subscribe_new_topics();
  impl->courier = std::thread([raw] { raw->run_courier(); });
  return std::unique_ptr<DeviceHub>(new DeviceHub(std::move(impl)));
}

DeviceHub::DeviceHub(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

DeviceHub::~DeviceHub() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  if (impl_->courier.joinable()) impl_->courier.join();
  impl_->client.reset();  // joins the network thread: no callback runs after this
}

Registry& DeviceHub::registry() { return impl_->registry; }
const HubOptions& DeviceHub::options() const { return impl_->opt; }
bool DeviceHub::connected() const { return impl_->client->connected(); }
bool DeviceHub::wait_connected(int timeout_ms) const { return impl_->client->wait_connected(timeout_ms); }
std::string DeviceHub::connection_error() const { return impl_->client->last_error(); }

int64_t DeviceHub::outbox_depth() const {
  auto d = impl_->outbox.depth();
  return d ? d.value() : -1;
}

void DeviceHub::subscribe(const std::string& pattern, std::function<void(const MqttMessage&)> handler) {
  {
    std::lock_guard lock(impl_->handlers_mu);
    impl_->handlers.emplace_back(pattern, std::move(handler));
  }
  impl_->client->subscribe(pattern, 1);
}

void DeviceHub::publish(const Publish& message) { impl_->client->publish(message); }

void DeviceHub::on_expired(std::function<void(const storage::OutboxCommand&, const std::string&)> handler) {
  std::lock_guard lock(impl_->mu);
  impl_->expired_handler = std::move(handler);
}

void DeviceHub::wait_for_discovery(int quiet_ms, int max_ms) {
  const int64_t start = now_ms();
  if (!wait_connected(max_ms)) return;
  const int64_t connected_at = now_ms();  // the quiet time counts from here at the earliest
  std::unique_lock lock(impl_->wait_mu);
  while (true) {
    const int64_t now = now_ms();
    if (now - start >= max_ms) return;
    if (now - std::max(connected_at, impl_->last_layout_change_ms.load()) >= quiet_ms) return;
    impl_->wait_cv.wait_for(lock, std::chrono::milliseconds(20));
  }
}

Result<int64_t> DeviceHub::send(const std::string& device_id, const Action& action) {
  auto device = impl_->registry.find(device_id);
  if (!device) return fail(ErrorCode::kUnknownDevice, "no device " + device_id);
  auto payloads = payloads_for(*device, action);
  if (!payloads) return fail(payloads.error().code, payloads.error().message);
  auto ids = impl_->store(device_id, payloads.value());
  if (!ids) return fail(ids.error().code, ids.error().message);
  impl_->poke();
  return ids->back();
}

std::vector<ActionReport> DeviceHub::execute(const std::vector<ActionRequest>& requests) {
  struct Pending {
    size_t index;
    std::vector<int64_t> ids;
    DeviceState expected;
    bool optimistic;
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(impl_->opt.confirm_timeout_ms);
  std::vector<ActionReport> out(requests.size());
  std::vector<Pending> waiting;
  for (size_t i = 0; i < requests.size(); ++i) {
    ActionReport& rep = out[i];
    rep.device_id = requests[i].device_id;
    auto device = impl_->registry.find(requests[i].device_id);
    if (!device) {
      rep.outcome = Outcome::kUnsupported;
      rep.message = "no device " + requests[i].device_id;
      continue;
    }
    rep.device_name = device->name;
    rep.state = device->state;
    if (!device->available) {
      rep.outcome = Outcome::kUnavailable;
      rep.message = device->name + " is offline";
      continue;
    }
    auto payloads = payloads_for(*device, requests[i].action);
    if (!payloads) {
      rep.outcome = payloads.error().code == ErrorCode::kUnsupported || payloads.error().code == ErrorCode::kBadValue
                        ? Outcome::kUnsupported
                        : Outcome::kFailed;
      rep.message = payloads.error().message;
      continue;
    }
    Pending p{i, {}, expected_state(*device, requests[i].action), device->optimistic()};
    auto ids = impl_->store(device->id, payloads.value());
    if (!ids) {
      rep.outcome = Outcome::kFailed;
      rep.message = ids.error().message;
      continue;
    }
    p.ids = std::move(ids).value();
    waiting.push_back(std::move(p));
  }
  impl_->poke();

  // Wait until every stored command is settled: the device shows the change, or the broker
  // took it (optimistic devices), or it expired, or the time is up.
  std::unique_lock lock(impl_->wait_mu);
  std::vector<bool> done(waiting.size(), false);
  while (true) {
    bool all = true;
    for (size_t w = 0; w < waiting.size(); ++w) {
      if (done[w]) continue;
      Pending& p = waiting[w];
      ActionReport& rep = out[p.index];
      bool acked = true, expired = false;
      for (int64_t id : p.ids) {
        auto it = impl_->results.find(id);
        if (it == impl_->results.end()) acked = false;
        else if (it->second == storage::OutboxState::kExpired) expired = true;
        else if (it->second != storage::OutboxState::kAcked) acked = false;
      }
      auto device = impl_->registry.find(rep.device_id);
      if (device) rep.state = device->state;
      if (expired) {
        rep.outcome = Outcome::kExpired;
        done[w] = true;
      } else if (acked && (p.optimistic || p.expected.empty())) {
        if (p.optimistic && !p.expected.empty()) {
          lock.unlock();  // the registry's listeners take wait_mu
          impl_->registry.apply_optimistic(rep.device_id, p.expected);
          lock.lock();
          if (auto d2 = impl_->registry.find(rep.device_id)) rep.state = d2->state;
        }
        rep.outcome = Outcome::kAssumed;
        done[w] = true;
      } else if (device && state_matches(device->state, p.expected) && acked) {
        rep.outcome = Outcome::kConfirmed;
        done[w] = true;
      } else {
        rep.outcome = acked ? Outcome::kNoConfirmation : Outcome::kQueued;
        all = false;
      }
    }
    if (all || std::chrono::steady_clock::now() >= deadline) break;
    impl_->wait_cv.wait_until(lock, std::min(deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(50)));
  }
  // Forget settled results so the map does not grow.
  for (const auto& p : waiting)
    for (int64_t id : p.ids) impl_->results.erase(id);
  return out;
}

}  // namespace hearth::devices
