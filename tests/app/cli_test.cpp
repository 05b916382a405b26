// The hearth executable as a user runs it: subcommands, output, exit codes. Each test gets its own
// XDG folders so nothing touches the real home.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "subprocess.h"
#include "temp_dir.h"

namespace hearth::test {
namespace {

class Cli : public ::testing::Test {
 protected:
  Output hearth(const std::string& args) { return hearth_with_env("", args); }
  Output hearth_with_env(const std::string& env, const std::string& args) {
    return run_shell("env " + env + " XDG_CONFIG_HOME=" + shell_quote(dir_.file("config")) +
                     " XDG_DATA_HOME=" + shell_quote(dir_.file("data")) +
                     " XDG_STATE_HOME=" + shell_quote(dir_.file("state")) + " " + HEARTH_BINARY + " " + args +
                     " </dev/null");
  }
  TempDir dir_;
};

TEST_F(Cli, Version) {
  auto out = hearth("version");
  EXPECT_EQ(out.exit_code, 0);
  EXPECT_EQ(out.text.rfind("hearth ", 0), 0u) << out.text;
  auto j = nlohmann::json::parse(hearth("version --json").text);
  EXPECT_EQ(j["name"], "hearth");
  EXPECT_FALSE(j["version"].get<std::string>().empty());
}

// The speech libraries and Qt are opened when voice or the window is used, not at start: a
// command without them does not load them (~25 MiB that would count against every process);
// one that speaks loads the speech library it needs.
// LD_DEBUG=libs makes the dynamic loader name every library it looks for.
TEST_F(Cli, SpeechAndWindowLibrariesLoadOnlyWhenUsed) {
  auto libs_loaded = [&](const std::string& args) { return hearth_with_env("LD_DEBUG=libs", args).text; };
  const std::string plain = libs_loaded("version");
  for (const char* lib : {"libflite", "libespeak-ng", "libpocketsphinx", "libQt6Core"})
    EXPECT_EQ(plain.find(std::string("find library=") + lib), std::string::npos) << lib << " loaded by `hearth version`";
  const std::string spoken = libs_loaded("speak --voice flite:slt --wav " + shell_quote(dir_.file("hi.wav")) + " hello");
  EXPECT_NE(spoken.find("find library=libflite_cmu_us_slt.so"), std::string::npos) << spoken.substr(0, 2000);
  EXPECT_EQ(spoken.find("find library=libflite_cmu_us_awb.so"), std::string::npos) << "a voice that was not asked for";
}

TEST_F(Cli, HelpOnEverySubcommand) {
  for (const char* cmd : {"", "run", "config", "config show", "config check", "prefs", "prefs list", "prefs get",
                          "prefs set", "prefs unset", "prefs export", "history", "history list", "history export",
                          "history clear", "version"}) {
    auto out = hearth(std::string(cmd) + " --help");
    EXPECT_EQ(out.exit_code, 0) << cmd << ": " << out.text;
    EXPECT_NE(out.text.find("Usage"), std::string::npos) << cmd;
  }
}

TEST_F(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(hearth("frobnicate").exit_code, 2);
  EXPECT_EQ(hearth("prefs").exit_code, 2);
  EXPECT_EQ(hearth("prefs set default_area").exit_code, 2);
  EXPECT_EQ(hearth("history list --limit 0").exit_code, 2);
  EXPECT_EQ(hearth("--config /nonexistent.yaml config show").exit_code, 2);
}

TEST_F(Cli, PrefsRoundTrip) {
  auto set = hearth("prefs set temperature_unit f");
  EXPECT_EQ(set.exit_code, 0) << set.text;
  EXPECT_EQ(hearth("prefs get temperature_unit").text, "F\n");
  EXPECT_EQ(hearth("prefs get temperature_unit --json").text, "\"F\"\n");

  // The language preference offers exactly the languages there are reply catalogs for.
  EXPECT_EQ(hearth("prefs set language de").exit_code, 0);
  auto klingon = hearth("prefs set language tlh");
  EXPECT_NE(klingon.exit_code, 0);
  EXPECT_NE(klingon.text.find("de"), std::string::npos) << klingon.text;  // the choices are named
  auto bad = hearth("prefs set cloud_fallback sometimes");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.text.find("off, ask, auto"), std::string::npos) << bad.text;
  // Voices are checked by the speech engines as they are set.
  auto no_voice = hearth("prefs set voice espeak-ng:en+nobody");
  EXPECT_EQ(no_voice.exit_code, 2);
  EXPECT_NE(no_voice.text.find("no voice variant \"nobody\""), std::string::npos) << no_voice.text;
  EXPECT_EQ(hearth("prefs set voice flite:awb").exit_code, 0);
  EXPECT_EQ(hearth("prefs get voice").text, "flite:awb\n");
  auto unknown = hearth("prefs get colour");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.text.find("unknown preference 'colour'"), std::string::npos) << unknown.text;

  auto list = nlohmann::json::parse(hearth("prefs list --json").text);
  ASSERT_TRUE(list.is_array());
  bool seen = false;
  for (const auto& p : list) {
    if (p["key"] == "temperature_unit") {
      seen = true;
      EXPECT_EQ(p["value"], "F");
      EXPECT_EQ(p["default"], false);
    }
  }
  EXPECT_TRUE(seen);

  EXPECT_EQ(hearth("prefs unset temperature_unit").exit_code, 0);
  EXPECT_EQ(hearth("prefs get temperature_unit").text, "C\n");

  ASSERT_EQ(hearth("prefs set speech_replies off").exit_code, 0);
  ASSERT_EQ(hearth("prefs export " + shell_quote(dir_.file("prefs.json"))).exit_code, 0);
  std::ifstream f(dir_.file("prefs.json"));
  auto exported = nlohmann::json::parse(f);
  EXPECT_EQ(exported["speech_replies"], false);
  EXPECT_EQ(exported["cloud_fallback"], "off");
}

TEST_F(Cli, DatabaseLivesInXdgDataHome) {
  ASSERT_EQ(hearth("prefs set voice espeak-ng:en-gb-x-rp").exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists(dir_.file("data/hearth/hearth.db")));
}

TEST_F(Cli, ConfigFileSetsTheDatabase) {
  std::ofstream(dir_.file("my.yaml")) << "storage:\n  database: " << dir_.file("elsewhere.db") << "\n";
  ASSERT_EQ(hearth("--config " + shell_quote(dir_.file("my.yaml")) + " prefs set voice espeak-ng:en-gb-x-rp").exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists(dir_.file("elsewhere.db")));
  EXPECT_FALSE(std::filesystem::exists(dir_.file("data/hearth/hearth.db")));
}

TEST_F(Cli, ConfigShowAndCheck) {
  auto show = hearth("config show");
  EXPECT_EQ(show.exit_code, 0);
  EXPECT_NE(show.text.find("built-in defaults"), std::string::npos);
  EXPECT_NE(show.text.find("busy_timeout_ms: 5000"), std::string::npos) << show.text;
  auto j = nlohmann::json::parse(hearth("config show --json").text);
  EXPECT_EQ(j["mqtt"]["port"], 1883);

  std::ofstream(dir_.file("good.yaml")) << "mqtt:\n  port: 1884\n";
  auto good = hearth("config check " + shell_quote(dir_.file("good.yaml")));
  EXPECT_EQ(good.exit_code, 0) << good.text;
  std::ofstream(dir_.file("bad.yaml")) << "mqtt:\n  port: 1884\n  hots: x\n";
  auto bad = hearth("config check " + shell_quote(dir_.file("bad.yaml")));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.text.find("bad.yaml:3:"), std::string::npos) << bad.text;
  EXPECT_NE(bad.text.find("mqtt.hots"), std::string::npos) << bad.text;

  // The file in $XDG_CONFIG_HOME is found without --config, and a bad one stops every command.
  std::filesystem::create_directories(dir_.file("config/hearth"));
  std::ofstream(dir_.file("config/hearth/hearth.yaml")) << "log:\n  level: shouting\n";
  auto stopped = hearth("prefs list");
  EXPECT_EQ(stopped.exit_code, 2);
  EXPECT_NE(stopped.text.find("log.level"), std::string::npos) << stopped.text;
}

TEST_F(Cli, HistoryListExportClear) {
  EXPECT_NE(hearth("history list").text.find("No history."), std::string::npos);
  // History is written by the assistant; here the test writes rows through sqlite3 directly.
  ASSERT_EQ(hearth("prefs list").exit_code, 0);  // creates the database
  const std::string db = dir_.file("data/hearth/hearth.db");
  auto ins = run_shell("sqlite3 " + shell_quote(db) +
                       " \"INSERT INTO history (time_ms, input_kind, utterance, intents, reply, outcome, latency_ms, "
                       "left_device) VALUES (strftime('%s','now')*1000, 'voice', 'turn on the porch light', '[]', "
                       "'Done.', 'done', 42, 1), (strftime('%s','now')*1000 - 1, 'text', 'what time is it', '[]', "
                       "'It is noon.', 'done', 10, 0)\"");
  ASSERT_EQ(ins.exit_code, 0) << ins.text;
  auto list = hearth("history list");
  EXPECT_NE(list.text.find("turn on the porch light"), std::string::npos) << list.text;
  EXPECT_NE(list.text.find("[cloud]"), std::string::npos) << list.text;
  auto json_lines = hearth("history list --json --search porch");
  auto row = nlohmann::json::parse(json_lines.text.substr(0, json_lines.text.find('\n')));
  EXPECT_EQ(row["utterance"], "turn on the porch light");
  EXPECT_EQ(row["left_device"], true);
  EXPECT_EQ(row["input"], "voice");
  auto exported = nlohmann::json::parse(hearth("history export").text);
  EXPECT_EQ(exported.size(), 2u);

  auto refused = hearth("history clear");  // no terminal to ask on
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.text.find("--yes"), std::string::npos);
  auto cleared = hearth("history clear --yes");
  EXPECT_EQ(cleared.exit_code, 0);
  EXPECT_NE(cleared.text.find("Deleted 2"), std::string::npos) << cleared.text;
  EXPECT_EQ(nlohmann::json::parse(hearth("history export").text).size(), 0u);
}

TEST_F(Cli, NewerDatabaseIsARuntimeFailure) {
  std::filesystem::create_directories(dir_.file("data/hearth"));
  auto mk = run_shell("sqlite3 " + shell_quote(dir_.file("data/hearth/hearth.db")) +
                      " 'CREATE TABLE schema_version (version INTEGER); INSERT INTO schema_version VALUES (42);'");
  ASSERT_EQ(mk.exit_code, 0) << mk.text;
  auto out = hearth("prefs list");
  EXPECT_EQ(out.exit_code, 1);
  EXPECT_NE(out.text.find("newer"), std::string::npos) << out.text;
}

}  // namespace
}  // namespace hearth::test
