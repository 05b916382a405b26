// The device side as a user meets it: `hearth run` with the simulated home, `hearth devices` and
// `hearth say` beside a running hub, and the Hermes bridge answering a Hermes client with the
// shipped model. Real broker, real simulator, real model.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli.h"
#include "device_link.h"
#include "hearth/audio/speech_out.h"
#include "hearth/devices/hermes.h"
#include "hearth/devices/local_broker.h"
#include "hearth/storage/learned.h"
#include "eventually.h"
#include "mqtt_listener.h"
#include "subprocess.h"
#include "temp_dir.h"

namespace hearth::test {
namespace {

using namespace std::chrono_literals;


class DevicesCli : public ::testing::Test {
 protected:
  std::string env() const {
    return "env XDG_CONFIG_HOME=" + shell_quote(dir_.file("config")) + " XDG_DATA_HOME=" + shell_quote(dir_.file("data")) +
           " XDG_STATE_HOME=" + shell_quote(dir_.file("state")) + " ";
  }
  Output hearth(const std::string& args, const std::string& input = "") {
    const std::string in = dir_.file("stdin");
    std::ofstream(in) << input;
    return run_shell(env() + HEARTH_BINARY + " " + args + " <" + shell_quote(in));
  }
  TempDir dir_;
};

TEST_F(DevicesCli, RunCarriesOutRequestsOnTheSimulatedHome) {
  auto out = hearth("run", "turn on the bedside lamp\nset the bedroom blinds to 50%\nis the garage door open\n");
  ASSERT_EQ(out.exit_code, 0) << out.text;
  EXPECT_NE(out.text.find("devices in the simulated home"), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("Turning on the bedside lamp."), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("Setting the bedroom blinds to 50%."), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("No, the garage door is closed."), std::string::npos) << out.text;
  auto history = hearth("history list --json");
  EXPECT_NE(history.text.find("\"done\""), std::string::npos) << history.text;
}

TEST_F(DevicesCli, DevicesAndSayReachTheHubOfARunningHearth) {
  // The service in the background, as `packaging/dev.sh run` would run it.
  const std::string pidfile = dir_.file("run.pid");
  auto started = run_shell(env() + HEARTH_BINARY + " run --headless >" + shell_quote(dir_.file("run.log")) +
                           " 2>&1 & echo $! > " + shell_quote(pidfile));
  ASSERT_EQ(started.exit_code, 0);
  pid_t pid = 0;
  std::ifstream(pidfile) >> pid;
  ASSERT_GT(pid, 0);
  const std::string broker_file = dir_.file("state") + "/hearth/broker";
  ASSERT_TRUE(eventually([&] { return std::filesystem::exists(broker_file); })) << hearth("--version").text;

  auto list = hearth("devices --json");
  ASSERT_EQ(list.exit_code, 0) << list.text;
  auto devices = nlohmann::json::parse(list.text, nullptr, false);
  ASSERT_TRUE(devices.is_array()) << list.text;
  EXPECT_GE(devices.size(), 20u);
  auto text = hearth("devices");
  EXPECT_NE(text.text.find("bedside lamp (bedroom): off"), std::string::npos) << text.text;

  // A watcher in the background sees the change the next command makes.
  const std::string watched = dir_.file("watch.out");
  ASSERT_EQ(run_shell(env() + "timeout -s INT 8 " + HEARTH_BINARY + " devices watch --json >" + shell_quote(watched) +
                      " 2>/dev/null &").exit_code, 0);
  ASSERT_TRUE(eventually([&] { return std::filesystem::exists(watched); }));
  std::this_thread::sleep_for(2500ms);  // connected and subscribed
  auto say = hearth("say 'turn on the bedside lamp'");
  EXPECT_NE(say.text.find("Turning on the bedside lamp."), std::string::npos) << say.text;
  auto after = hearth("devices --json");
  bool on = false;
  for (const auto& d : nlohmann::json::parse(after.text))
    if (d["id"] == "light.bedroom_bedside_lamp") on = d["state"]["state"] == "on";
  EXPECT_TRUE(on) << after.text;
  EXPECT_TRUE(eventually([&] {
    std::ifstream in(watched);
    for (std::string line; std::getline(in, line);) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (!j.is_discarded() && j["change"] == "state" && j["device"]["id"] == "light.bedroom_bedside_lamp" &&
          j["device"]["state"]["state"] == "on")
        return true;
    }
    return false;
  }, 10s)) << run_shell("cat " + shell_quote(watched)).text;

  // Replies follow the language preference from the next request on: the device answer, the
  // state question and the state words come from the German catalog.
  ASSERT_EQ(hearth("prefs set language de").exit_code, 0);
  auto off = hearth("say 'turn off the bedside lamp'");
  EXPECT_NE(off.text.find("Schalte bedside lamp aus."), std::string::npos) << off.text;
  auto asked = hearth("say 'is the bedside lamp on'");
  EXPECT_NE(asked.text.find("Nein, bedside lamp ist aus."), std::string::npos) << asked.text;
  ASSERT_EQ(hearth("prefs set language en").exit_code, 0);
  auto back = hearth("say 'is the bedside lamp on'");
  EXPECT_NE(back.text.find("No, the bedside lamp is off."), std::string::npos) << back.text;

  ::kill(pid, SIGTERM);
  EXPECT_TRUE(eventually([&] { return ::kill(pid, 0) != 0; }, 10s));
  EXPECT_FALSE(std::filesystem::exists(broker_file));
  std::ifstream log(dir_.file("run.log"));
  std::string all((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_NE(all.find("hearth stopped"), std::string::npos) << all;
}

// Hands-free: `hearth run --headless` hears "hey computer, turn on the bedside lamp" through
// PortAudio (an ALSA file device of the test's own stands in for the microphone: see
// tests/audio/device_test.cpp) and the simulated lamp turns on; the history says it was voice.
TEST_F(DevicesCli, WakeWordAndCommandThroughTheMicrophone) {
  if (!std::filesystem::exists(std::string(HEARTH_SOURCE_DIR) + "/audio/model/hey-computer.hww")) GTEST_SKIP() << "no wake-word model";
  const std::string home = dir_.file("home");
  std::filesystem::create_directories(home);
  std::ofstream(home + "/.asoundrc") << "pcm.!default {\n  type file\n  slave.pcm \"null\"\n  file \"/dev/null\"\n  infile \""
                                     << dir_.file("feed.raw") << "\"\n  format \"raw\"\n}\n";
  auto speech = audio::synthesize("hey computer, turn on the bedside lamp", "flite:slt");
  ASSERT_TRUE(speech) << speech.error().message;
  // Three seconds of a quiet room first: time for the Hermes listener below to subscribe.
  std::vector<int16_t> feed(3 * audio::kSpeechRate, 0);
  for (size_t i = 0; i < feed.size(); ++i) feed[i] = static_cast<int16_t>((i * 7919) % 61) - 30;
  feed.insert(feed.end(), speech->samples.begin(), speech->samples.end());
  feed.insert(feed.end(), 4 * audio::kSpeechRate, 0);
  std::ofstream(dir_.file("feed.raw"), std::ios::binary)
      .write(reinterpret_cast<const char*>(feed.data()), static_cast<std::streamsize>(feed.size() * 2));

  const std::string pidfile = dir_.file("run.pid");
  ASSERT_EQ(run_shell("HOME=" + shell_quote(home) + " " + env() + HEARTH_BINARY + " run --headless >" +
                      shell_quote(dir_.file("run.log")) + " 2>&1 & echo $! > " + shell_quote(pidfile)).exit_code, 0);
  pid_t pid = 0;
  std::ifstream(pidfile) >> pid;
  ASSERT_GT(pid, 0);
  const std::string broker_file = dir_.file("state") + "/hearth/broker";
  ASSERT_TRUE(eventually([&] { return std::filesystem::exists(broker_file); }));
  // A Rhasspy-style listener on hearth's broker: the voice stages appear as Hermes topics.
  std::string host;
  int port = 0;
  ASSERT_TRUE(eventually([&] { return static_cast<bool>(std::ifstream(broker_file) >> host >> port); }));
  std::string why;
  auto listener = hearth::test::MqttListener::start(host, port, "hermes-listener", "hermes/#", &why);
  ASSERT_TRUE(listener) << why;
  bool on = false;
  EXPECT_TRUE(eventually([&] {
    auto list = nlohmann::json::parse(hearth("devices --json").text, nullptr, false);
    if (!list.is_array()) return false;
    for (const auto& d : list)
      if (d["id"] == "light.bedroom_bedside_lamp") on = d["state"]["state"] == "on";
    return on;
  }, 30s)) << run_shell("cat " + shell_quote(dir_.file("run.log"))).text;
  auto history = hearth("history list --json");
  EXPECT_NE(history.text.find("\"input\":\"voice\""), std::string::npos) << history.text;
  EXPECT_NE(history.text.find("turn on the bedside lamp"), std::string::npos) << history.text;
  auto hermes = [&](const std::string& prefix) -> std::optional<nlohmann::json> {
    if (auto m = listener->first(prefix)) return nlohmann::json::parse(m->payload, nullptr, false);
    return std::nullopt;
  };
  EXPECT_TRUE(eventually([&] { return hermes("hermes/hotword/") && hermes("hermes/asr/textCaptured"); }, 5s));
  if (auto hw = hermes("hermes/hotword/")) {
    EXPECT_TRUE(hw->contains("siteId")) << hw->dump();
  }
  if (auto tc = hermes("hermes/asr/textCaptured")) {
    EXPECT_NE(tc->value("text", std::string()).find("turn on the bedside lamp"), std::string::npos) << tc->dump();
    EXPECT_GT(tc->value("seconds", 0.0), 0.0) << tc->dump();
  }
  ::kill(pid, SIGTERM);
  EXPECT_TRUE(eventually([&] { return ::kill(pid, 0) != 0; }, 10s));
  // What the recognizer learned of this microphone's channel is kept for the next start.
  {
    auto db = storage::Database::open({dir_.file("data") + "/hearth/hearth.db"});
    ASSERT_TRUE(db) << db.error().message;
    auto channel = storage::Learned(**db).get("voice.channel:default");
    ASSERT_TRUE(channel && channel->has_value());
    EXPECT_TRUE((*channel)->is_array() && (*channel)->size() == 13) << (*channel)->dump();
  }
  ASSERT_EQ(run_shell("HOME=" + shell_quote(home) + " " + env() + HEARTH_BINARY + " run --headless >" +
                      shell_quote(dir_.file("rerun.log")) + " 2>&1 & echo $! > " + shell_quote(pidfile)).exit_code, 0);
  std::ifstream(pidfile) >> pid;
  ASSERT_GT(pid, 0);
  EXPECT_TRUE(eventually([&] {
    return run_shell("cat " + shell_quote(dir_.file("rerun.log"))).text.find("channel normalization restored") != std::string::npos;
  }, 30s)) << run_shell("cat " + shell_quote(dir_.file("rerun.log"))).text;
  ::kill(pid, SIGTERM);
  EXPECT_TRUE(eventually([&] { return ::kill(pid, 0) != 0; }, 10s));
}

// The home may live in hearth.yaml itself: floors, areas and devices beside the settings. A
// device with MQTT settings there is commanded without any discovery.
TEST_F(DevicesCli, HomeSectionsInHearthYaml) {
  const std::string cfg = dir_.file("hearth.yaml");
  std::ofstream(cfg) << "hub:\n  simulator: \"off\"\n  confirm_timeout_ms: 500\n"
                        "floors:\n  - {name: ground floor}\n"
                        "areas:\n  - {name: kitchen, floor: ground floor}\n"
                        "devices:\n  - {id: switch.coffee, name: coffee machine, area: kitchen, domain: switch,\n"
                        "     transport: mqtt, command_topic: home/coffee/set}\n";
  auto check = hearth("config check " + shell_quote(cfg));
  EXPECT_EQ(check.exit_code, 0) << check.text;
  auto parsed = hearth("--config " + shell_quote(cfg) + " parse", "turn on the coffee machine\n");
  ASSERT_EQ(parsed.exit_code, 0) << parsed.text;
  EXPECT_NE(parsed.text.find("\"targets\":[\"switch.coffee\"]"), std::string::npos) << parsed.text;
  auto run = hearth("--config " + shell_quote(cfg) + " run", "turn on the coffee machine\n");
  ASSERT_EQ(run.exit_code, 0) << run.text;
  EXPECT_EQ(run.text.find("simulated home"), std::string::npos) << run.text;
  EXPECT_NE(run.text.find("Turning on the coffee machine."), std::string::npos) << run.text;
  // A mistake in the home is reported with the file and line, like any other setting.
  std::ofstream(cfg) << "areas:\n  - {name: kitchen, floor: attic}\n";
  auto bad = hearth("--config " + shell_quote(cfg) + " parse", "hello\n");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.text.find("hearth.yaml:2"), std::string::npos) << bad.text;
}

TEST_F(DevicesCli, NoBrokerIsAClearError) {
  auto list = hearth("devices");
  EXPECT_EQ(list.exit_code, 1);
  EXPECT_NE(list.text.find("no MQTT broker"), std::string::npos) << list.text;
  auto sim = hearth("sim --broker ftp://x");
  EXPECT_EQ(sim.exit_code, 2);
  EXPECT_NE(sim.text.find("mqtt://"), std::string::npos) << sim.text;
}

// A Hermes client written here: it asks hearth's NLU over the broker, as Rhasspy satellites do.
TEST(Hermes, QueryIsAnsweredWithIntentParsedAndIntentTopics) {
  auto broker = devices::LocalBroker::start({});
  ASSERT_TRUE(broker) << broker.error().message;
  const int port = broker.value()->port();
  TempDir dir;
  storage::DatabaseOptions dbo;
  dbo.path = dir.file("h.db");
  auto db = storage::Database::open(dbo);
  ASSERT_TRUE(db);
  storage::Outbox outbox(*db.value());
  devices::HubOptions ho;
  ho.mqtt.port = port;
  auto hub = devices::DeviceHub::start(ho, outbox);
  ASSERT_TRUE(hub);
  ASSERT_TRUE(hub.value()->wait_connected(5000));

  app::Config config;
  config.nlu.devices = HEARTH_SOURCE_DIR "/tests/nlu/data/home.yaml";
  auto parser = app::make_intent_parser(config);
  ASSERT_TRUE(parser) << parser.error().message;
  devices::HermesBridge bridge(*hub.value(), [&](const std::string& text, const std::string&, const std::string&) {
    return app::hermes_parse(*parser.value(), text, 0.3);
  });

  std::string why;
  auto listener = hearth::test::MqttListener::start("127.0.0.1", port, "hermes-listener", "hermes/#", &why);
  ASSERT_TRUE(listener) << why;
  devices::MqttSettings cs;
  cs.port = port;
  cs.client_id = "hermes-satellite";
  cs.clean_session = true;
  cs.status_topic.clear();
  auto client = devices::MqttClient::start(cs, {});
  ASSERT_TRUE(client);
  ASSERT_TRUE(client.value()->wait_connected(5000));
  std::this_thread::sleep_for(200ms);  // the subscriptions are in place
  auto find = [&](const std::string& topic) -> std::optional<nlohmann::json> {
    for (const auto& m : listener->messages())
      if (m.topic == topic) return nlohmann::json::parse(m.payload);
    return std::nullopt;
  };

  client.value()->publish({"hermes/nlu/query",
                           R"({"input":"turn off the kitchen lights","siteId":"kitchen","sessionId":"s1","id":"q1"})", 1, false});
  ASSERT_TRUE(eventually([&] { return find("hermes/nlu/intentParsed") && find("hermes/intent/HassTurnOff"); }));
  auto parsed = *find("hermes/nlu/intentParsed");
  EXPECT_EQ(parsed["intent"]["intentName"], "HassTurnOff");
  EXPECT_GE(parsed["intent"]["confidenceScore"].get<double>(), 0.3);
  EXPECT_EQ(parsed["input"], "turn off the kitchen lights");
  EXPECT_EQ(parsed["siteId"], "kitchen");
  EXPECT_EQ(parsed["sessionId"], "s1");
  EXPECT_EQ(parsed["id"], "q1");
  bool area = false;
  for (const auto& s : parsed["slots"])
    if (s["slotName"] == "area") {
      area = s["rawValue"] == "kitchen" && s["value"]["value"] == "kitchen" && s["entity"] == "area";
    }
  EXPECT_TRUE(area) << parsed.dump();

  client.value()->publish({"hermes/nlu/query", R"({"input":"xq zzv blorp","siteId":"hall","sessionId":"s2"})", 1, false});
  ASSERT_TRUE(eventually([&] { return find("hermes/nlu/intentNotRecognized").has_value(); }));
  auto nr = *find("hermes/nlu/intentNotRecognized");
  EXPECT_EQ(nr["input"], "xq zzv blorp");
  EXPECT_EQ(nr["siteId"], "hall");
  EXPECT_EQ(nr["sessionId"], "s2");

  // Not a query: ignored, and the bridge keeps answering.
  client.value()->publish({"hermes/nlu/query", "not json", 1, false});
  bridge.hotword_detected("hey_computer", "kitchen", "hey computer");
  bridge.text_captured("turn on the light", 0.9, 1.5, "kitchen", "s3");
  bridge.say("Done.", "kitchen", "s3");
  ASSERT_TRUE(eventually([&] {
    return find("hermes/hotword/hey_computer/detected") && find("hermes/asr/textCaptured") && find("hermes/tts/say");
  }));
  EXPECT_EQ((*find("hermes/hotword/hey_computer/detected"))["siteId"], "kitchen");
  EXPECT_EQ((*find("hermes/asr/textCaptured"))["text"], "turn on the light");
  EXPECT_EQ((*find("hermes/tts/say"))["text"], "Done.");
}

}  // namespace
}  // namespace hearth::test
