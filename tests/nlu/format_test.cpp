// The text formats: C++ and the Python training pipeline make the same prompts and answers for
// every example of the held-out set, and the output grammar accepts every answer the corpus
// holds (with the names of its home) and nothing off-contract.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "hearth/color_names.h"
#include "hearth/engine/grammar.h"
#include "hearth/nlu/contract.h"
#include "hearth/nlu/home.h"
#include "hearth/nlu/intent.h"
#include "hearth/nlu/parser.h"
#include "hearth/nlu/prompt.h"
#include "../../nlu/src/colors_said.h"
#include "../../nlu/src/follow_up.h"
#include "../../nlu/src/free_text.h"
#include "../../nlu/src/language.h"
#include "../../nlu/src/names.h"
#include "../../nlu/src/numbers_said.h"
#include "../../nlu/src/actions_said.h"
#include "../../nlu/src/turn_words.h"

using namespace hearth::nlu;
namespace eng = hearth::engine;

namespace {

const std::string kSet = HEARTH_SOURCE_DIR "/nlu/eval/heldout.jsonl";

std::vector<nlohmann::json> read_jsonl(const std::string& path) {
  std::vector<nlohmann::json> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  return out;
}

std::vector<std::string> run_lines(const std::string& cmd) {
  std::vector<std::string> out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  std::string cur;
  for (int c; (c = fgetc(p)) != EOF;) {
    if (c == '\n') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += static_cast<char>(c);
    }
  }
  pclose(p);
  return out;
}

std::vector<Intent> intents_of(const nlohmann::json& j) { return intents_from_json(j).value(); }

}  // namespace

TEST(Format, NormalizeKeepsNumbersAndDropsPunctuation) {
  EXPECT_EQ(normalize("  Turn ON the Kitchen lights, please!  "), "turn on the kitchen lights please");
  EXPECT_EQ(normalize("Set it to 21.5. At 7:30?"), "set it to 21.5 at 7:30");
  EXPECT_EQ(normalize("emma's room"), "emma's room");
  EXPECT_EQ(normalize("\"quoted\" (x) [y] {z};"), "quoted x y z");
  EXPECT_EQ(normalize("Küche"), "küche");  // other bytes pass through
  EXPECT_EQ(make_prompt("Hi", ""), "user: hi intent:");
  EXPECT_EQ(make_prompt("too", "[{\"intent\":\"HassTurnOn\"}]"), "prev: [{\"intent\":\"HassTurnOn\"}] user: too intent:");
  Intent lamp{"HassTurnOn", {{"name", "desk lamp"}, {"domain", "light"}}, {}};
  EXPECT_EQ(encode_intents({lamp}), R"([{"intent":"HassTurnOn","name":" desk lamp","domain":" light"}])");
  auto back = decode_intents(" " + encode_intents({lamp}));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->at(0), lamp);
}

TEST(Format, SameAsTheTrainingPipeline) {
  const auto set = read_jsonl(kSet);
  ASSERT_GT(set.size(), 1000u);
  const auto ref = run_lines(std::string(HEARTH_PYTHON) + " " HEARTH_SOURCE_DIR "/tests/nlu/format_reference.py " + kSet);
  ASSERT_EQ(ref.size(), set.size()) << "format_reference.py failed";
  for (size_t i = 0; i < set.size(); ++i) {
    const auto r = nlohmann::json::parse(ref[i]);
    const std::string prev = set[i].contains("prev") ? encode_intents(intents_of(set[i]["prev"])) : "";
    ASSERT_EQ(make_prompt(set[i]["text"].get<std::string>(), prev), r["prompt"].get<std::string>()) << "line " << i + 1;
    ASSERT_EQ(" " + encode_intents(intents_of(set[i]["intents"])), r["target"].get<std::string>()) << "line " << i + 1;
  }
}

class GrammarOfTheContract : public ::testing::Test {
 protected:
  void SetUp() override {
    auto g = eng::Grammar::parse(output_grammar());
    ASSERT_TRUE(g) << g.error().message << "\n" << output_grammar();
    grammar_ = g.value();
    use_home(HEARTH_SOURCE_DIR "/nlu/eval/heldout-home.yaml");
  }
  // The value sets as the parser makes them: names and aliases.
  void use_home(const std::string& path) {
    auto home = Home::load(path);
    ASSERT_TRUE(home) << home.error().message;
    std::vector<std::string> names = {"all"}, areas, floors;
    for (const auto& d : home->devices) {
      names.push_back(d.name);
      names.insert(names.end(), d.aliases.begin(), d.aliases.end());
    }
    for (const auto& a : home->areas) {
      areas.push_back(a.name);
      areas.insert(areas.end(), a.aliases.begin(), a.aliases.end());
    }
    for (const auto& f : home->floors) {
      floors.push_back(f.name);
      floors.insert(floors.end(), f.aliases.begin(), f.aliases.end());
    }
    sets_ = std::make_shared<eng::ValueSets>();
    sets_->set("names", names);
    sets_->set("areas", areas);
    sets_->set("floors", floors);
    std::vector<std::string> colors;  // the parser offers those said; here all of them
    for (const auto& c : hearth::color_names()) colors.emplace_back(c.name);
    sets_->set("colors", colors);
  }
  bool accepts(const std::string& text, const std::vector<std::string>& said = {"milk"},
               const std::vector<std::string>& lists = {"camping"}) {
    auto sets = std::make_shared<eng::ValueSets>(*sets_);
    sets->set("said", said);
    sets->set("lists", lists);
    auto s = eng::GrammarState::create(grammar_, sets).value();
    return s->accept(text) && s->complete();
  }
  // Every expected answer fits the grammar, with free text from what was said (SaidWords, as
  // the parser restricts it).
  // Where every number was said in digits, the durations are only those numbers (the grammar
  // with kDurationsSaid, as the parser uses it): the expected answers must still fit.
  void accepts_every_answer_of(const std::string& set) {
    auto durations = eng::Grammar::parse(output_grammar(kDurationsSaid));
    ASSERT_TRUE(durations) << durations.error().message;
    int restricted = 0;
    for (const auto& ex : read_jsonl(set)) {
      const std::string answer = " " + encode_intents(intents_of(ex["intents"]));
      std::vector<Intent> prev;
      if (ex.contains("prev")) prev = intents_of(ex["prev"]);
      const SaidWords said(ex["text"].get<std::string>(), prev);
      ASSERT_TRUE(accepts(answer, said.phrases(), said.list_names())) << set << ": " << answer;
      if (said.numbers().empty()) continue;
      ++restricted;
      auto sets = std::make_shared<eng::ValueSets>(*sets_);
      sets->set("said", said.phrases());
      sets->set("lists", said.list_names());
      sets->set("numbers", said.numbers());
      auto state = eng::GrammarState::create(durations.value(), sets).value();
      EXPECT_TRUE(state->accept(answer) && state->complete()) << set << ": " << ex["text"] << " -> " << answer;
    }
    EXPECT_GT(restricted, 0) << set;
  }
  std::shared_ptr<const eng::Grammar> grammar_;
  std::shared_ptr<eng::ValueSets> sets_;
};

TEST_F(GrammarOfTheContract, AcceptsEveryAnswerOfTheEvaluationSets) {
  accepts_every_answer_of(kSet);
  use_home(HEARTH_SOURCE_DIR "/nlu/eval/handwritten-home.yaml");
  accepts_every_answer_of(HEARTH_SOURCE_DIR "/nlu/eval/handwritten.jsonl");
}

TEST_F(GrammarOfTheContract, RefusesWhatIsOffContract) {
  EXPECT_TRUE(accepts(" []"));
  EXPECT_TRUE(accepts(R"( [{"intent":"HassTurnOn","name":" all","domain":" light"}])"));
  EXPECT_FALSE(accepts(R"( [{"intent":"HassTurnOn","name":"all","domain":" light"}])"));     // values follow a space
  EXPECT_FALSE(accepts(R"( [{"intent":"HassTurnOnn"}])"));                                  // unknown intent
  EXPECT_FALSE(accepts(R"( [{"intent":"HassTurnOn","name":" no such device"}])"));          // name not in the home
  EXPECT_FALSE(accepts(R"( [{"intent":"HassTurnOn","brightness":5}])"));                    // slot of another intent
  EXPECT_FALSE(accepts(R"( [{"intent":"HassTurnOn","domain":" toaster"}])"));               // unknown domain
  EXPECT_FALSE(accepts(R"( [{"intent":"HassLightSet","domain":" light","brightness":" high"}])"));  // not a number
  EXPECT_FALSE(accepts(R"( [{"intent":"HassTurnOn","domain":" light","name":" all"}])"));   // slot order
  EXPECT_FALSE(accepts(R"( [{"intent":"HassListAddItem","item":" "}])"));                   // empty text
  EXPECT_TRUE(accepts(R"( [{"intent":"HassListAddItem","item":" milk"}])"));
  EXPECT_FALSE(accepts(R"( [{"intent":"HassListAddItem","item":" eggs"}])"));               // not said
  // A list's name is what was said right before "list" ("add coffee beans to the list" once
  // named the list "to").
  EXPECT_TRUE(accepts(R"( [{"intent":"HassListAddItem","name":" camping","item":" milk"}])"));
  EXPECT_FALSE(accepts(R"( [{"intent":"HassListAddItem","name":" to","item":" milk"}])", {"milk", "to"}));
  // A colour is a colour name, not any words that were said ("change the night light to green"
  // once came out as the colour "light to").
  EXPECT_TRUE(accepts(R"( [{"intent":"HassLightSet","domain":" light","color":" sky blue"}])"));
  EXPECT_FALSE(accepts(R"( [{"intent":"HassLightSet","domain":" light","color":" light to"}])", {"light to"}));
}

// Numbers can only be written within their slot's range (the range check after decoding then
// never refuses the model's answer).
TEST_F(GrammarOfTheContract, NumbersStayInTheirSlotsRange) {
  auto with = [&](const std::string& slot, const std::string& value) {
    return accepts(R"( [{"intent":"HassLightSet","domain":" light",")" + slot + "\":" + value + "}]");
  };
  for (int v = 0; v <= 1200; ++v) {
    ASSERT_EQ(with("brightness", std::to_string(v)), v <= 100) << "brightness " << v;
    ASSERT_EQ(with("brightness_step", std::to_string(-v)), v <= 100) << "brightness_step -" << v;
  }
  for (int v : {999, 1000, 2700, 6500, 9999, 10000, 10001, 12000, 99999})
    EXPECT_EQ(with("temperature", std::to_string(v)), v >= 1000 && v <= 10000) << "colour temperature " << v;
  EXPECT_FALSE(with("brightness", "05")) << "no leading zeros";
  EXPECT_TRUE(accepts(R"( [{"intent":"HassClimateSetTemperature","temperature":24.5}])"));
  EXPECT_FALSE(accepts(R"( [{"intent":"HassClimateSetTemperature","temperature":240}])"));
  EXPECT_TRUE(accepts(R"( [{"intent":"HassStartTimer","minutes":2,"seconds":30}])"));
}

TEST(Intents, DecodingChecksRangesAndSlots) {
  auto ok = decode_intents(R"( [{"intent":"HassLightSet","domain":"light","brightness":40}])");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->at(0).slots["brightness"], 40);
  struct Case {
    const char* text;
    const char* says;
  } cases[] = {
      {R"( [{"intent":"HassLightSet","brightness":140}])", "HassLightSet.brightness is 140, allowed 0 to 100"},
      {R"( [{"intent":"HassSetPosition","position":2.5}])", "must be a whole number"},
      {R"( [{"intent":"HassTurnOn","topic":"x"}])", "HassTurnOn has no slot 'topic'"},
      {R"( [{"intent":"Bogus"}])", "unknown intent 'Bogus'"},
      {R"( [{"intent":"chat","topic":"weather"}])", "is not an allowed value"},
      {R"( [{"intent":"HassLightSet","color":" make"}])", "HassLightSet.color 'make' is not an allowed value"},
      {R"( {"intent":"HassTurnOn"})", "not a list"},
      {R"( [{"intent":)", "not JSON"},
  };
  for (const auto& c : cases) {
    auto r = decode_intents(c.text);
    ASSERT_FALSE(r) << c.text;
    EXPECT_NE(r.error().message.find(c.says), std::string::npos) << r.error().message;
  }
}

TEST(Said, NamesMustHaveBeenSaid) {
  const SaidWords said("Turn on the Kitchen Lights and the livingroom lamp", {});
  EXPECT_TRUE(said.said("kitchen light"));  // plural-insensitive
  EXPECT_TRUE(said.said("living room"));    // said run together
  EXPECT_FALSE(said.said("kitchen island"));
  EXPECT_EQ(said.filter({"all", "kitchen", "office"}), (std::vector<std::string>{"kitchen"}));
  EXPECT_EQ(SaidWords("turn everything off", {}).filter({"all", "kitchen"}), (std::vector<std::string>{"all"}));
  const auto phrases = said.phrases();
  EXPECT_NE(std::find(phrases.begin(), phrases.end(), "kitchen lights"), phrases.end());
  Intent prev{"HassTurnOn", {{"name", "desk lamp"}}, {}};
  EXPECT_TRUE(SaidWords("make it brighter", {prev}).said("desk lamp"));  // from the previous turn
  EXPECT_EQ(SaidWords("add tent to my camping list", {}).list_names(),
            (std::vector<std::string>{"camping", "my camping", "to my camping"}));
  EXPECT_TRUE(SaidWords("put bacon on list", {}).list_names().empty());  // "on" names no list
}

namespace {

// A request's words, as the parser splits normalize()d text.
std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> w;
  std::istringstream in(s);
  for (std::string x; in >> x;) w.push_back(x);
  return w;
}

}  // namespace

// A name or place the model wrote shorter than it was said is widened to the home's longer one
// said there ("bedroom" for "third bedroom"), only when every place it was said is inside it.
TEST(Said, ShortenedNamesAreWidenedToWhatWasSaid) {
  const std::vector<std::string> areas = {"bedroom", "third bedroom", "porch", "front porch", "bed"};
  EXPECT_EQ(widen_to_said("bedroom", areas, words("what fans are off in third bedroom")), "third bedroom");
  EXPECT_EQ(widen_to_said("porch", areas, words("heat front porch to 20")), "front porch");
  EXPECT_EQ(widen_to_said("bed", areas, words("lights off in the third bedroom")), "bed");  // not a word of it
  EXPECT_EQ(widen_to_said("bedroom", areas, words("the bedroom lamp in the third bedroom")), "bedroom");
  EXPECT_EQ(widen_to_said("bedroom", areas, words("lights off in the bedroom")), "bedroom");
  EXPECT_EQ(widen_to_said("third bedroom", areas, words("third bedroom lights")), "third bedroom");
}

// A device named in full where the model wrote only its kind gets its name; a bare kind, a class
// written exactly, two named devices or a name already taken leave the intents alone.
TEST(Said, ADeviceNamedInFullIsNamed) {
  auto home = Home::parse(R"(areas:
  - {name: kitchen}
devices:
  - {id: valve.gas, name: gas valve, area: kitchen, domain: valve}
  - {id: valve.water, name: water valve, area: kitchen, domain: valve}
  - {id: cover.garage, name: garage door, domain: cover, device_class: garage}
  - {id: light.lamp, name: lamp, domain: light}
)");
  ASSERT_TRUE(home) << home.error().message;
  auto named = [&](nlohmann::json slots, const std::string& said, const std::string& intent = "HassTurnOff") {
    std::vector<Intent> i{Intent{intent, std::move(slots), {}}};
    name_said_devices(i, words(said), home.value());
    return i[0].slots.value("name", "");
  };
  EXPECT_EQ(named({{"domain", "valve"}}, "shut the gas valve"), "gas valve");
  EXPECT_EQ(named({{"domain", "valve"}, {"area", "kitchen"}}, "shut the gas valve in the kitchen"), "gas valve");
  EXPECT_EQ(named({{"domain", "valve"}}, "shut the gas valve and the water valve"), "");  // two: the model's to say
  EXPECT_EQ(named({{"domain", "light"}}, "turn off the lamp"), "");                     // one word: a kind
  EXPECT_EQ(named({{"domain", "cover"}, {"device_class", "garage"}, {"state", "open"}}, "is the garage door open",
                  "HassGetState"),
            "");
  EXPECT_EQ(named({{"domain", "light"}}, "the lights off and shut the gas valve"), "");  // another kind, said
  EXPECT_EQ(named({{"domain", "light"}}, "shut the gas valve"), "gas valve");  // a kind said nowhere: a guess
  // A place the model read from the name's words is the name's.
  EXPECT_EQ(named({{"domain", "valve"}, {"area", "gas valve"}}, "shut the gas valve"), "gas valve");
}

// A kind or a place the model read from the words of a name is the name: "the speaker plug" is a
// switch, not every speaker; "the downstairs thermostat" is one thermostat, not the heating
// downstairs. A kind said apart from the name stays the kind.
TEST(Said, AKindOrPlaceReadFromANameIsTheName) {
  auto home = Home::parse(R"(floors:
  - {name: downstairs}
areas:
  - {name: front porch, floor: downstairs}
  - {name: entryway}
  - {name: hall}
devices:
  - {id: switch.speaker_plug, name: speaker plug, area: hall, domain: switch}
  - {id: media_player.tv, name: big tv, area: hall, domain: media_player, device_class: tv}
  - {id: climate.down, name: downstairs thermostat, area: hall, domain: climate}
  - {id: climate.ecobee, name: ecobee, area: hall, domain: climate}
  - {id: climate.floor, name: floor heating, area: hall, domain: climate}
  - {id: climate.entry_floor, name: entryway floor heating, area: entryway, domain: climate}
  - {id: fan.porch, name: porch fan, area: hall, domain: fan}
  - {id: fan.porch2, name: ceiling fan, area: front porch, domain: fan}
  - {id: vacuum.shark, name: shark, area: hall, domain: vacuum}
  - {id: valve.gas, name: gas valve, area: hall, domain: valve}
)");
  ASSERT_TRUE(home) << home.error().message;
  auto named = [&](nlohmann::json slots, const std::string& said, const std::string& intent = "HassTurnOff") {
    std::vector<Intent> i{Intent{intent, std::move(slots), {}}};
    name_said_devices(i, words(said), home.value());
    return i[0].slots.dump();
  };
  EXPECT_EQ(named({{"domain", "media_player"}, {"device_class", "speaker"}}, "shut down the speaker plug"),
            R"({"name":"speaker plug"})");
  EXPECT_EQ(named({{"floor", "downstairs"}, {"domain", "climate"}}, "shut down the downstairs thermostat"),
            R"({"name":"downstairs thermostat"})");
  EXPECT_EQ(named({{"temperature", 20}}, "set ecobee to 20", "HassClimateSetTemperature"),
            R"({"name":"ecobee","temperature":20})");
  EXPECT_EQ(named({{"domain", "vacuum"}}, "dock shark", "HassVacuumReturnToBase"), R"({"name":"shark"})");
  // The longer name said, with the area the model read from it dropped.
  EXPECT_EQ(named({{"area", "entryway"}, {"temperature", 21}}, "set the entryway floor heating to 21",
                  "HassClimateSetTemperature"),
            R"({"name":"entryway floor heating","temperature":21})");
  // A domain the verb says stays ("shut" a valve is close it).
  EXPECT_EQ(named({{"domain", "valve"}}, "shut gas valve"), R"({"domain":"valve","name":"gas valve"})");
  // A kind said outside the name, a name said across the area written, a floor said apart: left alone.
  EXPECT_EQ(named({{"domain", "media_player"}, {"device_class", "tv"}}, "turn off the tv and the speaker plug"),
            R"({"device_class":"tv","domain":"media_player"})");
  EXPECT_EQ(named({{"area", "front porch"}, {"domain", "fan"}}, "front porch fan off"),
            R"({"area":"front porch","domain":"fan"})");
  EXPECT_EQ(named({{"floor", "downstairs"}, {"domain", "climate"}}, "turn off the heating downstairs and the ecobee"),
            R"({"domain":"climate","floor":"downstairs"})");
}

TEST(Said, AScenesNameCarriesItsDomain) {
  auto home = Home::parse(R"(devices:
  - {id: scene.vacation, name: vacation, domain: scene}
  - {id: script.guest, name: guest mode, domain: script}
  - {id: light.entry, name: entry lights, domain: light}
  - {id: scene.reading, name: reading, domain: scene}
  - {id: light.reading, name: reading, domain: light}
)");
  ASSERT_TRUE(home) << home.error().message;
  auto domain = [&](const std::string& name) {
    std::vector<Intent> i{Intent{"HassTurnOn", {{"name", name}}, {}}};
    scene_or_script_domain(i, home.value());
    return i[0].slots.value("domain", "-");
  };
  EXPECT_EQ(domain("vacation"), "scene");
  EXPECT_EQ(domain("guest mode"), "script");
  EXPECT_EQ(domain("entry lights"), "-");
  EXPECT_EQ(domain("reading"), "-");  // a scene and a light: not for this rule to choose
}

TEST(Said, TheAreaSaidAfterANameIsItsArea) {
  auto home = Home::parse(R"(areas:
  - {name: maya's room}
  - {name: clara's room}
  - {name: julia's room}
  - {name: room}
devices:
  - {id: switch.feeder, name: bird feeder, domain: switch}
  - {id: light.julia, name: julia's lamp, domain: light}
)");
  ASSERT_TRUE(home) << home.error().message;
  auto place = [&](nlohmann::json slots, const std::string& said) {
    std::vector<Intent> i{Intent{"HassTurnOn", std::move(slots), {}}};
    area_said_after_name(i, words(normalize(said)), home.value());
    return i[0].slots.dump();
  };
  EXPECT_EQ(place({{"name", "bird feeder"}}, "check if the bird feeder in maya's room is on"),
            R"({"area":"maya's room","name":"bird feeder"})");
  EXPECT_EQ(place({{"name", "bird feeder"}}, "stop the bird feeder in the maya's room"), R"({"area":"maya's room","name":"bird feeder"})");
  // A place written that was never said as one gives way; one said stays.
  EXPECT_EQ(place({{"name", "julia's lamp"}, {"area", "julia's room"}}, "julia's lamp in clara's room to candlelight"),
            R"({"area":"clara's room","name":"julia's lamp"})");
  EXPECT_EQ(place({{"name", "julia's lamp"}, {"area", "maya's room"}}, "julia's lamp in clara's room and maya's room"),
            R"({"area":"maya's room","name":"julia's lamp"})");
  // Left alone: nothing said after the name, "all", a floor written.
  EXPECT_EQ(place({{"name", "bird feeder"}}, "turn on the bird feeder"), R"({"name":"bird feeder"})");
  EXPECT_EQ(place({{"name", "all"}}, "all in maya's room"), R"({"name":"all"})");
}

// What the evaluation sets expect is what the rules that read the home leave as it is.
TEST(Said, RulesOfTheHomeKeepEveryExpectedAnswer) {
  for (const char* set : {"heldout", "handwritten"}) {
    auto home = Home::load(std::string(HEARTH_SOURCE_DIR) + "/nlu/eval/" + set + "-home.yaml");
    ASSERT_TRUE(home) << home.error().message;
    for (const auto& ex : read_jsonl(std::string(HEARTH_SOURCE_DIR) + "/nlu/eval/" + set + ".jsonl")) {
      const std::vector<Intent> expected = intents_of(ex["intents"]);
      std::vector<Intent> out = expected;
      area_said_after_name(out, words_of(normalize(ex["text"].get<std::string>())), home.value());
      scene_or_script_domain(out, home.value());
      sensor_asked_as_temperature(out, home.value());
      open_close_said(out, words_of(normalize(ex["text"].get<std::string>())), home.value());
      sensor_named_in_question(out, words_of(normalize(ex["text"].get<std::string>())), home.value());
      temperature_asked(out, words_of(normalize(ex["text"].get<std::string>())), home.value());
      EXPECT_EQ(encode_intents(out), encode_intents(expected)) << ex["text"];
    }
  }
}

TEST(Said, OpeningAndLockingAsSaid) {
  auto home = Home::parse(R"(devices:
  - {id: cover.gate, name: driveway gate, domain: cover}
  - {id: lock.front, name: front door lock, domain: lock}
  - {id: light.porch, name: porch light, domain: light}
)");
  ASSERT_TRUE(home) << home.error().message;
  auto act = [&](const std::string& intent, nlohmann::json slots, const std::string& said) {
    std::vector<Intent> i{Intent{intent, std::move(slots), {}}};
    open_close_said(i, words(normalize(said)), home.value());
    return i[0].name;
  };
  EXPECT_EQ(act("HassTurnOff", {{"name", "driveway gate"}}, "open the driveway gate"), "HassTurnOn");
  EXPECT_EQ(act("HassTurnOn", {{"domain", "cover"}}, "close all the blinds"), "HassTurnOff");
  EXPECT_EQ(act("HassTurnOn", {{"name", "front door lock"}}, "and unlock it"), "HassTurnOff");
  EXPECT_EQ(act("HassTurnOn", {{"name", "front door lock"}}, "unlock the front door lock"), "HassTurnOff");
  EXPECT_EQ(act("HassTurnOff", {{"name", "front door lock"}}, "please lock the front door lock"), "HassTurnOn");
  // Left alone: both ways said, neither said, no cover/valve/lock.
  EXPECT_EQ(act("HassTurnOff", {{"name", "driveway gate"}}, "open or close the driveway gate"), "HassTurnOff");
  EXPECT_EQ(act("HassTurnOff", {{"name", "front door lock"}}, "turn off the front door lock"), "HassTurnOff");
  EXPECT_EQ(act("HassTurnOff", {{"name", "porch light"}}, "open the porch light"), "HassTurnOff");
}

TEST(Said, WhitesAndColoursAsSaid) {
  auto light = [](nlohmann::json slots, const std::string& said) {
    std::vector<Intent> i{Intent{"HassLightSet", std::move(slots), {}}};
    white_said(i, words(normalize(said)));
    return i[0].slots.dump();
  };
  EXPECT_EQ(light({{"name", "strip"}, {"color", "white"}}, "the strip to cold white please"), R"({"name":"strip","temperature":6500})");
  EXPECT_EQ(light({{"name", "lights"}, {"temperature", 2700}}, "the fairy lights in warm yellow please"),
            R"({"color":"warm yellow","name":"lights"})");
  EXPECT_EQ(light({{"name", "corner light"}, {"brightness_step", -25}}, "make corner light warm thanks"),
            R"({"name":"corner light","temperature":2700})");
  // Left alone: the white written as said, a change said, a colour written as said.
  EXPECT_EQ(light({{"name", "lamp"}, {"temperature", 2700}}, "the lamp to warm white"), R"({"name":"lamp","temperature":2700})");
  EXPECT_EQ(light({{"name", "lamp"}, {"brightness_step", -25}}, "make the lamp warm and dim it"), R"({"brightness_step":-25,"name":"lamp"})");
  EXPECT_EQ(light({{"name", "lamp"}, {"color", "white"}}, "make the lamp white"), R"({"color":"white","name":"lamp"})");
}

TEST(Said, SmallTalkAsSaid) {
  auto topic = [](const std::string& now, const std::string& said) {
    std::vector<Intent> i{Intent{"chat", {{"topic", now}}, {}}};
    chat_topic_said(i, words(normalize(said)));
    return i[0].slots.value("topic", "");
  };
  EXPECT_EQ(topic("help", "hello hello hearth"), "greeting");
  EXPECT_EQ(topic("goodbye", "hello there real quick"), "greeting");
  EXPECT_EQ(topic("greeting", "thanks a lot"), "thanks");
  // Left alone: a question, "hey" (an address), two kinds said, other topics.
  EXPECT_EQ(topic("help", "hello what can you do"), "help");
  EXPECT_EQ(topic("help", "hey hearth what commands can i say"), "help");
  EXPECT_EQ(topic("goodbye", "thanks and bye"), "goodbye");
  EXPECT_EQ(topic("unsupported", "hello tell me a joke"), "unsupported");
}

TEST(Said, ASensorAskedAsATemperatureIsItsState) {
  auto home = Home::parse(R"(devices:
  - {id: sensor.pm, name: pm2.5, domain: sensor}
  - {id: climate.hall, name: hall thermostat, domain: climate}
)");
  ASSERT_TRUE(home) << home.error().message;
  auto read = [&](const std::string& name) {
    std::vector<Intent> i{Intent{"HassClimateGetTemperature", {{"name", name}}, {}}};
    sensor_asked_as_temperature(i, home.value());
    return encode_intents(i);
  };
  EXPECT_EQ(read("pm2.5"), encode_intents({Intent{"HassGetState", {{"name", "pm2.5"}, {"domain", "sensor"}}, {}}}));
  EXPECT_EQ(read("hall thermostat"), encode_intents({Intent{"HassClimateGetTemperature", {{"name", "hall thermostat"}}, {}}}));
}

TEST(Said, ASensorNamedInAQuestionIsItsState) {
  auto home = Home::parse(R"(devices:
  - {id: sensor.price, name: electricity price, aliases: [power price], domain: sensor}
  - {id: binary_sensor.door, name: back door contact, domain: binary_sensor}
  - {id: light.desk, name: desk lamp, domain: light}
)");
  ASSERT_TRUE(home) << home.error().message;
  auto read = [&](const std::string& said, const std::string& topic = "unsupported") {
    std::vector<Intent> i{Intent{"chat", {{"topic", topic}}, {}}};
    sensor_named_in_question(i, words(normalize(said)), home.value());
    return encode_intents(i);
  };
  EXPECT_EQ(read("what's the current electricity price please"),
            encode_intents({Intent{"HassGetState", {{"name", "electricity price"}, {"domain", "sensor"}}, {}}}));
  EXPECT_EQ(read("um what is the power price"),
            encode_intents({Intent{"HassGetState", {{"name", "power price"}, {"domain", "sensor"}}, {}}}));
  EXPECT_EQ(read("is the back door contact on"),
            encode_intents({Intent{"HassGetState", {{"name", "back door contact"}, {"domain", "binary_sensor"}}, {}}}));
  // Left alone: not a question, another kind of device named too, no sensor named, other topics.
  const std::string unsupported = encode_intents({Intent{"chat", {{"topic", "unsupported"}}, {}}});
  EXPECT_EQ(read("lower the electricity price"), unsupported);
  EXPECT_EQ(read("what is the electricity price of the desk lamp"), unsupported);
  EXPECT_EQ(read("what is the price of gold"), unsupported);
  EXPECT_EQ(read("what's the electricity price", "help"), encode_intents({Intent{"chat", {{"topic", "help"}}, {}}}));
}

TEST(Said, ToggleAsSaid) {
  auto act = [](const std::string& intent, nlohmann::json slots, const std::string& said) {
    std::vector<Intent> i{Intent{intent, std::move(slots), {}}};
    toggle_said(i, words(normalize(said)));
    return encode_intents(i);
  };
  EXPECT_EQ(act("HassLightSet", {{"area", "maya's room"}, {"domain", "light"}, {"brightness_step", 25}}, "ok change light in maya's room"),
            encode_intents({Intent{"HassToggle", {{"area", "maya's room"}, {"domain", "light"}}, {}}}));
  EXPECT_EQ(act("HassToggle", {{"floor", "lower level"}, {"domain", "light"}}, "can you please switch on lamps in the lower level"),
            encode_intents({Intent{"HassTurnOn", {{"floor", "lower level"}, {"domain", "light"}}, {}}}));
  EXPECT_EQ(act("HassToggle", {{"name", "fan"}}, "turn off the fan"), encode_intents({Intent{"HassTurnOff", {{"name", "fan"}}, {}}}));
  // Left alone: a direction said, a level written, toggling said, both ways said.
  EXPECT_EQ(act("HassLightSet", {{"name", "lamp"}, {"brightness_step", 25}}, "change the lamp a bit brighter"),
            encode_intents({Intent{"HassLightSet", {{"name", "lamp"}, {"brightness_step", 25}}, {}}}));
  EXPECT_EQ(act("HassLightSet", {{"name", "lamp"}, {"color", "red"}}, "change the lamp to red"),
            encode_intents({Intent{"HassLightSet", {{"name", "lamp"}, {"color", "red"}}, {}}}));
  EXPECT_EQ(act("HassToggle", {{"name", "fan"}}, "flip the fan on"), encode_intents({Intent{"HassToggle", {{"name", "fan"}}, {}}}));
  EXPECT_EQ(act("HassToggle", {{"name", "fan"}}, "turn on or off the fan"), encode_intents({Intent{"HassToggle", {{"name", "fan"}}, {}}}));
}

TEST(Said, ATemperatureAskedOfARoomIsItsTemperature) {
  auto home = Home::parse(R"(areas:
  - {name: second bedroom}
  - {name: bedroom}
  - {name: pool house, aliases: [pool room]}
)");
  ASSERT_TRUE(home) << home.error().message;
  auto read = [&](std::vector<Intent> i, const std::string& said) {
    temperature_asked(i, words(normalize(said)), home.value());
    return encode_intents(i);
  };
  auto asked = [](const std::string& area) { return encode_intents({Intent{"HassClimateGetTemperature", {{"area", area}}, {}}}); };
  EXPECT_EQ(read({Intent{"HassGetCurrentTime", {}, {}}}, "how warm is the second bedroom"), asked("second bedroom"));
  EXPECT_EQ(read({Intent{"HassGetWeather", {}, {}}}, "How cold is it in the pool room?"), asked("pool room"));
  EXPECT_EQ(read({Intent{"HassGetState", {{"area", "pool house"}, {"domain", "sensor"}}, {}}}, "how warm is the pool house real quick"),
            asked("pool house"));
  std::vector<Intent> two{Intent{"HassTimerStatus", {}, {}}, Intent{"HassTurnOn", {{"name", "lamp"}}, {}}};
  EXPECT_EQ(read(two, "how hot is the bedroom then turn on the lamp"),
            encode_intents({Intent{"HassClimateGetTemperature", {{"area", "bedroom"}}, {}}, Intent{"HassTurnOn", {{"name", "lamp"}}, {}}}));
  // Left alone: no area said right there, the temperature already asked, nothing of that kind read.
  const std::string weather = encode_intents({Intent{"HassGetWeather", {}, {}}});
  EXPECT_EQ(read({Intent{"HassGetWeather", {}, {}}}, "how warm is it outside"), weather);
  EXPECT_EQ(read({Intent{"HassGetWeather", {}, {}}}, "how warm is it today in the bedroom"), weather);
  const std::string asked_here = encode_intents({Intent{"HassClimateGetTemperature", {}, {}}, Intent{"HassGetCurrentTime", {}, {}}});
  EXPECT_EQ(read({Intent{"HassClimateGetTemperature", {}, {}}, Intent{"HassGetCurrentTime", {}, {}}}, "how warm is the bedroom and what time is it"),
            asked_here);
  const std::string on = encode_intents({Intent{"HassTurnOn", {{"area", "bedroom"}}, {}}});
  EXPECT_EQ(read({Intent{"HassTurnOn", {{"area", "bedroom"}}, {}}}, "how warm is the bedroom"), on);
}

TEST(Said, ShortRequestsAsSaid) {
  auto read = [](std::vector<Intent> i, const std::string& said) {
    short_request_said(i, words(normalize(said)));
    return encode_intents(i);
  };
  const std::string nevermind = encode_intents({Intent{"HassNevermind", {}, {}}});
  const std::string louder = encode_intents({Intent{"HassSetVolume", {{"volume_step", 10}}, {}}});
  const std::string quieter = encode_intents({Intent{"HassSetVolume", {{"volume_step", -10}}, {}}});
  EXPECT_EQ(read({Intent{"chat", {{"topic", "goodbye"}}, {}}}, "uh cancel"), nevermind);
  EXPECT_EQ(read({Intent{"HassLightSet", {{"name", "lamp"}, {"temperature", 2200}}, {}}}, "never mind for for me"), nevermind);
  EXPECT_EQ(read({Intent{"chat", {{"topic", "goodbye"}}, {}}}, "louder thank you"), louder);
  EXPECT_EQ(read({Intent{"HassClimateSetTemperature", {{"temperature_step", -1}}, {}}}, "keep it down"), quieter);
  EXPECT_EQ(read({}, "Quieter please!"), quieter);
  // Left alone: the model's reading of that request (a target from the previous turn), more said
  // than the request and fillers.
  const std::string kitchen = encode_intents({Intent{"HassSetVolume", {{"name", "kitchen speaker"}, {"volume_step", 10}}, {}}});
  EXPECT_EQ(read({Intent{"HassSetVolume", {{"name", "kitchen speaker"}, {"volume_step", 10}}, {}}}, "louder please"), kitchen);
  const std::string timer = encode_intents({Intent{"HassCancelTimer", {}, {}}});
  EXPECT_EQ(read({Intent{"HassCancelTimer", {}, {}}}, "cancel the timer"), timer);
  const std::string lights = encode_intents({Intent{"HassTurnOff", {{"domain", "light"}}, {}}});
  EXPECT_EQ(read({Intent{"HassTurnOff", {{"domain", "light"}}, {}}}, "never mind the lights turn them off"), lights);
}

// A colour said that no intent carries replaces a brightness nothing said supports.
TEST(Said, AColourReadAsBrightnessIsTheColour) {
  EXPECT_EQ(colors_said(words("warm yellow the strip")), (std::vector<std::string>{"warm yellow"}));
  auto home = Home::parse(R"(devices:
  - {id: light.spot, name: spot, domain: light}
  - {id: switch.kettle, name: kettle, domain: switch}
)");
  ASSERT_TRUE(home) << home.error().message;
  auto light = [&](nlohmann::json slots, const std::string& said, const std::string& intent = "HassLightSet") {
    std::vector<Intent> i{Intent{intent, std::move(slots), {}}};
    color_said_for_brightness(i, words(said), home.value());
    return i[0].name + i[0].slots.dump();
  };
  EXPECT_EQ(light({{"name", "spot"}, {"brightness_step", 25}}, "lime the spot"), R"(HassLightSet{"color":"lime","name":"spot"})");
  EXPECT_EQ(light({{"name", "spot"}, {"brightness", 100}}, "the spot in maroon please"),
            R"(HassLightSet{"color":"maroon","name":"spot"})");
  EXPECT_EQ(light({{"name", "spot"}}, "turn the spot orange", "HassTurnOn"), R"(HassLightSet{"color":"orange","name":"spot"})");
  // A fraction of a duration is no level.
  EXPECT_EQ(light({{"name", "spot"}, {"brightness", 100}}, "paint the spot maroon also a half hour more on the timer"),
            R"(HassLightSet{"color":"maroon","name":"spot"})");
  // What was said supports the brightness, or the device is no light: left alone.
  EXPECT_EQ(light({{"name", "spot"}, {"brightness", 40}}, "the spot red at 40"), R"(HassLightSet{"brightness":40,"name":"spot"})");
  EXPECT_EQ(light({{"name", "spot"}, {"brightness_step", 25}}, "the red spot brighter"),
            R"(HassLightSet{"brightness_step":25,"name":"spot"})");
  EXPECT_EQ(light({{"name", "spot"}, {"brightness_step", 25}}, "the spot red or blue"),
            R"(HassLightSet{"brightness_step":25,"name":"spot"})");  // two colours
  EXPECT_EQ(light({{"name", "kettle"}}, "turn the kettle on, it is red", "HassTurnOn"), R"(HassTurnOn{"name":"kettle"})");
}

// Whether a turn leans on the previous one: follow-ups, and turns with no command of their own.
TEST(FollowUp, TurnsThatLeanOnThePreviousOne) {
  for (const char* t : {"make it brighter", "the kitchen too", "50 percent", "and in the dining room",
                        "the office blind thank you", "a bit brighter please thanks"})
    EXPECT_TRUE(leans_on_previous(normalize(t))) << t;
  for (const char* t : {"turn on the porch light", "thanks", "hello there", "change the electric blanket",
                        "shut down the fan", "what is the weather"})
    EXPECT_FALSE(leans_on_previous(normalize(t))) << t;
}

// A follow-up that only names a new target does what the previous turn did, there.
TEST(FollowUp, ANewTargetAloneTakesThePreviousAction) {
  const std::vector<Intent> off_lock{Intent{"HassTurnOff", {{"name", "gate lock"}, {"domain", "lock"}}, {}}};
  auto follow = [](std::vector<Intent> got, const std::string& said, const std::vector<Intent>& prev) {
    std::string out;
    for (const auto& i : same_action_new_target(std::move(got), words(normalize(said)), prev))
      out += i.name + i.slots.dump() + ";";
    return out;
  };
  // The model flipped the action: the previous one stays, on the area said now.
  EXPECT_EQ(follow({Intent{"HassTurnOn", {{"area", "dining room"}, {"domain", "lock"}}, {}}}, "And in the dining room?", off_lock),
            R"(HassTurnOff{"area":"dining room","domain":"lock"};)");
  // The previous settings come along; the previous place does not.
  const std::vector<Intent> set{Intent{"HassSetPosition", {{"area", "nursery"}, {"domain", "cover"}, {"position", 50}}, {}}};
  EXPECT_EQ(follow({Intent{"HassTurnOn", {{"name", "pergola"}, {"area", "nursery"}}, {}}}, "okay and the pergola", set),
            R"(HassSetPosition{"domain":"cover","name":"pergola","position":50};)");
  // A kind said now is the kind.
  EXPECT_EQ(follow({Intent{"HassTurnOn", {{"area", "hall"}, {"domain", "fan"}}, {}}}, "and the fans in the hall", off_lock),
            R"(HassTurnOff{"area":"hall","domain":"fan"};)");
  // A word that acts or asks, or nothing of the target said: left as the model wrote it.
  EXPECT_EQ(follow({Intent{"HassTurnOn", {{"name", "gate lock"}}, {}}}, "and unlock it", off_lock), R"(HassTurnOn{"name":"gate lock"};)");
  EXPECT_EQ(follow({Intent{"HassTurnOn", {{"area", "hall"}}, {}}}, "and brighter in the hall", off_lock), R"(HassTurnOn{"area":"hall"};)");
  EXPECT_EQ(follow({Intent{"chat", {{"topic", "greeting"}}, {}}}, "thank you", off_lock), R"(chat{"topic":"greeting"};)");
}

// A follow-up that names nothing acts on the previous target, whole.
TEST(FollowUp, NoTargetSaidIsThePreviousTarget) {
  const std::vector<Intent> speaker{
      Intent{"HassTurnOn", {{"name", "den speaker"}, {"area", "liam's room"}, {"domain", "media_player"}}, {}}};
  auto follow = [](std::vector<Intent> got, const std::string& said, const std::vector<Intent>& prev) {
    std::string out;
    for (const auto& i : same_target_as_before(std::move(got), words(normalize(said)), prev)) out += i.name + i.slots.dump() + ";";
    return out;
  };
  // The model dropped the name, or the area: the previous target comes back whole.
  EXPECT_EQ(follow({Intent{"HassTurnOff", {{"area", "liam's room"}, {"domain", "media_player"}}, {}}}, "switch it off", speaker),
            R"(HassTurnOff{"area":"liam's room","domain":"media_player","name":"den speaker"};)");
  EXPECT_EQ(follow({Intent{"HassTurnOff", {{"name", "den speaker"}}, {}}}, "and off!", speaker),
            R"(HassTurnOff{"area":"liam's room","domain":"media_player","name":"den speaker"};)");
  // Left alone: a target said now, a kind said now, "all" said, no target written, a question.
  EXPECT_EQ(follow({Intent{"HassTurnOff", {{"area", "hall"}}, {}}}, "and off in the hall", speaker), R"(HassTurnOff{"area":"hall"};)");
  EXPECT_EQ(follow({Intent{"HassTurnOff", {{"domain", "light"}}, {}}}, "turn off the lights", speaker),
            R"(HassTurnOff{"domain":"light"};)");
  EXPECT_EQ(follow({Intent{"HassTurnOff", {{"name", "all"}}, {}}}, "turn everything off", speaker), R"(HassTurnOff{"name":"all"};)");
  EXPECT_EQ(follow({Intent{"HassMediaPause", nlohmann::json::object(), {}}}, "pause", speaker), R"(HassMediaPause{};)");
  EXPECT_EQ(follow({Intent{"HassGetState", {{"domain", "switch"}, {"state", "off"}}, {}}}, "list the switch that are off", speaker),
            R"(HassGetState{"domain":"switch","state":"off"};)");
}

// "the whole garden" is everything there; "something by abba" is an artist; "power up" is on.
TEST(Said, WholeAreasArtistsAndOnOffAsSaid) {
  std::vector<Intent> whole{Intent{"HassTurnOff", {{"area", "leah's room"}, {"domain", "switch"}}, {}}};
  whole_area_is_all(whole, words("switch off the whole leah's room"));
  EXPECT_EQ(whole[0].slots.dump(), R"({"area":"leah's room","name":"all"})");
  std::vector<Intent> lights{Intent{"HassTurnOff", {{"area", "garden"}, {"domain", "light"}}, {}}};
  whole_area_is_all(lights, words("turn off the lights in the garden"));
  EXPECT_EQ(lights[0].slots.dump(), R"({"area":"garden","domain":"light"})");

  std::vector<Intent> play{Intent{"HassMediaSearchAndPlay", {{"search_query", "harry styles"}, {"media_class", "track"}}, {}}};
  artist_said(play, "I want to listen to something by harry styles.");
  EXPECT_EQ(play[0].slots.value("media_class", ""), "artist");
  std::vector<Intent> speaker{Intent{"HassMediaSearchAndPlay", {{"name", "kitchen speaker"}}, {}}};
  search_query_said(speaker, "play radiohead on the kitchen speaker");
  EXPECT_EQ(speaker[0].slots.value("search_query", ""), "radiohead");
  std::vector<Intent> music{Intent{"HassMediaSearchAndPlay", {{"name", "kitchen speaker"}}, {}}};
  search_query_said(music, "play music on the kitchen speaker");
  EXPECT_FALSE(music[0].slots.contains("search_query"));
  std::vector<Intent> track{Intent{"HassMediaSearchAndPlay", {{"search_query", "here comes the sun by willie nelson"}}, {}}};
  artist_said(track, "play here comes the sun by willie nelson");
  EXPECT_FALSE(track[0].slots.contains("media_class"));

  auto switched = [](const std::string& intent, nlohmann::json slots, const std::string& said) {
    std::vector<Intent> i{Intent{intent, std::move(slots), {}}};
    on_off_said(i, words(normalize(said)));
    return i[0].name;
  };
  EXPECT_EQ(switched("HassTurnOff", {{"name", "thermostat"}}, "power up the downstairs thermostat"), "HassTurnOn");
  EXPECT_EQ(switched("HassTurnOn", {{"name", "guest mode"}}, "and off"), "HassTurnOff");
  EXPECT_EQ(switched("HassTurnOff", {{"name", "fan"}}, "turn on the fan then turn it off"), "HassTurnOff");  // both said
  EXPECT_EQ(switched("HassTurnOff", {{"name", "blind"}, {"domain", "cover"}}, "blind down and the lamp on"), "HassTurnOff");

  auto timer = [](const std::string& intent, const std::string& said) {
    std::vector<Intent> i{Intent{intent, {{"minutes", 30}}, {}}};
    timer_change_said(i, words(normalize(said)));
    return i[0].name;
  };
  EXPECT_EQ(timer("HassIncreaseTimer", "an hour and thirty minutes timer"), "HassStartTimer");
  EXPECT_EQ(timer("HassIncreaseTimer", "remove three hours and 15 minutes from the timer"), "HassDecreaseTimer");
  EXPECT_EQ(timer("HassDecreaseTimer", "add 30 minutes to the timer"), "HassIncreaseTimer");
  EXPECT_EQ(timer("HassIncreaseTimer", "30 minutes more on the timer"), "HassIncreaseTimer");  // as said
  auto list = [](const std::string& intent, const std::string& said) {
    std::vector<Intent> i{Intent{intent, {{"item", "milk"}}, {}}};
    list_action_said(i, words(normalize(said)));
    return i[0].name;
  };
  EXPECT_EQ(list("HassListCompleteItem", "put renew passport on my list"), "HassListAddItem");
  EXPECT_EQ(list("HassListAddItem", "cross milk off the list"), "HassListCompleteItem");
  EXPECT_EQ(list("HassListAddItem", "we need milk"), "HassListAddItem");
  EXPECT_EQ(list("HassListAddItem", "milk please"), "HassListAddItem");  // neither said: as written
}

// A timer's name is what was said right before "timer", paired in order with the timer intents.
TEST(Said, TimersAreNamedAsSaid) {
  EXPECT_EQ(timer_names_said("soup timer for 20 seconds and kill the screen time timer"),
            (std::vector<std::string>{"soup", "screen time"}));
  EXPECT_EQ(timer_names_said("a ten minute timer, then 10 minutes 15 seconds timer, increase timer by 2 minutes"),
            (std::vector<std::string>{"", "", ""}));
  auto timers = [](std::vector<Intent> i, const std::string& said) {
    name_said_timers(i, said);
    std::string out;
    for (const auto& x : i) out += x.slots.value("name", "-") + ";";
    return out;
  };
  EXPECT_EQ(timers({Intent{"HassStartTimer", {{"minutes", 30}}, {}}, Intent{"HassStartTimer", {{"name", "timer"}}, {}}},
                   "homework timer for half an hour and then cookies timer for 32 minutes"),
            "homework;cookies;");
  EXPECT_EQ(timers({Intent{"HassIncreaseTimer", {{"name", "time"}}, {}}}, "add a minute to the screen time timer"),
            "screen time;");
  EXPECT_EQ(timers({Intent{"HassTimerStatus", {{"name", "and"}}, {}}}, "and then check the timer"), "-;");
  // A name said nowhere a timer's name goes is another thing's.
  EXPECT_EQ(timers({Intent{"HassStartTimer", {{"name", "riley's fan"}, {"seconds", 45}}, {}}},
                   "set riley's fan to low, forty five seconds timer"),
            "-;");
  EXPECT_EQ(timers({Intent{"HassStartTimer", {{"name", "pasta"}}, {}}}, "start a timer for 5 minutes called pasta"), "pasta;");
  // Two timer intents, one "timer" said: no pairing.
  EXPECT_EQ(timers({Intent{"HassStartTimer", nlohmann::json::object(), {}}, Intent{"HassPauseTimer", nlohmann::json::object(), {}}},
                   "egg timer for 5 minutes and pause it"),
            "-;-;");
}

// A place said that no intent carries goes to the one intent that acts on devices with no place.
TEST(Said, AnAreaSaidAndLeftOutIsPlaced) {
  auto home = Home::parse(R"(areas:
  - {name: cellar}
  - {name: garage}
  - {name: bedroom}
  - {name: third bedroom}
devices:
  - {id: climate.cellar, name: cellar heater, area: cellar, domain: climate}
  - {id: cover.garage, name: big door, area: garage, domain: cover, device_class: garage}
)");
  ASSERT_TRUE(home) << home.error().message;
  auto placed = [&](std::vector<Intent> i, const std::string& said) {
    place_said_area(i, words(said), home.value());
    std::string out;
    for (const auto& x : i) out += x.slots.value("area", "-") + ";";
    return out;
  };
  EXPECT_EQ(placed({Intent{"HassClimateSetTemperature", {{"temperature", 24}}, {}}}, "heat the cellar to 24"), "cellar;");
  EXPECT_EQ(placed({Intent{"HassTurnOn", {{"domain", "light"}}, {}}}, "lights on in the third bedroom"), "third bedroom;");
  // The class the model wrote, a place already carried, a name, two places said: left alone.
  EXPECT_EQ(placed({Intent{"HassTurnOff", {{"domain", "cover"}, {"device_class", "garage"}}, {}}}, "close the garage"), "-;");
  EXPECT_EQ(placed({Intent{"HassTurnOff", {{"name", "cellar heater"}}, {}}}, "turn off the cellar heater"), "-;");
  EXPECT_EQ(placed({Intent{"HassTurnOff", {{"domain", "light"}}, {}}, Intent{"HassTurnOn", {{"area", "cellar"}}, {}}},
                   "lights off and the cellar on"),
            "-;cellar;");
  EXPECT_EQ(placed({Intent{"HassTurnOff", {{"domain", "light"}}, {}}}, "lights off in the cellar and the garage"), "-;");
}

// Free text the model copied shorter than it was said is the whole phrase around it, up to the
// words that frame the request; nothing the model wrote is dropped but a framing word it carried
// past the end.
TEST(Said, FreeTextIsTheWholePhraseItWasSaidIn) {
  EXPECT_EQ(widen_free_text("sauce", "put honey on my list plus soy sauce on the shopping list"), "soy sauce");
  EXPECT_EQ(widen_free_text("dish", "We are out of dish soap!"), "dish soap");
  EXPECT_EQ(widen_free_text("walk", "i picked up walk the dog, a bit quieter"), "walk the dog");
  EXPECT_EQ(widen_free_text("the sun", "play some here comes the sun"), "here comes the sun");
  EXPECT_EQ(widen_free_text("purple", "play the album purple rain plus run the fan"), "purple rain");
  EXPECT_EQ(widen_free_text("charcoal from", "tick off charcoal from my shopping list"), "charcoal");
  EXPECT_EQ(widen_free_text("to hear classic fm", "i want to hear classic fm"), "classic fm");
  EXPECT_EQ(widen_free_text("the news", "play the news podcast"), "the news");
  EXPECT_EQ(widen_free_text("some", "play some here comes the sun"), "here comes the sun");
  EXPECT_EQ(widen_free_text("some", "Play some the song chandelier!"), "chandelier");
  EXPECT_EQ(widen_free_text("some", "play some"), "some");  // nothing after it
  // Already whole: left as written.
  EXPECT_EQ(widen_free_text("milk", "add the milk to the list"), "milk");
  EXPECT_EQ(widen_free_text("kale", "take kale off the list"), "kale");
  EXPECT_EQ(widen_free_text("classical music", "put on some classical music"), "classical music");
  EXPECT_EQ(widen_free_text("cat litter", "we need cat litter asap"), "cat litter");
  EXPECT_EQ(widen_free_text("jazz", "play jazz in the kitchen"), "jazz");
  // A phrase never runs across punctuation or a joiner.
  EXPECT_EQ(widen_free_text("eggs", "add eggs, bread to the list"), "eggs");
  EXPECT_EQ(widen_free_text("eggs", "add eggs and bread to the list"), "eggs");
  // Not said as whole words, or said twice: left alone.
  EXPECT_EQ(widen_free_text("egg", "add eggs to the list"), "egg");
  EXPECT_EQ(widen_free_text("tea", "tea and green tea on the list"), "tea");
}

TEST(Said, DurationsAreTheNumbersSaid) {
  using V = std::vector<std::string>;
  EXPECT_EQ(SaidWords("set a timer for 2 minutes and 30 seconds", {}).numbers(), (V{"2", "30"}));
  EXPECT_EQ(SaidWords("cancel the 10 minute timer", {}).numbers(), (V{"10"}));
  EXPECT_EQ(SaidWords("timer until 7:05", {}).numbers(), (V{"5", "7"}));
  // In words too: run 5 wrote 30 for "thirty seven minutes" and 2 for "six minutes".
  EXPECT_EQ(SaidWords("set a timer for ten minutes and 5 seconds", {}).numbers(), (V{"5", "10"}));
  EXPECT_EQ(SaidWords("thirty seven minutes less on the timer", {}).numbers(), (V{"37"}));
  EXPECT_EQ(SaidWords("increase the timer by six minutes 20 seconds", {}).numbers(), (V{"6", "20"}));
  EXPECT_EQ(SaidWords("a twenty-five minute timer", {}).numbers(), (V{"25"}));
  // Numbers not said as whole numbers leave durations free: "a minute", fractions, decimals.
  EXPECT_TRUE(SaidWords("add a minute to the 5 minute timer", {}).numbers().empty());
  EXPECT_TRUE(SaidWords("timer for 1 and a half hours", {}).numbers().empty());
  EXPECT_TRUE(SaidWords("timer for 1.5 hours", {}).numbers().empty());
  EXPECT_TRUE(SaidWords("turn on the lamp", {}).numbers().empty());
  // The previous turn's durations stay possible ("and 5 more seconds" after a 10 minute timer).
  Intent prev{"HassStartTimer", {{"minutes", 10}}, {}};
  EXPECT_EQ(SaidWords("and 5 more seconds", {prev}).numbers(), (V{"5", "10"}));
}

TEST(Said, NumbersSaidInWordsAreRead) {
  using V = std::vector<long long>;
  auto read = [](const std::string& text) { return numbers_said(words_of(normalize(text))); };
  EXPECT_EQ(read("thirty seven").values, (V{37}));
  EXPECT_EQ(read("twenty seven hundred kelvin").values, (V{2700}));
  EXPECT_EQ(read("one hundred and five").values, (V{105}));
  EXPECT_EQ(read("two thousand three hundred twelve").values, (V{2312}));
  EXPECT_EQ(read("a hundred percent").values, (V{100}));
  // A unit after a unit, or a ten after a unit, starts a new number.
  EXPECT_EQ(read("one two three").values, (V{1, 2, 3}));
  EXPECT_EQ(read("two twenty").values, (V{2, 20}));
  EXPECT_EQ(read("fifteen five").values, (V{15, 5}));
  // "one" pointing at a device is no number; "seven%" is seven.
  EXPECT_TRUE(read("the one in the dining room").values.empty());
  EXPECT_TRUE(read("one in the pool house").values.empty());
  EXPECT_EQ(read("open the awning to thirty seven%").values, (V{37}));
  // A number word said twice in a row is a stutter.
  EXPECT_EQ(read("thirty eight eight minutes").values, (V{38}));
  // Digits and words together, in order; ":05" is 5.
  EXPECT_EQ(read("6 minutes and thirty seconds at 7:05").values, (V{6, 30, 7, 5}));
  EXPECT_TRUE(read("6 minutes and thirty seconds").exact);
  // Fractions, vague amounts, "a"/"an" before a unit and decimals are not exact.
  for (const char* t : {"half an hour", "a quarter", "a couple of minutes", "an hour", "1.5 hours", "a few seconds"})
    EXPECT_FALSE(read(t).exact) << t;
  EXPECT_TRUE(read("turn on the lamp").values.empty());
  EXPECT_TRUE(is_number_word("ninety") && is_number_word("hundred") && !is_number_word("second"));
}

TEST(Said, DurationsAreAsSaid) {
  auto durations = [](const std::string& name, nlohmann::json slots, const std::string& text) {
    std::vector<Intent> out{{name, std::move(slots), {}}};
    durations_said(out, words_of(normalize(text)));
    return out[0].slots;
  };
  using J = nlohmann::json;
  EXPECT_EQ(durations("HassIncreaseTimer", {{"minutes", 20}}, "increase the timer by six minutes 20 seconds"),
            (J{{"minutes", 6}, {"seconds", 20}}));
  EXPECT_EQ(durations("HassStartTimer", {{"name", "cookies"}, {"minutes", 10}}, "cookies timer for 10 minutes 10 seconds"),
            (J{{"name", "cookies"}, {"minutes", 10}, {"seconds", 10}}));
  EXPECT_EQ(durations("HassStartTimer", {{"minutes", 20}}, "a twenty-five minute timer"), (J{{"minutes", 25}}));
  // The timer named by its duration is not the change.
  EXPECT_EQ(durations("HassIncreaseTimer", {{"minutes", 10}}, "add 5 minutes to the 10 minute timer"), (J{{"minutes", 5}}));
  // Fractions of an hour said whole.
  EXPECT_EQ(durations("HassIncreaseTimer", {{"hours", 1}, {"minutes", 30}}, "a half hour more on the timer"), (J{{"minutes", 30}}));
  EXPECT_EQ(durations("HassStartTimer", {{"minutes", 30}}, "an hour and a half timer"), (J{{"hours", 1}, {"minutes", 30}}));
  EXPECT_EQ(durations("HassStartTimer", {{"hours", 1}}, "a quarter of an hour timer"), (J{{"minutes", 15}}));
  // Left alone: vague amounts, a fraction beside another duration, a unit said twice, no
  // duration written, two timers.
  EXPECT_EQ(durations("HassStartTimer", {{"minutes", 3}}, "a couple of minutes"), (J{{"minutes", 3}}));
  EXPECT_EQ(durations("HassStartTimer", {{"hours", 1}, {"minutes", 35}}, "half an hour and 5 minutes"),
            (J{{"hours", 1}, {"minutes", 35}}));
  EXPECT_EQ(durations("HassStartTimer", {{"minutes", 3}}, "3 minutes or 4 minutes"), (J{{"minutes", 3}}));
  EXPECT_EQ(durations("HassCancelTimer", J::object(), "cancel the 5 minute timer"), J::object());
  std::vector<Intent> two{{"HassStartTimer", {{"minutes", 3}}, {}}, {"HassDecreaseTimer", {{"seconds", 20}}, {}}};
  durations_said(two, words_of(normalize("3 minutes and 20 seconds less on the timer")));
  EXPECT_EQ(two[0].slots, (J{{"minutes", 3}}));
}

TEST(Said, LevelsAreAsSaid) {
  auto levels = [](std::vector<Intent> out, const std::string& text) {
    levels_said(out, words_of(normalize(text)));
    return encode_intents(out);
  };
  using J = nlohmann::json;
  auto one = [](const std::string& name, J slots) { return std::vector<Intent>{{name, std::move(slots), {}}}; };
  EXPECT_EQ(levels(one("HassLightSet", {{"brightness", 100}}), "75 percent please"),
            encode_intents(one("HassLightSet", {{"brightness", 75}})));
  // A number another slot holds is that slot's; a decimal is no level.
  std::vector<Intent> two{{"HassClimateSetTemperature", {{"temperature", 24.5}}, {}}, {"HassLightSet", {{"brightness", 10}}, {}}};
  std::vector<Intent> want{{"HassClimateSetTemperature", {{"temperature", 24.5}}, {}}, {"HassLightSet", {{"brightness", 100}}, {}}};
  EXPECT_EQ(levels(two, "cool clara's room to 24.5 degrees and make the counter light 100 percent"), encode_intents(want));
  std::vector<Intent> fans{{"HassFanSetSpeed", {{"percentage", 100}}, {}}, {"HassFanSetSpeed", {{"percentage", 2}}, {}}};
  std::vector<Intent> fans_want{{"HassFanSetSpeed", {{"percentage", 100}}, {}}, {"HassFanSetSpeed", {{"percentage", 12}}, {}}};
  EXPECT_EQ(levels(fans, "set the fan to full speed then run the other fan at twelve per cent"), encode_intents(fans_want));
  // Left alone: a level said by name, a number said, two numbers free, nothing said.
  EXPECT_EQ(levels(one("HassSetPosition", {{"position", 50}}), "open the blind in room 3 halfway"),
            encode_intents(one("HassSetPosition", {{"position", 50}})));
  EXPECT_EQ(levels(one("HassLightSet", {{"brightness", 40}}), "lamp 2 to 40"), encode_intents(one("HassLightSet", {{"brightness", 40}})));
  EXPECT_EQ(levels(one("HassLightSet", {{"brightness", 4}}), "lamp 2 to 40 or 60"), encode_intents(one("HassLightSet", {{"brightness", 4}})));
  EXPECT_EQ(levels(one("HassLightSet", {{"brightness", 40}}), "and the bedroom too"), encode_intents(one("HassLightSet", {{"brightness", 40}})));
  // A level read as a colour temperature and the other way round, by the unit said.
  EXPECT_EQ(levels(one("HassLightSet", {{"brightness", 27}}), "the corner light to twenty seven hundred kelvin"),
            encode_intents(one("HassLightSet", {{"temperature", 2700}})));
  EXPECT_EQ(levels(one("HassLightSet", {{"brightness", 40}}), "the lamp to 4000k"), encode_intents(one("HassLightSet", {{"temperature", 4000}})));
  EXPECT_EQ(levels(one("HassLightSet", {{"temperature", 2000}}), "make the downlights twenty percent"),
            encode_intents(one("HassLightSet", {{"brightness", 20}})));
  EXPECT_EQ(levels(one("HassLightSet", {{"temperature", 2700}}), "warm white at twenty percent"),
            encode_intents(one("HassLightSet", {{"temperature", 2700}})));
}

// What the evaluation sets expect is what durations_said and levels_said leave as it is: the
// rules never move a right answer.
TEST(Said, NumbersAsSaidKeepEveryExpectedAnswer) {
  int timed = 0, levelled = 0;
  for (const char* set : {"/nlu/eval/heldout.jsonl", "/nlu/eval/handwritten.jsonl"})
    for (const auto& ex : read_jsonl(std::string(HEARTH_SOURCE_DIR) + set)) {
      const std::vector<Intent> expected = intents_of(ex["intents"]);
      std::vector<Intent> out = expected;
      const std::vector<std::string> said = words_of(normalize(ex["text"].get<std::string>()));
      durations_said(out, said);
      levels_said(out, said);
      chat_topic_said(out, said);
      white_said(out, said);
      toggle_said(out, said);
      short_request_said(out, said);
      EXPECT_EQ(encode_intents(out), encode_intents(expected)) << ex["text"];
      for (const Intent& i : expected) {
        timed += i.slots.contains("minutes") || i.slots.contains("seconds");
        levelled += i.slots.contains("brightness") || i.slots.contains("percentage") || i.slots.contains("position");
      }
    }
  EXPECT_GT(timed, 50);
  EXPECT_GT(levelled, 50);
}

// Requests in other languages are told apart from English ones, also from English ones that
// carry foreign names or words English borrowed.
TEST(Language, OtherLanguagesAreToldApartFromEnglish) {
  for (const char* foreign : {"mach bitte das licht aus", "stell einen timer auf fünf minuten", "mach das licht an",
                              "pon un temporizador de cinco minutos", "qué hora es", "che ore sono",
                              "włącz światło w kuchni", "allume la lumière de la cuisine", "zet het licht in de keuken aan",
                              "schalte bitte das licht in der küche ein", "enciende la luz de la cocina por favor"})
    EXPECT_TRUE(other_language(normalize(foreign))) << foreign;
  for (const char* english : {"turn on the light", "play la la land", "turn on the deckenlicht in the küche",
                              "add cinco de mayo decorations to the list", "play las vegas radio", "lights off in the den",
                              "set the fan to 50 per cent", "play des moines public radio", "do you like cats",
                              "play some despacito", "what's the weather", "la"})
    EXPECT_FALSE(other_language(normalize(english))) << english;
}
