// Device-side benchmarks against a real local mosquitto, with a registry of 200 devices:
//   - intent -> PUBLISH latency: a HassTurnOn intent for one device, through action_for_intent,
//     payloads_for, the SQLite outbox and the courier, until a subscriber (the device) has the
//     message; beside it, the broker's own figure: a bare publish -> subscriber round trip with the
//     same QoS;
//   - state messages/s absorbed by the registry (parsed, normalized, listeners told); beside it,
//     the rate at which a bare subscriber receives the same flood.
// Each benchmark iteration is one full run; p50/p99 and rates are counters.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "hearth/devices/hub.h"
#include "hearth/devices/local_broker.h"
#include "hearth/storage/database.h"
#include "hearth/storage/outbox.h"

namespace {

using namespace hearth;
using Clock = std::chrono::steady_clock;

constexpr int kDevices = 200;

struct World {
  std::unique_ptr<devices::LocalBroker> broker;
  std::string dir;
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<storage::Outbox> outbox;
  std::unique_ptr<devices::DeviceHub> hub;

  World() {
    broker = std::move(devices::LocalBroker::start({})).value();
    char tmpl[] = "/tmp/hearth-bench-XXXXXX";
    dir = ::mkdtemp(tmpl);
    storage::DatabaseOptions o;
    o.path = dir + "/h.db";
    db = std::move(storage::Database::open(o)).value();
    outbox = std::make_unique<storage::Outbox>(*db);
    std::vector<devices::Device> devs;
    for (int i = 0; i < kDevices; ++i) {
      devices::Device d;
      d.id = "switch.s" + std::to_string(i);
      d.name = "switch " + std::to_string(i);
      d.domain = "switch";
      d.transport.schema = devices::Schema::kHaDefault;
      d.transport.topics["command"] = "bench/" + std::to_string(i) + "/set";
      d.transport.topics["state"] = "bench/" + std::to_string(i) + "/state";
      devs.push_back(d);
    }
    devices::HubOptions ho;
    ho.mqtt.port = broker->port();
    ho.mqtt.client_id = "hearth-bench";
    hub = std::move(devices::DeviceHub::start(ho, *outbox, devs)).value();
    hub->wait_connected(5000);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // subscriptions in place
  }
  ~World() {
    hub.reset();
    outbox.reset();
    db.reset();
    broker.reset();
    std::filesystem::remove_all(dir);
  }
};

World& world() {
  static World w;
  return w;
}

// A subscriber standing for the device: counts arrivals and wakes the waiter.
struct Listener {
  std::mutex mu;
  std::condition_variable cv;
  uint64_t count = 0;
  std::unique_ptr<devices::MqttClient> client;
  explicit Listener(const std::string& pattern, int qos) {
    devices::MqttSettings s;
    s.port = world().broker->port();
    s.client_id = "bench-listener-" + pattern;
    s.clean_session = true;
    s.status_topic.clear();
    devices::MqttCallbacks cb;
    cb.on_message = [this](const devices::MqttMessage&) {
      {
        std::lock_guard lock(mu);
        ++count;
      }
      cv.notify_all();
    };
    client = std::move(devices::MqttClient::start(s, cb)).value();
    client->subscribe(pattern, qos);
    client->wait_connected(5000);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  void wait_for(uint64_t n) {
    std::unique_lock lock(mu);
    cv.wait_for(lock, std::chrono::seconds(10), [&] { return count >= n; });
  }
};

// A bare client of the benchmark's own (no last will, clean session).
std::unique_ptr<devices::MqttClient> bare_client(const std::string& id) {
  devices::MqttSettings s;
  s.port = world().broker->port();
  s.client_id = id;
  s.clean_session = true;
  s.status_topic.clear();
  auto c = std::move(devices::MqttClient::start(s, {})).value();
  c->wait_connected(5000);
  return c;
}

// n state messages over the 200 devices' <prefix>/<i>/state topics, ON and OFF taking turns per
// device, so every message is a change the registry must report.
void flood(devices::MqttClient& pub, const std::string& prefix, int n) {
  for (int i = 0; i < n; ++i)
    pub.publish({prefix + "/" + std::to_string(i % kDevices) + "/state", (i / kDevices) % 2 ? "ON" : "OFF", 0, false});
}

void report_latencies(benchmark::State& state, std::vector<double>& us) {
  std::sort(us.begin(), us.end());
  state.counters["p50_us"] = us[us.size() / 2];
  state.counters["p99_us"] = us[std::min(us.size() - 1, us.size() * 99 / 100)];
}

// One command per device (send(i)), each timed until the device's subscriber has it; the same
// loop for hearth and for the broker alone, so the two figures compare.
template <class Send>
void time_each(benchmark::State& state, Listener& device, Send send) {
  std::vector<double> us;
  for (auto _ : state) {
    us.clear();
    for (int i = 0; i < kDevices; ++i) {
      const uint64_t before = device.count;
      const auto t0 = Clock::now();
      if (!send(i)) state.SkipWithError("send failed");
      device.wait_for(before + 1);
      us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    }
  }
  report_latencies(state, us);
}

// 200 commands, one per device, each waited for before the next.
void BM_IntentToPublish(benchmark::State& state) {
  Listener device("bench/+/set", 2);
  auto& hub = *world().hub;
  time_each(state, device, [&](int i) {
    auto d = hub.registry().find("switch.s" + std::to_string(i));
    auto actions = devices::action_for_intent(i % 2 ? "HassTurnOff" : "HassTurnOn", nlohmann::json::object(), *d);
    return actions && !actions->empty() && hub.send(d->id, actions->front());
  });
}
BENCHMARK(BM_IntentToPublish)->Unit(benchmark::kMillisecond)->Iterations(1);

// The broker's own figure: a bare publish -> subscriber, QoS as above (the arg).
void BM_BrokerRoundTrip(benchmark::State& state) {
  const int qos = static_cast<int>(state.range(0));
  Listener device("raw/+/set", qos);
  auto pub = bare_client("bench-raw-publisher");
  time_each(state, device, [&](int i) {
    pub->publish({"raw/" + std::to_string(i) + "/set", i % 2 ? "OFF" : "ON", qos, false});
    return true;
  });
}
BENCHMARK(BM_BrokerRoundTrip)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(1);

// A flood of state messages over the 200 devices' state topics, until the registry has them.
void BM_StateAbsorbed(benchmark::State& state) {
  constexpr int kMessages = 20000;
  auto& reg = world().hub->registry();
  std::mutex mu;
  std::condition_variable cv;
  uint64_t changes = 0;
  const int token = reg.add_listener([&](const devices::Change&) {
    {
      std::lock_guard lock(mu);
      ++changes;
    }
    cv.notify_all();
  });
  auto pub = bare_client("bench-state-publisher");
  for (auto _ : state) {
    uint64_t start;
    {
      std::lock_guard lock(mu);
      start = changes;
    }
    const auto t0 = Clock::now();
    flood(*pub, "bench", kMessages);
    std::unique_lock lock(mu);
    cv.wait_for(lock, std::chrono::seconds(60), [&] { return changes - start >= kMessages; });
    const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    state.SetIterationTime(secs);
    state.counters["msgs_per_s"] = (changes - start) / secs;
    state.counters["absorbed"] = static_cast<double>(changes - start);
  }
  reg.remove_listener(token);
}
BENCHMARK(BM_StateAbsorbed)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(1);

// The broker's own figure: the same flood received by a bare subscriber.
void BM_StateBrokerOnly(benchmark::State& state) {
  constexpr int kMessages = 20000;
  Listener sink("flood/+/state", 0);
  auto pub = bare_client("bench-flood-publisher");
  for (auto _ : state) {
    const uint64_t start = sink.count;
    const auto t0 = Clock::now();
    flood(*pub, "flood", kMessages);
    sink.wait_for(start + kMessages);
    const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    state.SetIterationTime(secs);
    state.counters["msgs_per_s"] = (sink.count - start) / secs;
  }
}
BENCHMARK(BM_StateBrokerOnly)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
