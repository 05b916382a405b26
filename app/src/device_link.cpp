#include "device_link.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

#include <unistd.h>

#include "hearth/fold.h"

namespace hearth::app {

devices::HubOptions hub_options(const Config& c, const BrokerAddress& broker) {
  devices::HubOptions o;
  o.mqtt.host = broker.host;
  o.mqtt.port = broker.port;
  o.mqtt.client_id = c.mqtt.client_id;
  o.mqtt.username = c.mqtt.username;
  o.mqtt.password_file = c.mqtt.password_file;
  o.mqtt.tls_ca_file = c.mqtt.tls_ca_file;
  o.mqtt.tls_cert_file = c.mqtt.tls_cert_file;
  o.mqtt.tls_key_file = c.mqtt.tls_key_file;
  o.mqtt.status_topic = c.mqtt.topic_prefix.empty() ? "" : c.mqtt.topic_prefix + "/status";
  o.discovery_prefix = c.mqtt.discovery_prefix;
  o.z2m_base = c.mqtt.zigbee2mqtt_base;
  o.command_ttl_ms = c.hub.command_ttl_ms;
  o.confirm_timeout_ms = c.hub.confirm_timeout_ms;
  o.expose_discovered = c.hub.expose_discovered == "on";
  o.command_qos = c.hub.command_qos;
  return o;
}

std::vector<devices::Device> configured_devices(const nlu::Home& home, const std::string& z2m_base) {
  std::vector<devices::Device> out;
  for (const nlu::Device& n : home.devices) {
    devices::Device d;
    d.id = n.id;
    d.name = n.name;
    d.aliases = n.aliases;
    d.area = n.area;
    d.domain = n.domain;
    d.device_class = n.device_class;
    d.features = n.features;
    d.expose = n.expose;
    d.min_temp_c = n.min_temp;
    d.max_temp_c = n.max_temp;
    d.source = "config";
    auto get = [&](const char* k) {
      auto it = n.transport.find(k);
      return it == n.transport.end() ? std::string() : it->second;
    };
    const std::string kind = get("transport");
    devices::Transport& t = d.transport;
    if (kind == "zigbee2mqtt") {
      t.schema = devices::Schema::kZigbee2Mqtt;
      t.z2m_name = get("topic");
      t.topics["command"] = z2m_base + "/" + t.z2m_name + "/set";
      t.topics["state"] = z2m_base + "/" + t.z2m_name;
      t.brightness_scale = 254;
      t.z2m_props["state"] = "state";
      if (d.has_feature("brightness")) t.z2m_props["brightness"] = "brightness";
      if (d.has_feature("color_temp")) t.z2m_props["color_temp"] = "color_temp";
      if (d.has_feature("color")) t.z2m_props["color"] = "color";
      if (d.has_feature("position")) t.z2m_props["position"] = "position";
    } else if (!get("command_topic").empty() || !get("topic").empty() || kind == "mqtt" || kind == "mqtt_json") {
      t.schema = kind == "mqtt_json" ? devices::Schema::kHaJson : devices::Schema::kHaDefault;
      const std::string base = get("topic");
      const std::string cmd = get("command_topic").empty() && !base.empty() ? base + "/set" : get("command_topic");
      const std::string state = get("state_topic").empty() && !base.empty() ? base : get("state_topic");
      if (!cmd.empty()) t.topics["command"] = cmd;
      if (!state.empty()) t.topics["state"] = state;
      if (!get("payload_on").empty()) t.payloads["on"] = get("payload_on");
      if (!get("payload_off").empty()) t.payloads["off"] = get("payload_off");
    }
    out.push_back(std::move(d));
  }
  return out;
}

nlu::Home home_from_registry(const nlu::Home& layout, const std::vector<devices::Device>& devs) {
  nlu::Home home;
  home.source = layout.source.empty() ? "the device registry" : layout.source + " and the device registry";
  home.floors = layout.floors;
  home.areas = layout.areas;
  const auto& domains = nlu::known_domains();
  for (const devices::Device& d : devs) {
    if (!d.expose) continue;
    if (std::find(domains.begin(), domains.end(), d.domain) == domains.end()) continue;
    nlu::Device n;
    n.id = d.id;
    n.name = d.name;
    n.aliases = d.aliases;
    n.domain = d.domain;
    n.device_class = d.device_class;
    n.features = d.features;
    n.expose = true;
    n.min_temp = d.min_temp_c;
    n.max_temp = d.max_temp_c;
    if (!d.area.empty()) {
      const nlu::Area* a = home.find_area(d.area);
      if (!a) {
        home.areas.push_back(nlu::Area{d.area, {}, ""});
        a = &home.areas.back();
      }
      n.area = a->name;
    }
    home.devices.push_back(std::move(n));
  }
  return home;
}

namespace {

std::string broker_file() { return state_dir() + "/broker"; }

}  // namespace

std::optional<BrokerAddress> broker_address(const Config& c) {
  if (!c.mqtt.host.empty()) return BrokerAddress{c.mqtt.host, c.mqtt.port};
  std::ifstream in(broker_file());
  std::string host;
  int port = 0;
  if (in >> host >> port && port > 0 && port < 65536) return BrokerAddress{host, port};
  return std::nullopt;
}

void write_broker_file(const BrokerAddress& b) {
  std::error_code ec;
  std::filesystem::create_directories(state_dir(), ec);
  std::ofstream out(broker_file(), std::ios::trunc);
  out << b.host << " " << b.port << "\n";
  if (!out) spdlog::warn("cannot write {}: other hearth commands will not find the broker", broker_file());
}

void remove_broker_file() {
  std::error_code ec;
  std::filesystem::remove(broker_file(), ec);
}

devices::HermesParse hermes_parse(nlu::IntentParser& parser, const std::string& text, double threshold) {
  devices::HermesParse out;
  auto u = parser.understand(text);
  if (!u || u->confidence < threshold) return out;
  for (const nlu::Intent& i : u->intents) {
    if (i.is_chat()) continue;
    devices::HermesIntent h;
    h.intent_name = i.name;
    h.confidence = u->confidence;
    for (auto it = i.slots.begin(); it != i.slots.end(); ++it) {
      devices::HermesSlot slot;
      slot.entity = it.key();
      slot.slot_name = it.key();
      slot.raw_value = it.value().is_string() ? it.value().get<std::string>() : it.value().dump();
      slot.value = {{"kind", it.value().is_number() ? "Number" : "Unknown"}, {"value", it.value()}};
      slot.confidence = u->confidence;
      h.slots.push_back(std::move(slot));
    }
    out.intents.push_back(std::move(h));
  }
  out.recognized = !out.intents.empty();
  return out;
}

CliDevices::~CliDevices() {
  hub.reset();
  outbox.reset();
  db.reset();
  std::error_code ec;
  if (!dir.empty()) std::filesystem::remove_all(dir, ec);
}

Result<std::unique_ptr<CliDevices>, std::string> connect_cli_devices(const Config& config, const nlu::Home& layout,
                                                                     int discovery_ms) {
  auto address = broker_address(config);
  if (!address) return Fail<std::string>("no MQTT broker: set mqtt.host, or start `hearth run` first");
  auto cli = std::make_unique<CliDevices>();
  char tmpl[] = "/tmp/hearth-cli-XXXXXX";
  if (!::mkdtemp(tmpl)) return Fail<std::string>("cannot create a temporary folder");
  cli->dir = tmpl;
  storage::DatabaseOptions dbo;
  dbo.path = cli->dir + "/outbox.db";
  auto db = storage::Database::open(dbo);
  if (!db) return Fail<std::string>("cannot open a private outbox: " + db.error().message);
  cli->db = std::move(db).value();
  cli->outbox = std::make_unique<storage::Outbox>(*cli->db);
  devices::HubOptions ho = hub_options(config, *address);
  ho.mqtt.client_id = config.mqtt.client_id + "-cli-" + std::to_string(::getpid());
  ho.mqtt.clean_session = true;
  ho.mqtt.status_topic.clear();  // the service's status topic is the service's
  ho.mqtt.reconnect_max_ms = 1000;
  auto hub = devices::DeviceHub::start(ho, *cli->outbox, configured_devices(layout, config.mqtt.zigbee2mqtt_base));
  if (!hub) return Fail<std::string>(hub.error().message);
  cli->hub = std::move(hub).value();
  if (!cli->hub->wait_connected(std::min(discovery_ms, 3000)))
    return Fail<std::string>(cli->hub->connection_error().empty() ? "cannot reach the MQTT broker" : cli->hub->connection_error());
  cli->hub->wait_for_discovery(300, discovery_ms);
  return cli;
}

void follow_registry(nlu::IntentParser& parser, const nlu::Home& layout, devices::DeviceHub& hub, uint64_t& seen) {
  const uint64_t v = hub.registry().layout_version();
  if (v == seen) return;
  seen = v;
  if (auto r = parser.set_home(std::make_shared<nlu::Home>(home_from_registry(layout, hub.registry().snapshot()))); !r)
    spdlog::warn("device names not updated: {}", r.error().message);
}

bool simulator_wanted(const Config& c) {
  return c.hub.simulator == "on" ||
         (c.hub.simulator == "auto" && c.mqtt.host.empty() && c.nlu.devices.empty() && !c.has_home_sections);
}

nlu::Result<nlu::Home> layout_home(const Config& config) {
  if (!config.nlu.devices.empty()) return nlu::Home::load(config.nlu.devices);
  if (config.has_home_sections) return nlu::Home::load_sections(config.source);
  if (simulator_wanted(config)) return nlu::Home::parse(devices::Simulator::layout_yaml(), "the simulated home");
  return nlu::Home{};
}

Result<DeviceSide, std::string> start_device_side(const Config& config, storage::Outbox& outbox,
                                                  const std::vector<devices::Device>& configured, bool start_broker) {
  DeviceSide side;
  if (config.mqtt.host.empty() && start_broker) {
    devices::BrokerOptions bo;
    bo.mosquitto = config.mqtt.mosquitto;
    auto b = devices::LocalBroker::start(bo);
    if (!b) return Fail<std::string>("cannot start the local MQTT broker: " + b.error().message);
    side.broker = std::move(b).value();
    side.address = {side.broker->host(), side.broker->port()};
    spdlog::info("local MQTT broker on {}:{}", side.address.host, side.address.port);
  } else if (auto a = broker_address(config)) {
    side.address = *a;
  } else {
    return Fail<std::string>("no MQTT broker: set mqtt.host, or start `hearth run` first");
  }
  if (simulator_wanted(config)) {
    devices::SimOptions so;
    so.mqtt.host = side.address.host;
    so.mqtt.port = side.address.port;
    so.discovery_prefix = config.mqtt.discovery_prefix;
    so.z2m_base = config.mqtt.zigbee2mqtt_base;
    auto s = devices::Simulator::start(so);
    if (!s) return Fail<std::string>("cannot start the simulated home: " + s.error().message);
    side.simulator = std::move(s).value();
    // Its retained announcements are on the broker before the hub subscribes, so the hub's
    // wait for discovery sees them all.
    if (!side.simulator->wait_connected(5000)) spdlog::warn("the simulated home cannot reach the broker yet");
    else std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  auto hub = devices::DeviceHub::start(hub_options(config, side.address), outbox, configured);
  if (!hub) return Fail<std::string>(hub.error().message);
  side.hub = std::move(hub).value();
  return side;
}

}  // namespace hearth::app
