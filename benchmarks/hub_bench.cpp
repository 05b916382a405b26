// bench_hub HEARTH_BINARY [COMMANDS]: the headless hub under HTTP load, end to end.
//   - POST /api/say -> MQTT PUBLISH latency (p50/p99) with 1 and 10 concurrent clients: each
//     client switches its own light of the simulated home; a subscriber on the broker stands for
//     the lights and timestamps each command;
//   - requests/s the hub sustains (10 clients, device commands);
//   - RSS of the service after start and after COMMANDS (default 10,000) device commands.
// It starts `hearth run --headless` itself (private broker, simulated home, temporary folders)
// and prints one Markdown table.
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "hearth/devices/local_broker.h"
#include "hearth/devices/mqtt.h"

using Clock = std::chrono::steady_clock;

namespace {

long rss_kb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

double pct(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5))];
}

// The lights of the simulated home: the text that names each, and the topic its command uses.
const std::vector<std::pair<std::string, std::string>> kLights = {
    {"bedside lamp", "zigbee2mqtt/bedroom/bedside lamp/set"}, {"floor lamp", "sim/floor_lamp/set"},
    {"office light", "sim/office_light/set"},                 {"hallway light", "sim/hallway_light/set"},
    {"garage light", "sim/garage_light/set"},                 {"bathroom light", "sim/bathroom_light/set"},
    {"counter lights", "sim/counter_lights/set"},             {"dining table light", "sim/dining_light/set"},
    {"living room ceiling light", "sim/living_room_ceiling/set"}, {"kitchen ceiling light", "sim/kitchen_ceiling/set"},
};

struct Arrivals {
  std::mutex mu;
  std::condition_variable cv;
  std::map<std::string, uint64_t> count;  // topic -> messages
  std::map<std::string, Clock::time_point> last;
};

struct Run {
  std::vector<double> publish_ms, http_ms;
  int failed = 0;
  double seconds = 0;
};

// The lights used: those whose spoken name the shipped model understands (the others would only
// measure a timeout). Each client gets its own light.
std::vector<std::pair<std::string, std::string>> g_lights;

// `clients` threads, each switching its own light on and off `per_client` times.
Run load(int port, Arrivals& arrivals, int clients, int per_client) {
  Run run;
  std::mutex mu;
  const auto t0 = Clock::now();
  std::vector<std::thread> threads;
  for (int k = 0; k < clients; ++k)
    threads.emplace_back([&, k] {
      const auto& [name, topic] = g_lights[static_cast<size_t>(k) % g_lights.size()];
      httplib::Client c("127.0.0.1", port);
      c.set_read_timeout(30, 0);
      c.set_tcp_nodelay(true);  // as curl and browsers do
      for (int i = 0; i < per_client; ++i) {
        uint64_t before;
        {
          std::lock_guard lock(arrivals.mu);
          before = arrivals.count[topic];
        }
        const auto start = Clock::now();
        auto r = c.Post("/api/say", nlohmann::json{{"text", (i % 2 ? "turn off the " : "turn on the ") + name}}.dump(),
                        "application/json");
        const auto answered = Clock::now();
        std::unique_lock lock(arrivals.mu);
        const bool published = arrivals.cv.wait_for(lock, std::chrono::seconds(2), [&] { return arrivals.count[topic] > before; });
        std::lock_guard out(mu);
        if (!r || r->status != 200 || !published) {
          ++run.failed;
          continue;
        }
        run.publish_ms.push_back(std::chrono::duration<double, std::milli>(arrivals.last[topic] - start).count());
        run.http_ms.push_back(std::chrono::duration<double, std::milli>(answered - start).count());
      }
    });
  for (auto& t : threads) t.join();
  run.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_hub HEARTH_BINARY [COMMANDS]\n");
    return 2;
  }
  const std::string hearth = argv[1];
  const int commands = argc > 2 ? std::atoi(argv[2]) : 10000;
  char tmpl[] = "/tmp/hearth-hub-bench-XXXXXX";
  const std::string dir = ::mkdtemp(tmpl);
  const int port = hearth::devices::find_free_loopback_port();
  std::ofstream(dir + "/hearth.yaml") << "http:\n  port: " << port << "\n  rate_limit_per_s: 0\nlog:\n  level: warn\n";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setenv("XDG_CONFIG_HOME", (dir + "/config").c_str(), 1);
    ::setenv("XDG_DATA_HOME", (dir + "/data").c_str(), 1);
    ::setenv("XDG_STATE_HOME", (dir + "/state").c_str(), 1);
    std::freopen((dir + "/run.log").c_str(), "w", stderr);
    ::execl(hearth.c_str(), hearth.c_str(), "--config", (dir + "/hearth.yaml").c_str(), "run", "--headless", nullptr);
    std::_Exit(127);
  }
  httplib::Client probe("127.0.0.1", port);
  for (int i = 0; i < 300; ++i) {
    auto r = probe.Get("/healthz");
    if (r && r->status == 200 && nlohmann::json::parse(r->body)["devices"].get<int>() >= 20) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::string host;
  int broker_port = 0;
  std::ifstream(dir + "/state/hearth/broker") >> host >> broker_port;
  Arrivals arrivals;
  hearth::devices::MqttSettings s;
  s.host = host;
  s.port = broker_port;
  s.client_id = "bench-hub-lights";
  s.clean_session = true;
  s.status_topic.clear();
  hearth::devices::MqttCallbacks cb;
  cb.on_message = [&](const hearth::devices::MqttMessage& m) {
    const auto now = Clock::now();
    {
      std::lock_guard lock(arrivals.mu);
      ++arrivals.count[m.topic];
      arrivals.last[m.topic] = now;
    }
    arrivals.cv.notify_all();
  };
  auto sub = std::move(hearth::devices::MqttClient::start(s, cb)).value();
  sub->subscribe("sim/+/set", 1);
  sub->subscribe("zigbee2mqtt/+/+/set", 1);
  sub->wait_connected(5000);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  const long rss_start = rss_kb(pid);
  std::vector<std::pair<std::string, std::string>> usable;
  for (const auto& light : kLights) {
    g_lights = {light};
    if (load(port, arrivals, 1, 2).failed == 0) usable.push_back(light);
    else std::printf("not used (the model does not understand \"turn on the %s\")\n", light.first.c_str());
  }
  g_lights = usable;
  if (g_lights.empty()) {
    std::fprintf(stderr, "no light of the simulated home is understood\n");
    return 1;
  }
  const int clients = std::min<int>(10, static_cast<int>(g_lights.size()));
  Run one = load(port, arrivals, 1, 200);
  Run ten = load(port, arrivals, clients, 400 / clients);
  int done = 200 + 400;
  int failed = one.failed + ten.failed;
  std::vector<std::pair<int, long>> rss_at;
  while (done < commands) {
    Run more = load(port, arrivals, clients, std::min(100, (commands - done) / clients + 1));
    const int before = done;
    done += static_cast<int>(more.publish_ms.size()) + more.failed;
    failed += more.failed;
    if (before / 2500 != done / 2500) rss_at.emplace_back(done, rss_kb(pid));
  }
  const long rss_end = rss_kb(pid);
  ::kill(pid, SIGTERM);
  ::waitpid(pid, nullptr, 0);
  std::filesystem::remove_all(dir);

  std::printf("| measure | 1 client | %d clients |\n|---|---:|---:|\n", clients);
  std::printf("| say -> PUBLISH p50 | %.2f ms | %.2f ms |\n", pct(one.publish_ms, 0.5), pct(ten.publish_ms, 0.5));
  std::printf("| say -> PUBLISH p99 | %.2f ms | %.2f ms |\n", pct(one.publish_ms, 0.99), pct(ten.publish_ms, 0.99));
  std::printf("| say round trip p50 (reply after the device confirmed) | %.2f ms | %.2f ms |\n", pct(one.http_ms, 0.5),
              pct(ten.http_ms, 0.5));
  std::printf("| requests/s | %.0f | %.0f |\n", one.publish_ms.size() / one.seconds, ten.publish_ms.size() / ten.seconds);
  std::printf("\nRSS after start: %.1f MiB; after %d device commands: %.1f MiB (%d not carried out)\nRSS on the way:",
              rss_start / 1024.0, done, rss_end / 1024.0, failed);
  for (const auto& [n, kb] : rss_at) std::printf(" %d: %.1f MiB;", n, kb / 1024.0);
  std::printf("\n");
  return 0;
}
