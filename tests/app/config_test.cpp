#include "config.h"

#include <gtest/gtest.h>

#include <fstream>

#include "temp_dir.h"

namespace hearth::app {
namespace {

std::string write(const test::TempDir& dir, const std::string& text) {
  const std::string path = dir.file("hearth.yaml");
  std::ofstream(path) << text;
  return path;
}

TEST(Config, NoFileMeansDefaults) {
  Config c;
  EXPECT_EQ(c.log.level, "info");
  EXPECT_EQ(c.storage.busy_timeout_ms, 5000);
  EXPECT_EQ(c.mqtt.port, 1883);
  EXPECT_TRUE(c.mqtt.host.empty());
}

TEST(Config, LoadsAValidFile) {
  test::TempDir dir;
  auto c = load_config_file(write(dir, "log:\n  level: debug\nstorage:\n  database: /tmp/x.db\n  durability: full\n"
                                       "mqtt:\n  host: broker.lan\n  port: 8883\n"));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->log.level, "debug");
  EXPECT_EQ(c->storage.database, "/tmp/x.db");
  EXPECT_EQ(c->storage.durability, "full");
  EXPECT_EQ(c->mqtt.host, "broker.lan");
  EXPECT_EQ(c->mqtt.port, 8883);
  EXPECT_EQ(c->log.max_files, 5);  // untouched keys keep their defaults
}

TEST(Config, EmptyFileAndEmptySectionAreDefaults) {
  test::TempDir dir;
  EXPECT_TRUE(load_config_file(write(dir, "")));
  EXPECT_TRUE(load_config_file(write(dir, "log:\n")));
}

struct BadCase {
  const char* yaml;
  const char* expect_line;  // ":LINE:" in the message
  const char* expect_key;
  const char* expect_says;
};

TEST(Config, ErrorsNameFileLineAndKey) {
  test::TempDir dir;
  for (const BadCase& c : {
           BadCase{"log:\n  level: info\n  levle: debug\n", ":3:", "log.levle", "unknown"},
           BadCase{"logging:\n  level: info\n", ":1:", "logging", "unknown"},
           BadCase{"mqtt:\n  port: lots\n", ":2:", "mqtt.port", "not a whole number"},
           BadCase{"mqtt:\n  port: 70000\n", ":2:", "mqtt.port", "out of range"},
           BadCase{"log:\n  level: loud\n", ":2:", "log.level", "trace, debug, info, warn, error, off"},
           BadCase{"storage:\n  database: [a, b]\n", ":2:", "storage.database", "single value"},
           BadCase{"storage: 5\n", ":1:", "storage", "map"},
           BadCase{"log:\n  level: [\n", ":", "", "not valid YAML"},
       }) {
    const std::string path = write(dir, c.yaml);
    auto r = load_config_file(path);
    ASSERT_FALSE(r) << c.yaml;
    const std::string& m = r.error().message;
    EXPECT_EQ(m.rfind(path, 0), 0u) << m;
    EXPECT_NE(m.find(c.expect_line), std::string::npos) << m;
    EXPECT_NE(m.find(c.expect_key), std::string::npos) << m;
    EXPECT_NE(m.find(c.expect_says), std::string::npos) << m;
  }
}

TEST(Config, MissingFile) {
  auto r = load_config_file("/nonexistent/hearth.yaml");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("no such config file"), std::string::npos);
}

TEST(Config, ShowRoundTrips) {
  test::TempDir dir;
  Config c;
  c.log.level = "warn";
  c.mqtt.port = 1999;
  c.storage.database = "/var/lib/hearth/h.db";
  auto again = load_config_file(write(dir, config_to_yaml(c)));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->log.level, "warn");
  EXPECT_EQ(again->mqtt.port, 1999);
  EXPECT_EQ(again->storage.database, "/var/lib/hearth/h.db");
}

TEST(Config, SearchOrder) {
  test::TempDir dir;
  std::filesystem::create_directories(dir.file("cfg/hearth"));
  std::ofstream(dir.file("cfg/hearth/hearth.yaml")) << "log:\n  level: error\n";
  setenv("XDG_CONFIG_HOME", dir.file("cfg").c_str(), 1);
  auto found = load_config(std::nullopt);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->log.level, "error");
  EXPECT_EQ(found->source, dir.file("cfg/hearth/hearth.yaml"));
  // An explicit path wins, and must exist.
  EXPECT_FALSE(load_config(std::string(dir.file("missing.yaml"))));
  unsetenv("XDG_CONFIG_HOME");
}

}  // namespace
}  // namespace hearth::app

// storage cannot depend on nlu, so the `language` preference lists its choices itself: they must
// be the languages nlu has reply catalogs for.
#include "hearth/nlu/messages.h"
#include "hearth/storage/preferences.h"

TEST(Preferences, LanguageChoicesAreTheReplyCatalogs) {
  const auto specs = hearth::storage::preference_specs();
  auto it = std::find_if(specs.begin(), specs.end(), [](const auto& s) { return s.key == "language"; });
  ASSERT_NE(it, specs.end());
  std::vector<std::string> choices(it->choices.begin(), it->choices.end());
  EXPECT_EQ(choices, hearth::nlu::Messages::languages());
}

#include "voice.h"

namespace hearth::app {
namespace {

// What the recognizer listens for: each exposed device's name and aliases, and the name with its
// room before it where the name leaves the room out ("kids room blind"); never a hidden device.
TEST(Voice, VocabularyHoldsNamesAndRoomNamedDevices) {
  nlu::Home home;
  home.areas = {{"kids room", {}, ""}, {"kitchen", {"cooking area"}, ""}};
  nlu::Device blind;
  blind.name = "blind";
  blind.area = "kids room";
  nlu::Device kitchen_light;
  kitchen_light.name = "kitchen light";
  kitchen_light.area = "kitchen";
  kitchen_light.aliases = {"counter lights"};
  nlu::Device hidden;
  hidden.name = "boiler";
  hidden.area = "kitchen";
  hidden.expose = false;
  home.devices = {blind, kitchen_light, hidden};
  const auto v = vocabulary_of(home, "hey computer");
  EXPECT_EQ(v.device_names, (std::vector<std::string>{"blind", "kids room blind", "kitchen light", "counter lights"}));
  EXPECT_EQ(v.area_names, (std::vector<std::string>{"kids room", "kitchen", "cooking area"}));
  EXPECT_EQ(v.wake_phrase, "hey computer");
  // Each name with its device's kind, so the grammar can pair verbs with what they fit.
  blind.domain = "cover";
  kitchen_light.domain = "light";
  home.devices = {blind, kitchen_light};
  EXPECT_EQ(vocabulary_of(home, "").kinds,
            (std::vector<std::pair<std::string, audio::DeviceKind>>{{"blind", audio::DeviceKind::kCover},
                                                                    {"kids room blind", audio::DeviceKind::kCover},
                                                                    {"kitchen light", audio::DeviceKind::kSwitchable},
                                                                    {"counter lights", audio::DeviceKind::kSwitchable}}));
}

// The general model transcribes the wake phrase with the request, often not as itself: what
// stands where the phrase was is dropped, and nothing else. The grammar's sentences lose only
// the phrase itself (a device may be called "computer").
TEST(Voice, TranscriptsLoseTheWakePhraseAsItWasHeard) {
  auto open = [](const std::string& text) {
    audio::Hypothesis h;
    h.text = text;
    h.open = true;
    return h;
  };
  EXPECT_EQ(without_wake(open("a computer call my sister"), "hey computer"), "call my sister");
  EXPECT_EQ(without_wake(open("the a computer tell me a joke"), "hey computer"), "tell me a joke");
  EXPECT_EQ(without_wake(open("hey computer add milk to the list"), "hey computer"), "add milk to the list");
  EXPECT_EQ(without_wake(open("computer"), "hey computer"), "");
  // Too far in to be the phrase, or not heard as it at all: kept whole.
  EXPECT_EQ(without_wake(open("please switch the old computer on"), "hey computer"), "please switch the old computer on");
  EXPECT_EQ(without_wake(open("hey commuter add milk"), "hey computer"), "hey commuter add milk");
  audio::Hypothesis grammar;
  grammar.text = "turn on computer";
  EXPECT_EQ(without_wake(grammar, "hey computer"), "turn on computer");
  grammar.text = "hey computer turn on computer";
  EXPECT_EQ(without_wake(grammar, "hey computer"), "turn on computer");
  EXPECT_EQ(without_wake(open("a computer call my sister"), ""), "a computer call my sister");
}

}  // namespace
}  // namespace hearth::app
