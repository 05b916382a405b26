// `hearth parse`, `hearth eval` and typed requests in `hearth run`, as a user runs them, with the
// embedded model and the NLU's fixture home. Each test gets its own XDG folders.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "subprocess.h"
#include "temp_dir.h"

namespace hearth::test {
namespace {

const std::string kHome = HEARTH_SOURCE_DIR "/tests/nlu/data/home.yaml";

class NluCli : public ::testing::Test {
 protected:
  Output hearth(const std::string& args, const std::string& input = "") {
    const std::string in = dir_.file("stdin");
    std::ofstream(in) << input;
    return run_shell("env XDG_CONFIG_HOME=" + shell_quote(dir_.file("config")) + " XDG_DATA_HOME=" + shell_quote(dir_.file("data")) +
                     " XDG_STATE_HOME=" + shell_quote(dir_.file("state")) + " " + HEARTH_BINARY + " " + args + " <" +
                     shell_quote(in));
  }
  // `hearth listen --json --wav WAV` over the test home: its JSON lines (none when it failed)
  // and its whole output.
  std::pair<std::vector<nlohmann::json>, std::string> listen(const std::string& wav) {
    auto out = hearth("listen --json --wav " + shell_quote(wav) + " --devices " + kHome);
    if (out.exit_code != 0) return {{}, out.text};
    return {json_lines(out.text), out.text};
  }
  static std::vector<nlohmann::json> json_lines(const std::string& text) {
    std::vector<nlohmann::json> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (!j.is_discarded()) out.push_back(j);
    }
    return out;
  }
  TempDir dir_;
};

}  // namespace

TEST_F(NluCli, ParsePrintsOneObjectPerLine) {
  // Plain lines are one conversation; the repeat is a second session, so it has no previous turn
  // and comes from the cache.
  auto out = hearth("parse --devices " + kHome, "turn off the kitchen lights\n");
  ASSERT_EQ(out.exit_code, 0) << out.text;
  auto more = hearth("parse --jsonl --devices " + kHome,
                     "{\"text\": \"turn off the kitchen lights\", \"session\": \"a\"}\n"
                     "{\"text\": \"turn off the kitchen lights\", \"session\": \"b\"}\n"
                     "{\"text\": \"hello\", \"session\": \"c\"}\n");
  out.text += more.text;
  ASSERT_EQ(out.exit_code, 0) << out.text;
  auto lines = json_lines(out.text);
  ASSERT_GE(lines.size(), 1u) << out.text;
  const auto& first = lines[0];
  EXPECT_EQ(first["text"], "turn off the kitchen lights");
  ASSERT_EQ(first["intents"].size(), 1u);
  EXPECT_EQ(first["intents"][0]["intent"], "HassTurnOff");
  EXPECT_EQ(first["intents"][0]["slots"]["area"], "kitchen");
  EXPECT_EQ(first["intents"][0]["targets"].size(), 2u);
  EXPECT_EQ(first["reply"], "Turning off the kitchen lights.");
  EXPECT_EQ(first["source"], "local");
  EXPECT_GT(first["confidence"].get<double>(), 0.3);
  EXPECT_TRUE(first.contains("latency_ms"));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[1]["source"], "local");
  EXPECT_EQ(lines[2]["source"], "cache");
  EXPECT_EQ(lines[2]["intents"], lines[1]["intents"]);
  EXPECT_TRUE(lines[3]["intents"].empty());
  EXPECT_EQ(lines[3]["reply"], "Hello! What can I do for you?");
}

TEST_F(NluCli, ParseJsonlWithAreasAndBadLines) {
  auto out = hearth("parse --jsonl --devices " + kHome,
                    "{\"text\": \"turn on the desk lamp\", \"area\": \"office\"}\nnot json\n{\"text\": 5}\n");
  EXPECT_EQ(out.exit_code, 2) << out.text;
  EXPECT_NE(out.text.find("stdin:2: expected a JSON object with a \"text\" string"), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("stdin:3:"), std::string::npos) << out.text;
  auto lines = json_lines(out.text);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["intents"][0]["targets"], nlohmann::json::array({"light.office_desk_lamp"}));
}

TEST_F(NluCli, ParseRefusesABadDevicesFile) {
  std::ofstream(dir_.file("bad.yaml")) << "devices:\n  - {id: x, name: lamp, domain: lamp}\n";
  auto out = hearth("parse --devices " + dir_.file("bad.yaml"), "hello\n");
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_NE(out.text.find("bad.yaml:2:"), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("unknown domain 'lamp'"), std::string::npos) << out.text;
}

TEST_F(NluCli, EvalScoresASet) {
  std::ofstream(dir_.file("set.jsonl"))
      << R"({"text": "turn off the kitchen lights", "intents": [{"intent": "HassTurnOff", "slots": {"area": "kitchen", "domain": "light"}}]})"
      << "\n"
      << R"({"text": "turn on the kettle", "intents": [{"intent": "HassTurnOff", "slots": {"name": "kettle"}}]})" << "\n";
  auto out = hearth("eval --json --set " + dir_.file("set.jsonl") + " --devices " + kHome);
  ASSERT_EQ(out.exit_code, 0) << out.text;
  auto j = nlohmann::json::parse(out.text);
  EXPECT_EQ(j["examples"], 2);
  EXPECT_DOUBLE_EQ(j["exact_match"].get<double>(), 0.5);  // the second expectation is wrong on purpose
  ASSERT_EQ(j["failures"].size(), 1u);
  EXPECT_EQ(j["failures"][0]["line"], 2);
  // What the NLU decided, and what the model wrote before the home's names were checked.
  EXPECT_NE(j["failures"][0]["got"].get<std::string>().find("HassTurnOn"), std::string::npos);
  EXPECT_NE(j["failures"][0]["model"].get<std::string>().find("HassTurnOn"), std::string::npos);
  EXPECT_EQ(j["confusions"][0]["expected"], "HassTurnOff");
  EXPECT_EQ(j["confusions"][0]["got"], "HassTurnOn");
  EXPECT_DOUBLE_EQ(j["per_intent"]["HassTurnOn"]["precision"].get<double>(), 0.0);
  ASSERT_EQ(j["confidence"].size(), 6u);
  EXPECT_DOUBLE_EQ(j["confidence"][0]["threshold"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(j["confidence"][0]["coverage"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(j["confidence"][0]["accuracy"].get<double>(), 0.5);

  std::ofstream(dir_.file("bad.jsonl")) << "{\"text\": \"x\"}\n";
  auto bad = hearth("eval --set " + dir_.file("bad.jsonl") + " --devices " + kHome);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.text.find("bad.jsonl:1: expected {\"text\", \"intents\"}"), std::string::npos) << bad.text;
}

TEST_F(NluCli, RunAnswersTypedRequestsAndKeepsHistory) {
  std::ofstream(dir_.file("hearth.yaml")) << "nlu:\n  devices: " << kHome << "\n";
  auto out = hearth("--config " + dir_.file("hearth.yaml") + " run",
                    "set a timer for 10 minutes\nadd milk to my shopping list\nturn off the kitchen lights\n");
  ASSERT_EQ(out.exit_code, 0) << out.text;
  EXPECT_NE(out.text.find("The timer is set for 10 minutes."), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("Added milk to your shopping list."), std::string::npos) << out.text;
  // The fixture home lists devices without MQTT settings: hearth says it cannot reach them.
  EXPECT_NE(out.text.find("has no MQTT settings in the devices file, so I can't control it."), std::string::npos)
      << out.text;
  auto history = hearth("history list --json");
  ASSERT_EQ(history.exit_code, 0) << history.text;
  EXPECT_NE(history.text.find("add milk to my shopping list"), std::string::npos) << history.text;
  EXPECT_NE(history.text.find("not_executed"), std::string::npos) << history.text;
}

}  // namespace hearth::test

namespace hearth::test {

TEST_F(NluCli, SayCarriesOutWhatHearthCanAndRecordsIt) {
  std::ofstream(dir_.file("hearth.yaml")) << "nlu:\n  devices: " << kHome << "\n";
  const std::string cfg = "--config " + dir_.file("hearth.yaml") + " ";
  auto add = hearth(cfg + "say --json 'add eggs to the shopping list'");
  ASSERT_EQ(add.exit_code, 0) << add.text;
  auto j = nlohmann::json::parse(add.text);
  EXPECT_EQ(j["reply"], "Added eggs to your shopping list.");
  EXPECT_EQ(j["intents"][0]["intent"], "HassListAddItem");

  auto unlock = hearth(cfg + "say --json 'unlock the front door'");
  auto u = nlohmann::json::parse(unlock.text);
  EXPECT_TRUE(u["needs_confirmation"].get<bool>()) << unlock.text;
  // No broker is configured and no `hearth run` is running: nothing can be unlocked.
  auto sure = hearth(cfg + "say --yes 'unlock the front door'");
  EXPECT_NE(sure.text.find("I can't reach the devices right now."), std::string::npos) << sure.text;

  auto history = hearth("history list --json");
  EXPECT_NE(history.text.find("add eggs to the shopping list"), std::string::npos) << history.text;
  EXPECT_NE(history.text.find("\"confirm\""), std::string::npos) << history.text;
}

}  // namespace hearth::test

namespace hearth::test {

// `hearth listen --wav`: speech (synthesized here with espeak-ng) to text against the home's
// names, then the same path as `say`. A broken file is a usage error that says what is wrong.
TEST_F(NluCli, ListenHearsAWavFile) {
  const std::string wav = dir_.file("request.wav");
  ASSERT_EQ(run_shell("espeak-ng -w " + shell_quote(wav) + " 'turn off the kitchen lights'").exit_code, 0);
  const auto [lines, out] = listen(wav);
  ASSERT_EQ(lines.size(), 1u) << out;
  // espeak-ng's default voice says the plural "s" so faintly that whether the recognizer hears
  // it changes with where its 10 ms frames fall (a few milliseconds more silence before the
  // words flip it): either is the same request.
  const std::string heard = lines[0]["heard"]["text"].get<std::string>();
  EXPECT_TRUE(heard == "turn off the kitchen lights" || heard == "turn off the kitchen light") << out;
  EXPECT_GT(lines[0]["heard"]["seconds"].get<double>(), 0.5);
  ASSERT_FALSE(lines[0]["intents"].empty()) << out;
  EXPECT_EQ(lines[0]["intents"][0]["intent"], "HassTurnOff");
  EXPECT_EQ(lines[0]["intents"][0]["slots"]["area"], "kitchen") << out;

  std::ofstream(dir_.file("broken.wav")) << "RIFF\x10\0\0\0WAVEdata";
  auto bad = hearth("listen --wav " + shell_quote(dir_.file("broken.wav")) + " --devices " + kHome);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.text.find("broken.wav"), std::string::npos) << bad.text;
}

// A request the home's grammar cannot hold (a list item is free text) is heard by the general
// en-us model instead and understood from that transcript.
TEST_F(NluCli, ListenHearsAnOpenRequestWithTheGeneralModel) {
  const std::string wav = dir_.file("open.wav");
  ASSERT_EQ(hearth("speak --voice flite:awb --wav " + shell_quote(wav) + " 'add milk to the shopping list'").exit_code, 0);
  const auto [lines, out] = listen(wav);
  ASSERT_EQ(lines.size(), 1u) << out;
  ASSERT_FALSE(lines[0]["heard"]["hypotheses"].empty()) << out;
  EXPECT_TRUE(lines[0]["heard"]["hypotheses"][0]["open"].get<bool>()) << out;
  ASSERT_FALSE(lines[0]["intents"].empty()) << out;
  EXPECT_EQ(lines[0]["intents"][0]["intent"], "HassListAddItem") << out;
  EXPECT_EQ(lines[0]["intents"][0]["slots"]["item"], "milk") << out;
}

}  // namespace hearth::test
