// The device hub against a real mosquitto broker and the simulated home: discovery, commands
// and states per domain and schema, never losing or repeating commands when the broker or the hub
// goes down, malformed input, TLS and passwords.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "hearth/devices/hub.h"
#include "hearth/devices/local_broker.h"
#include "hearth/devices/simulator.h"
#include "hearth/storage/database.h"
#include "hearth/storage/outbox.h"
#include "eventually.h"
#include "subprocess.h"
#include "temp_dir.h"

namespace hearth::devices {
namespace {

using namespace std::chrono_literals;

using test::eventually;

std::unique_ptr<LocalBroker> start_broker(BrokerOptions o = {}) {
  auto b = LocalBroker::start(o);
  EXPECT_TRUE(b) << (b ? "" : b.error().message);
  return b ? std::move(b).value() : nullptr;
}

// A plain MQTT client of the test's own that records what arrives.
class Recorder {
 public:
  // Subscribes with QoS 2, as a device that must act once would: a QoS 1 subscriber can get a
  // copy from the broker itself when the broker restarts before it sees the PUBACK.
  Recorder(int port, const std::string& pattern, const std::string& client_id = "", bool persistent = false) {
    MqttSettings s;
    s.port = port;
    s.client_id = client_id.empty() ? "recorder-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++) : client_id;
    s.clean_session = !persistent;
    s.status_topic.clear();
    s.reconnect_max_ms = 200;
    MqttCallbacks cb;
    cb.on_message = [this](const MqttMessage& m) {
      std::lock_guard lock(mu_);
      messages_.push_back(m);
    };
    auto c = MqttClient::start(s, std::move(cb));
    EXPECT_TRUE(c);
    client_ = std::move(c).value();
    client_->subscribe(pattern, 2);
    EXPECT_TRUE(client_->wait_connected(5000));
  }
  std::vector<MqttMessage> messages() const {
    std::lock_guard lock(mu_);
    return messages_;
  }
  std::vector<std::string> payloads(const std::string& topic) const {
    std::vector<std::string> out;
    for (const auto& m : messages())
      if (m.topic == topic) out.push_back(m.payload);
    return out;
  }
  MqttClient& client() { return *client_; }

 private:
  static int& counter() {
    static int n = 0;
    return n;
  }
  mutable std::mutex mu_;
  std::vector<MqttMessage> messages_;
  std::unique_ptr<MqttClient> client_;
};

struct Store {
  test::TempDir dir;
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<storage::Outbox> outbox;
  explicit Store(const std::string& path = "") {
    storage::DatabaseOptions o;
    o.path = path.empty() ? dir.file("hearth.db") : path;
    auto d = storage::Database::open(o);
    EXPECT_TRUE(d);
    db = std::move(d).value();
    outbox = std::make_unique<storage::Outbox>(*db);
  }
};

HubOptions hub_options(int port) {
  HubOptions o;
  o.mqtt.port = port;
  o.mqtt.client_id = "hearth-test-" + std::to_string(::getpid());
  o.mqtt.reconnect_max_ms = 500;
  o.confirm_timeout_ms = 5000;
  return o;
}

std::unique_ptr<DeviceHub> start_hub(const HubOptions& o, storage::Outbox& outbox, std::vector<Device> configured = {}) {
  auto h = DeviceHub::start(o, outbox, std::move(configured));
  EXPECT_TRUE(h) << (h ? "" : h.error().message);
  return h ? std::move(h).value() : nullptr;
}

std::unique_ptr<Simulator> start_sim(int port) {
  SimOptions so;
  so.mqtt.port = port;
  so.time_scale = 4;  // covers travel in one second
  auto s = Simulator::start(so);
  EXPECT_TRUE(s) << (s ? "" : s.error().message);
  return s ? std::move(s).value() : nullptr;
}

// A configured cover whose set-position payloads carry a sequence number (0-100): the
// never-lose tests count and order them.
Device numbered_device() {
  Device d;
  d.id = "cover.numbered";
  d.name = "numbered";
  d.domain = "cover";
  d.features = {"position"};
  d.transport.schema = Schema::kHaDefault;
  d.transport.topics["position_command"] = "test/numbered/set";
  return d;
}

Action position(int n) {
  Action a;
  a.kind = ActionKind::kSetPosition;
  a.value = n;
  return a;
}

std::vector<std::string> numbers(int from, int to) {
  std::vector<std::string> v;
  for (int i = from; i < to; ++i) v.push_back(std::to_string(i));
  return v;
}

class SimulatedHome : public ::testing::Test {
 protected:
  void SetUp() override {
    broker = start_broker();
    ASSERT_TRUE(broker);
    sim = start_sim(broker->port());
    ASSERT_TRUE(sim);
    hub = start_hub(hub_options(broker->port()), *store.outbox);
    ASSERT_TRUE(hub);
    ASSERT_TRUE(hub->wait_connected(5000));
    ASSERT_TRUE(eventually([&] {
      size_t available = 0;
      for (const auto& d : hub->registry().snapshot())
        available += d.available && (!d.state.empty() || d.domain == "scene");
      return available >= sim->device_ids().size();
    })) << hub->registry().size() << " devices";
  }
  ActionReport run(const std::string& id, const std::string& intent, const nlohmann::json& slots) {
    auto d = hub->registry().find(id);
    EXPECT_TRUE(d) << id;
    if (!d) return {};
    auto actions = action_for_intent(intent, slots, *d);
    EXPECT_TRUE(actions) << id << ": " << (actions ? "" : actions.error().message);
    if (!actions || actions->empty()) return {};
    std::vector<ActionRequest> req;
    for (const auto& a : actions.value()) req.push_back({id, a});
    auto reports = hub->execute(req);
    return reports.back();
  }
  Store store;
  std::unique_ptr<LocalBroker> broker;
  std::unique_ptr<Simulator> sim;
  std::unique_ptr<DeviceHub> hub;
};

TEST_F(SimulatedHome, DiscoveryFindsEveryDeviceAreaAndDomain) {
  const auto all = hub->registry().snapshot();
  std::set<std::string> ids, areas, domains, sources;
  for (const auto& d : all) {
    ids.insert(d.id);
    areas.insert(d.area);
    domains.insert(d.domain);
    sources.insert(d.source);
    EXPECT_TRUE(d.available) << d.id;
  }
  for (const auto& id : sim->device_ids()) EXPECT_TRUE(ids.count(id)) << id;
  EXPECT_GE(all.size(), 20u);
  EXPECT_GE(areas.size(), 6u);
  for (const char* dom : {"light", "switch", "fan", "cover", "lock", "climate", "valve", "scene", "sensor", "binary_sensor", "vacuum"})
    EXPECT_TRUE(domains.count(dom)) << dom;
  EXPECT_EQ(sources, (std::set<std::string>{"discovery", "zigbee2mqtt"}));
}

TEST_F(SimulatedHome, IntentsReachTheDevicesAndTheirStateComesBack) {
  struct Case {
    std::string id, intent;
    nlohmann::json slots;
    nlohmann::json expect;  // keys of the device's state afterwards
  };
  const std::vector<Case> cases = {
      {"light.kitchen_ceiling", "HassTurnOn", {}, {{"state", "on"}}},                                   // HA default
      {"light.kitchen_ceiling", "HassLightSet", {{"brightness", 40}}, {{"brightness", 40}}},
      {"light.kitchen_ceiling", "HassLightSet", {{"temperature", 4000}}, {{"color_temp_kelvin", 4000}}},
      {"light.living_room_ceiling", "HassLightSet", {{"color", "red"}}, {{"rgb", {255, 0, 0}}}},
      {"light.floor_lamp", "HassLightSet", {{"color", "blue"}, {"brightness", 60}}, {{"rgb", {0, 0, 255}}, {"brightness", 60}}},  // HA JSON
      {"light.office_light", "HassTurnOn", {}, {{"state", "on"}}},
      {"light.bedroom_bedside_lamp", "HassLightSet", {{"temperature", 2700}}, {{"state", "on"}}},         // Zigbee2MQTT
      {"light.bedroom_bedside_lamp", "HassLightSet", {{"brightness", 30}}, {{"brightness", 30}}},
      {"light.bedroom_bedside_lamp", "HassTurnOff", {}, {{"state", "off"}}},
      {"switch.tv_plug", "HassTurnOn", {}, {{"state", "on"}}},
      {"switch.office_desk_plug", "HassToggle", {}, {{"state", "on"}}},                                  // Z2M switch
      {"fan.ceiling_fan", "HassFanSetSpeed", {{"percentage", 75}}, {{"percentage", 75}}},
      {"cover.bedroom_blinds", "HassSetPosition", {{"position", 50}}, {{"state", "opening"}}},
      {"cover.kids_room_blind", "HassTurnOn", {}, {{"state", "open"}}},                                   // Z2M cover
      {"cover.garage_door", "HassTurnOn", {}, {{"state", "opening"}}},
      {"lock.front_door", "HassTurnOff", {}, {{"state", "unlocked"}}},
      {"lock.front_door", "HassTurnOn", {}, {{"state", "locked"}}},
      {"climate.thermostat", "HassClimateSetTemperature", {{"temperature", 22}}, {{"target_temperature_c", 22}}},
      {"climate.bedroom_radiator", "HassClimateSetTemperature", {{"temperature", 21}}, {{"target_temperature_c", 21}}},
      {"valve.garden_sprinkler", "HassTurnOn", {}, {{"state", "open"}}},
      {"vacuum.robot_vacuum", "HassVacuumStart", {}, {{"state", "cleaning"}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.id + " " + c.intent + " " + c.slots.dump());
    ActionReport r = run(c.id, c.intent, c.slots);
    EXPECT_EQ(to_string(r.outcome), std::string("confirmed")) << r.message << " state " << r.state.dump();
    for (auto it = c.expect.begin(); it != c.expect.end(); ++it) {
      const auto d = hub->registry().find(c.id);
      ASSERT_TRUE(d);
      if (it.key() == "state" && (it.value() == "opening")) {
        EXPECT_TRUE(d->state["state"] == "opening" || d->state["state"] == "open") << d->state.dump();
      } else {
        EXPECT_TRUE(state_matches(d->state, {{it.key(), it.value()}})) << it.key() << ": " << d->state.dump();
      }
    }
  }
  // Covers keep moving after the command and report where they stopped.
  EXPECT_TRUE(eventually([&] { return hub->registry().find("cover.garage_door")->state["state"] == "open"; }, 5s));
  EXPECT_TRUE(eventually([&] { return hub->registry().find("cover.bedroom_blinds")->state.value("position", 0.0) == 50.0; }, 5s));
  // A scene has no state: the broker's acknowledgement is all there is.
  EXPECT_EQ(run("scene.movie_night", "HassTurnOn", {}).outcome, Outcome::kAssumed);
  // Thermostats drift toward the set point.
  const double before = hub->registry().find("climate.thermostat")->state["current_temperature_c"].get<double>();
  EXPECT_TRUE(eventually([&] {
    return hub->registry().find("climate.thermostat")->state["current_temperature_c"].get<double>() > before;
  }, 10s));
}

TEST_F(SimulatedHome, JammedLockAndOfflineDevicesAreReportedHonestly) {
  sim->set_jam(true);
  ActionReport r = run("lock.front_door", "HassTurnOff", {});
  EXPECT_EQ(r.outcome, Outcome::kNoConfirmation);
  EXPECT_EQ(r.state["state"], "jammed");

  sim->set_offline("light.garage_light", true);
  ASSERT_TRUE(eventually([&] { return !hub->registry().find("light.garage_light")->available; }));
  const int before = sim->commands_received("light.garage_light");
  r = run("light.garage_light", "HassTurnOn", {});
  EXPECT_EQ(r.outcome, Outcome::kUnavailable);
  EXPECT_EQ(sim->commands_received("light.garage_light"), before);
  sim->set_offline("light.garage_light", false);
  ASSERT_TRUE(eventually([&] { return hub->registry().find("light.garage_light")->available; }));
  EXPECT_EQ(run("light.garage_light", "HassTurnOn", {}).outcome, Outcome::kConfirmed);
}

TEST_F(SimulatedHome, MalformedMessagesAreIgnoredAndTheHubKeepsServing) {
  Recorder noise(broker->port(), "nothing/#");
  const size_t devices = hub->registry().size();
  auto pub = [&](const std::string& t, const std::string& p) { noise.client().publish(Publish{t, p, 0, false}); };
  pub("homeassistant/light/bad1/config", "{not json");
  pub("homeassistant/light/bad2/config", R"({"name": 5, "cmd_t": ["x"]})");
  pub("homeassistant/teleporter/bad3/config", R"({"name":"x","cmd_t":"x"})");
  pub("homeassistant/light/bad4/config", std::string(1 << 20, 'x'));
  pub("zigbee2mqtt/bridge/devices", "[{\"friendly_name\": 7}]");
  pub("sim/kitchen_ceiling/state", std::string(1 << 20, 'y'));
  pub("sim/kitchen_ceiling/brightness", "very bright");
  for (int i = 0; i < 10000; ++i) pub("sim/kitchen_ceiling/state", i % 2 ? "{\"state\":" : "garbage");
  // The flood has been read once a message sent after it arrives.
  pub("nothing/marker", "end");
  ASSERT_TRUE(eventually([&] { return !noise.payloads("nothing/marker").empty(); }, 30s));
  // The Z2M list was refused as a whole, so the Z2M devices are still there.
  EXPECT_EQ(hub->registry().size(), devices);
  EXPECT_EQ(run("light.kitchen_ceiling", "HassTurnOn", {}).outcome, Outcome::kConfirmed);
  EXPECT_EQ(run("light.bedroom_bedside_lamp", "HassTurnOn", {}).outcome, Outcome::kConfirmed);
}

TEST_F(SimulatedHome, DiscoveryRemovalTakesTheDeviceAway) {
  Recorder r(broker->port(), "nothing/#");
  r.client().publish(Publish{"homeassistant/switch/tv_plug/config", "", 1, true});
  EXPECT_TRUE(eventually([&] { return !hub->registry().find("switch.tv_plug"); }));
}

TEST(Hub, StatusTopicOnlineAndLastWillOffline) {
  auto broker = start_broker();
  ASSERT_TRUE(broker);
  Recorder status(broker->port(), "hearth/status");
  Store store;
  {
    auto hub = start_hub(hub_options(broker->port()), *store.outbox);
    ASSERT_TRUE(eventually([&] { auto p = status.payloads("hearth/status"); return !p.empty() && p.back() == "online"; }));
  }
  EXPECT_TRUE(eventually([&] { auto p = status.payloads("hearth/status"); return !p.empty() && p.back() == "offline"; }));
}

// --- Never lose, never repeat ---------------------------------------------------------------

TEST(NeverLose, BrokerDownAtStartThenDeliveredInOrderOnce) {
  BrokerOptions bo;
  bo.persistence = true;
  auto broker = start_broker(bo);
  ASSERT_TRUE(broker);
  // The recorder's persistent session holds what arrives while it is away.
  { Recorder once(broker->port(), "test/#", "recorder-a", true); }
  broker->stop();
  Store store;
  HubOptions o = hub_options(broker->port());
  o.command_ttl_ms = 60000;
  auto hub = start_hub(o, *store.outbox, {numbered_device()});
  ASSERT_FALSE(hub->connected());
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(hub->send("cover.numbered", position(i)));
  EXPECT_EQ(hub->outbox_depth(), 100);
  std::this_thread::sleep_for(300ms);
  ASSERT_TRUE(broker->restart());
  Recorder rec(broker->port(), "test/#", "recorder-a", true);
  ASSERT_TRUE(eventually([&] { return rec.payloads("test/numbered/set").size() >= 100; }, 20s))
      << rec.payloads("test/numbered/set").size() << " arrived; outbox depth " << hub->outbox_depth() << "\n"
      << test::run_shell("tail -20 " + broker->dir() + "/mosquitto.log").text;
  std::this_thread::sleep_for(300ms);  // anything repeated would arrive now
  EXPECT_EQ(rec.payloads("test/numbered/set"), numbers(0, 100));
  EXPECT_TRUE(eventually([&] { return hub->outbox_depth() == 0; }));
}

TEST(NeverLose, BrokerRestartMidStream) {
  BrokerOptions bo;
  bo.persistence = true;
  auto broker = start_broker(bo);
  ASSERT_TRUE(broker);
  Recorder rec(broker->port(), "test/#", "recorder-b", true);
  Store store;
  HubOptions o = hub_options(broker->port());
  o.command_ttl_ms = 60000;
  auto hub = start_hub(o, *store.outbox, {numbered_device()});
  ASSERT_TRUE(hub->wait_connected(5000));
  std::atomic<bool> sending{true};
  std::thread sender([&] {
    for (int i = 0; i < 100; ++i) {
      ASSERT_TRUE(hub->send("cover.numbered", position(i)));
      std::this_thread::sleep_for(5ms);
    }
    sending = false;
  });
  ASSERT_TRUE(eventually([&] { return rec.payloads("test/numbered/set").size() >= 30; }));
  broker->stop();  // mid-stream
  std::this_thread::sleep_for(200ms);
  ASSERT_TRUE(broker->restart());
  sender.join();
  ASSERT_TRUE(eventually([&] { return rec.payloads("test/numbered/set").size() >= 100; }, 20s));
  std::this_thread::sleep_for(300ms);
  const auto got = rec.payloads("test/numbered/set");
  EXPECT_EQ(got, numbers(0, 100)) << "delivered " << got.size();
  EXPECT_EQ(hub->outbox_depth(), 0);
}

TEST(NeverLose, HubKilledAndRestartedDeliversWhatItHadStored) {
  test::TempDir dir;
  const std::string db_path = dir.file("hearth.db");
  BrokerOptions bo;
  bo.persistence = true;
  auto broker = start_broker(bo);
  ASSERT_TRUE(broker);
  { Recorder once(broker->port(), "test/#", "recorder-c", true); }
  const int port = broker->port();
  broker->stop();
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The hub that will be killed: it stores 100 commands while the broker is away.
    Store store(db_path);
    HubOptions o = hub_options(port);
    o.command_ttl_ms = 60000;
    auto hub = DeviceHub::start(o, *store.outbox, {numbered_device()});
    if (!hub) std::_Exit(2);
    for (int i = 0; i < 100; ++i)
      if (!hub.value()->send("cover.numbered", position(i))) std::_Exit(3);
    [[maybe_unused]] ssize_t n = ::write(ready[1], "k", 1);
    for (;;) ::pause();
  }
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  ::close(ready[0]);
  ::close(ready[1]);
  ASSERT_TRUE(broker->restart());
  Store store(db_path);
  auto hub = start_hub(hub_options(port), *store.outbox, {numbered_device()});
  Recorder rec(port, "test/#", "recorder-c", true);
  ASSERT_TRUE(eventually([&] { return rec.payloads("test/numbered/set").size() >= 100; }, 20s));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(rec.payloads("test/numbered/set"), numbers(0, 100));
}

TEST(NeverLose, CommandsPastTheirTtlExpireAreReportedAndNeverSent) {
  BrokerOptions bo;
  bo.persistence = true;
  auto broker = start_broker(bo);
  ASSERT_TRUE(broker);
  { Recorder once(broker->port(), "test/#", "recorder-d", true); }
  broker->stop();
  Store store;
  HubOptions o = hub_options(broker->port());
  o.command_ttl_ms = 700;
  o.confirm_timeout_ms = 300;
  auto hub = start_hub(o, *store.outbox, {numbered_device()});
  std::mutex mu;
  std::vector<std::string> expired;
  hub->on_expired([&](const storage::OutboxCommand& c, const std::string& device) {
    std::lock_guard lock(mu);
    expired.push_back(device + ":" + c.payload);
  });
  auto reports = hub->execute({{"cover.numbered", position(7)}});
  EXPECT_EQ(reports[0].outcome, Outcome::kQueued);
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(hub->send("cover.numbered", position(i)));
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(mu);
    return expired.size() == 21;
  }, 5s));
  EXPECT_EQ(expired.front(), "cover.numbered:7");
  ASSERT_TRUE(broker->restart());
  Recorder rec(broker->port(), "test/#", "recorder-d", true);
  ASSERT_TRUE(hub->wait_connected(5000));
  ASSERT_TRUE(hub->send("cover.numbered", position(99)));  // a fresh one goes out
  ASSERT_TRUE(eventually([&] { return !rec.payloads("test/numbered/set").empty(); }));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(rec.payloads("test/numbered/set"), (std::vector<std::string>{"99"}));
}

// --- TLS and passwords ------------------------------------------------------------------------

TEST(Security, TlsListenerAndPasswordListener) {
  test::TempDir certs;
  const std::string d = certs.path();
  auto sh = [&](const std::string& cmd) {
    auto out = test::run_shell("cd " + d + " && " + cmd);
    EXPECT_EQ(out.exit_code, 0) << cmd << "\n" << out.text;
  };
  sh("openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj /CN=hearth-test-ca");
  sh("openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=localhost");
  sh("printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > san.ext && openssl x509 -req -in server.csr -CA ca.crt "
     "-CAkey ca.key -CAcreateserial -out server.crt -days 2 -extfile san.ext");
  sh("mosquitto_passwd -c -b passwd hearth s3cret");
  sh("chmod 644 server.key passwd && chmod 755 .");
  const int tls_port = find_free_loopback_port(), pw_port = find_free_loopback_port();
  BrokerOptions bo;
  bo.prelude = "per_listener_settings true";
  bo.extra_config = "listener " + std::to_string(tls_port) + " 127.0.0.1\nallow_anonymous true\ncafile " + d +
                    "/ca.crt\ncertfile " + d + "/server.crt\nkeyfile " + d + "/server.key\n" + "listener " +
                    std::to_string(pw_port) + " 127.0.0.1\nallow_anonymous false\npassword_file " + d + "/passwd\n";
  auto broker = start_broker(bo);
  ASSERT_TRUE(broker);
  Store store;

  // TLS with the CA: connects.
  HubOptions tls = hub_options(tls_port);
  tls.mqtt.host = "localhost";
  tls.mqtt.tls_ca_file = d + "/ca.crt";
  {
    auto hub = start_hub(tls, *store.outbox);
    EXPECT_TRUE(hub->wait_connected(5000)) << hub->connection_error();
  }
  // Plain MQTT to the TLS port: no connection.
  {
    auto hub = start_hub(hub_options(tls_port), *store.outbox);
    EXPECT_FALSE(hub->wait_connected(1000));
  }
  // Password from a private file.
  const std::string pw = d + "/password";
  std::ofstream(pw) << "s3cret\n";
  ::chmod(pw.c_str(), 0600);
  HubOptions auth = hub_options(pw_port);
  auth.mqtt.username = "hearth";
  auth.mqtt.password_file = pw;
  {
    auto hub = start_hub(auth, *store.outbox);
    EXPECT_TRUE(hub->wait_connected(5000)) << hub->connection_error();
  }
  // A wrong password is refused by the broker, and says so.
  const std::string wrong = d + "/wrong";
  std::ofstream(wrong) << "guess\n";
  ::chmod(wrong.c_str(), 0600);
  auth.mqtt.password_file = wrong;
  {
    auto hub = start_hub(auth, *store.outbox);
    EXPECT_FALSE(hub->wait_connected(1500));
    EXPECT_NE(hub->connection_error().find("refused"), std::string::npos) << hub->connection_error();
  }
  // A password file others may read is refused before connecting.
  ::chmod(pw.c_str(), 0644);
  auth.mqtt.password_file = pw;
  auto refused = DeviceHub::start(auth, *store.outbox);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kBadSettings);
  EXPECT_NE(refused.error().message.find("chmod 600"), std::string::npos);
}

TEST(Hub, TopicMatching) {
  EXPECT_TRUE(topic_matches("a/+/c", "a/b/c"));
  EXPECT_TRUE(topic_matches("a/#", "a/b/c"));
  EXPECT_TRUE(topic_matches("a/#", "a"));
  EXPECT_FALSE(topic_matches("a/+", "a/b/c"));
  EXPECT_FALSE(topic_matches("a/b", "a/c"));
  EXPECT_TRUE(topic_matches("hermes/nlu/query", "hermes/nlu/query"));
}

}  // namespace
}  // namespace hearth::devices
