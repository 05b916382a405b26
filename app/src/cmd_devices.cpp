// `hearth devices [--json]`, `hearth devices watch`, `hearth sim`.
#include <signal.h>
#include <sys/signalfd.h>
#include <poll.h>
#include <unistd.h>

#include <iostream>
#include <mutex>
#include <spdlog/spdlog.h>

#include "cli.h"
#include "device_link.h"

namespace hearth::app {

namespace {

struct DevicesOptions {
  bool json = false;
  std::string broker;  // sim: mqtt://host:port
};

// Blocks SIGINT/SIGTERM and returns a signalfd for them (so long-running commands stop cleanly).
int stop_signals() {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGINT);
  sigaddset(&s, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &s, nullptr);
  return signalfd(-1, &s, SFD_CLOEXEC);
}

std::unique_ptr<CliDevices> connect(CliContext& ctx, const Config& config) {
  auto layout = layout_home(config);
  if (!layout) {
    ctx.error(kExitUsage, layout.error().message);
    return nullptr;
  }
  auto d = connect_cli_devices(config, layout.value(), 2000);
  if (!d) {
    ctx.error(kExitFailure, d.error());
    return nullptr;
  }
  return std::move(d).value();
}

void list(CliContext& ctx, const DevicesOptions& o) {
  auto config = ctx.config();
  if (!config) return;
  auto devs = connect(ctx, *config);
  if (!devs) return;
  auto all = devs->hub->registry().snapshot();
  std::sort(all.begin(), all.end(), [](const devices::Device& a, const devices::Device& b) {
    return std::tie(a.area, a.name) < std::tie(b.area, b.name);
  });
  if (o.json) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& d : all) j.push_back(devices::to_json(d));
    std::cout << j.dump(2) << "\n";
    return;
  }
  if (all.empty()) {
    std::cout << "No devices found.\n";
    return;
  }
  std::string area = "\x01";
  for (const auto& d : all) {
    if (d.area != area) {
      area = d.area;
      std::cout << (area.empty() ? "(no area)" : area) << "\n";
    }
    std::cout << "  " << devices::describe_state(d) << "    [" << d.id << ", " << d.source << (d.expose ? "" : ", not exposed") << "]\n";
  }
  std::cout << all.size() << " devices\n";
}

void watch(CliContext& ctx, const DevicesOptions& o) {
  const int sfd = stop_signals();
  auto config = ctx.config();
  if (!config) return;
  auto devs = connect(ctx, *config);
  if (!devs) return;
  std::mutex out_mu;
  devs->hub->registry().add_listener([&](const devices::Change& c) {
    std::lock_guard lock(out_mu);
    if (o.json) {
      std::cout << nlohmann::json{{"change", devices::to_string(c.kind)}, {"device", devices::to_json(c.device)}}.dump() << std::endl;
    } else {
      std::cout << devices::to_string(c.kind) << ": " << devices::describe_state(c.device) << std::endl;
    }
  });
  if (!o.json) {
    std::lock_guard lock(out_mu);
    std::cout << "Watching " << devs->hub->registry().size() << " devices; Ctrl-C stops." << std::endl;
  }
  pollfd p{sfd, POLLIN, 0};
  while (::poll(&p, 1, -1) < 0 && errno == EINTR) {
  }
  ::close(sfd);
}

void sim(CliContext& ctx, const DevicesOptions& o) {
  const int sfd = stop_signals();
  auto config = ctx.config();
  if (!config) return;
  devices::SimOptions so;
  so.discovery_prefix = config->mqtt.discovery_prefix;
  so.z2m_base = config->mqtt.zigbee2mqtt_base;
  if (!o.broker.empty()) {
    if (auto r = devices::parse_broker_url(o.broker, so.mqtt); !r) return ctx.error(kExitUsage, r.error().message);
  } else if (auto a = broker_address(*config)) {
    so.mqtt.host = a->host;
    so.mqtt.port = a->port;
  } else {
    return ctx.error(kExitUsage, "no MQTT broker: give --broker mqtt://HOST:PORT, set mqtt.host, or start `hearth run`");
  }
  auto s = devices::Simulator::start(so);
  if (!s) return ctx.error(kExitFailure, s.error().message);
  if (!s.value()->wait_connected(5000))
    spdlog::warn("simulator: broker {}:{} not reachable yet; retrying", so.mqtt.host, so.mqtt.port);
  std::cout << "Simulating " << s.value()->device_ids().size() << " devices on " << so.mqtt.host << ":" << so.mqtt.port
            << ". Control: publish {\"offline\": \"<id>\"}, {\"online\": \"<id>\"} or {\"jam\": true} to hearth-sim/control."
            << " Ctrl-C stops." << std::endl;
  pollfd p{sfd, POLLIN, 0};
  while (::poll(&p, 1, -1) < 0 && errno == EINTR) {
  }
  ::close(sfd);
}

}  // namespace

void add_devices_commands(CLI::App& app, CliContext& ctx) {
  static DevicesOptions o;
  auto* devs = app.add_subcommand("devices", "List the devices hearth knows, with area, state and source");
  devs->add_flag("--json", o.json, "One JSON document");
  devs->callback([&ctx, devs] {
    if (devs->get_subcommands().empty()) list(ctx, o);
  });
  auto* w = devs->add_subcommand("watch", "Print device changes as they happen (Ctrl-C stops)");
  w->add_flag("--json", o.json, "One JSON object a line");
  w->callback([&ctx] { watch(ctx, o); });

  auto* s = app.add_subcommand("sim", "Run the simulated home (26 devices, 10 areas, 2 floors) on a broker");
  s->add_option("--broker", o.broker, "mqtt://HOST:PORT (default: mqtt.host, or the broker of a running `hearth run`)");
  s->callback([&ctx] { sim(ctx, o); });
}

}  // namespace hearth::app
