// Whole turns through the embedded model and the fixture home (tests/nlu/data/home.yaml):
// per-intent contract cases, follow-ups, clarifications, confirmations, multi-intent, the session
// window, and bad input. These use the shipped model, so a broken model or engine fails here.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <random>

#include "fixture_parser.h"
#include "hearth/nlu/conversation.h"

using namespace hearth::nlu;
using namespace std::chrono_literals;

namespace {

class WithModel : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { parser_ = hearth::nlu::test::load_fixture_parser(); }
  void SetUp() override { ASSERT_NE(parser_, nullptr); }
  static void TearDownTestSuite() { delete parser_; }

  Understanding understand(const std::string& text, const std::vector<Intent>& prev = {}) {
    auto u = parser_->understand(text, prev);
    EXPECT_TRUE(u) << text << ": " << u.error().message;
    return u ? u.value() : Understanding{};
  }
  static std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  }
  static IntentParser* parser_;
};
IntentParser* WithModel::parser_ = nullptr;

struct ContractCase {
  const char* text;
  const char* intents;  // what the model should mean, in its JSON (values without the space)
};

}  // namespace

// One utterance per intent of the contract, as plainly as people say them.
TEST_F(WithModel, EveryIntentOfTheContract) {
  const ContractCase cases[] = {
      {"turn on the floor lamp", R"([{"intent":"HassTurnOn","name":"floor lamp"}])"},
      {"switch off the kitchen lights", R"([{"intent":"HassTurnOff","area":"kitchen","domain":"light"}])"},
      {"toggle the kettle", R"([{"intent":"HassToggle","name":"kettle"}])"},
      {"set the kitchen lights to 40 percent", R"([{"intent":"HassLightSet","area":"kitchen","domain":"light","brightness":40}])"},
      {"set the temperature to 21 degrees", R"([{"intent":"HassClimateSetTemperature","temperature":21}])"},
      {"what's the temperature in the office", R"([{"intent":"HassClimateGetTemperature","area":"office"}])"},
      {"is the kettle on", R"([{"intent":"HassGetState","name":"kettle","state":"on"}])"},
      {"set the office fan to 50 percent", R"([{"intent":"HassFanSetSpeed","name":"office fan","percentage":50}])"},
      {"pause the music", R"([{"intent":"HassMediaPause"}])"},
      {"next song", R"([{"intent":"HassMediaNext"}])"},
      {"set the volume to 30", R"([{"intent":"HassSetVolume","volume_level":30}])"},
      {"start the roomba", R"([{"intent":"HassVacuumStart","name":"roomba"}])"},
      {"set a timer for 10 minutes", R"([{"intent":"HassStartTimer","minutes":10}])"},
      {"cancel the timer", R"([{"intent":"HassCancelTimer"}])"},
      {"what time is it", R"([{"intent":"HassGetCurrentTime"}])"},
      {"never mind", R"([{"intent":"HassNevermind"}])"},
      {"add milk to the shopping list", R"([{"intent":"HassListAddItem","item":"milk"}])"},
      {"hello", R"([{"intent":"chat","topic":"greeting"}])"},
  };
  for (const auto& c : cases) {
    Understanding u = understand(c.text);
    auto want = decode_intents(c.intents);
    ASSERT_TRUE(want) << c.intents;
    EXPECT_EQ(u.intents, want.value()) << c.text << " (raw:" << u.raw << ")";
    EXPECT_GT(u.confidence, 0.3) << c.text;
  }
}

TEST_F(WithModel, AreaAndDomainActOnEveryDeviceThere) {
  Conversation conv(*parser_);
  Turn t = conv.handle("turn off the kitchen lights", "");
  ASSERT_TRUE(t.act) << t.reply;
  ASSERT_EQ(t.intents.size(), 1u);
  EXPECT_EQ(sorted(t.intents[0].targets), (std::vector<std::string>{"light.kitchen_ceiling", "light.kitchen_island"}));
  EXPECT_EQ(t.reply, "Turning off the kitchen lights.");
}

TEST_F(WithModel, FollowUpsUseThePreviousTurn) {
  Conversation conv(*parser_);
  const auto t0 = Conversation::Clock::now();
  ASSERT_TRUE(conv.handle("turn on the floor lamp", "", t0).act);
  Turn brighter = conv.handle("make it brighter", "", t0 + 5s);
  ASSERT_TRUE(brighter.act) << brighter.reply;
  EXPECT_EQ(brighter.intents[0].name, "HassLightSet");
  EXPECT_GT(brighter.intents[0].slots.value("brightness_step", 0), 0);
  EXPECT_EQ(brighter.intents[0].targets, (std::vector<std::string>{"light.living_floor_lamp"}));

  Conversation rooms(*parser_);
  ASSERT_TRUE(rooms.handle("turn off the lights in the office", "", t0).act);
  Turn too = rooms.handle("and the bedroom too", "", t0 + 3s);
  ASSERT_TRUE(too.act) << too.reply;
  EXPECT_EQ(too.intents[0].name, "HassTurnOff");
  EXPECT_EQ(sorted(too.intents[0].targets), (std::vector<std::string>{"light.bedroom_ceiling", "light.bedroom_desk_lamp"}));

  // The previous turn's colour may be written again though it was not said this time.
  Conversation colours(*parser_);
  ASSERT_TRUE(colours.handle("make the island lights red", "", t0).act);
  Turn also = colours.handle("and the ceiling light", "", t0 + 3s);
  ASSERT_TRUE(also.act) << also.reply;
  EXPECT_EQ(also.intents[0].slots.value("color", ""), "red");
  EXPECT_EQ(also.intents[0].targets, (std::vector<std::string>{"light.kitchen_ceiling"}));
}

// A new target said with fillers around a joiner ("ok and ..."): not cut into a filler and a
// request; the previous action on the new target.
TEST_F(WithModel, AJoinerAmongFillersIsNoCut) {
  const std::vector<Intent> fan{Intent{"HassFanSetSpeed", {{"domain", "fan"}, {"percentage", 100}}, {}}};
  Understanding u = understand("ok and the office fan", fan);
  ASSERT_EQ(u.intents.size(), 1u);
  EXPECT_EQ(u.intents[0].name, "HassFanSetSpeed");
  EXPECT_EQ(u.intents[0].slots.value("name", ""), "office fan");
  EXPECT_EQ(u.intents[0].slots.value("percentage", 0), 100);
  const std::vector<Intent> position{Intent{"HassSetPosition", {{"domain", "cover"}, {"device_class", "garage"}, {"position", 30}}, {}}};
  u = understand("um and the living room blinds", position);
  ASSERT_EQ(u.intents.size(), 1u);
  EXPECT_EQ(u.intents[0].name, "HassSetPosition");
  EXPECT_EQ(u.intents[0].slots.value("name", ""), "living room blinds");
  EXPECT_EQ(u.intents[0].slots.value("position", 0), 30);
}

// Free text stops at a comma: "eggs", not "eggs a bit".
TEST_F(WithModel, FreeTextStaysInsideItsPhrase) {
  for (const auto& [text, step] : {std::pair<const char*, int>{"i picked up eggs, a bit quieter", -10}, {"ticked off eggs, a bit louder", 10}}) {
    Understanding u = understand(text);
    ASSERT_EQ(u.intents.size(), 2u) << text;
    EXPECT_EQ(u.intents[0].name, "HassListCompleteItem");
    EXPECT_EQ(u.intents[0].slots.value("item", ""), "eggs");
    EXPECT_EQ(u.intents[1].name, "HassSetVolume");
    EXPECT_EQ(u.intents[1].slots.value("volume_step", 0), step);
  }
}

TEST_F(WithModel, TheSessionWindowEnds) {
  Conversation conv(*parser_);
  const auto t0 = Conversation::Clock::now();
  ASSERT_TRUE(conv.handle("turn on the floor lamp", "", t0).act);
  Turn late = conv.handle("turn it off", "", t0 + 60s);
  for (const auto& i : late.intents) EXPECT_EQ(std::count(i.targets.begin(), i.targets.end(), "light.living_floor_lamp"), 0);
}

TEST_F(WithModel, AmbiguityIsAskedAboutAndTheAnswerCompletesIt) {
  Conversation conv(*parser_);
  const auto t0 = Conversation::Clock::now();
  Turn q = conv.handle("turn on the desk lamp", "", t0);
  EXPECT_FALSE(q.act);
  EXPECT_TRUE(q.clarification);
  EXPECT_EQ(q.reply, "Which desk lamp: the desk lamp in the office or the desk lamp in the bedroom?");
  Turn a = conv.handle("the one in the office", "", t0 + 4s);
  ASSERT_TRUE(a.act) << a.reply;
  EXPECT_EQ(a.intents[0].name, "HassTurnOn");
  EXPECT_EQ(a.intents[0].targets, (std::vector<std::string>{"light.office_desk_lamp"}));
}

// Answers that name a place or say "both" settle a clarification by rule; a new request does not.
TEST_F(WithModel, ClarificationAnswersByPlaceOrBoth) {
  const auto t0 = Conversation::Clock::now();
  Conversation by_place(*parser_);
  ASSERT_TRUE(by_place.handle("turn on the desk lamp", "", t0).clarification);
  Turn a = by_place.handle("the bedroom one", "", t0 + 3s);
  ASSERT_TRUE(a.act) << a.reply;
  EXPECT_EQ(a.source, "rule");
  EXPECT_EQ(a.intents[0].name, "HassTurnOn");
  EXPECT_EQ(a.intents[0].targets, (std::vector<std::string>{"light.bedroom_desk_lamp"}));

  Conversation both(*parser_);
  ASSERT_TRUE(both.handle("turn off the desk lamp", "", t0).clarification);
  Turn b = both.handle("both of them", "", t0 + 3s);
  ASSERT_TRUE(b.act) << b.reply;
  EXPECT_EQ(b.intents[0].name, "HassTurnOff");
  EXPECT_EQ(sorted(b.intents[0].targets), (std::vector<std::string>{"light.bedroom_desk_lamp", "light.office_desk_lamp"}));

  Conversation moved_on(*parser_);
  ASSERT_TRUE(moved_on.handle("turn on the desk lamp", "", t0).clarification);
  Turn c = moved_on.handle("turn off the kitchen lights", "", t0 + 3s);
  EXPECT_NE(c.source, "rule");
  ASSERT_TRUE(c.act) << c.reply;
  EXPECT_EQ(c.intents[0].name, "HassTurnOff") << "a new request, not an answer";
  EXPECT_EQ(sorted(c.intents[0].targets), (std::vector<std::string>{"light.kitchen_ceiling", "light.kitchen_island"}));
}

TEST_F(WithModel, TheSpeakersAreaSettlesIt) {
  Conversation conv(*parser_);
  Turn t = conv.handle("turn on the desk lamp", "bedroom");
  ASSERT_TRUE(t.act) << t.reply;
  EXPECT_EQ(t.intents[0].targets, (std::vector<std::string>{"light.bedroom_desk_lamp"}));
}

TEST_F(WithModel, SensitiveActionsWaitForAYes) {
  Conversation conv(*parser_);
  const auto t0 = Conversation::Clock::now();
  Turn q = conv.handle("unlock the front door", "", t0);
  EXPECT_FALSE(q.act);
  EXPECT_TRUE(q.needs_confirmation);
  EXPECT_EQ(q.reply, "Should I go ahead with unlocking the front door?");
  Turn yes = conv.handle("yes", "", t0 + 3s);
  ASSERT_TRUE(yes.act);
  EXPECT_EQ(yes.intents[0].name, "HassTurnOff");
  EXPECT_EQ(yes.intents[0].targets, (std::vector<std::string>{"lock.front_door"}));

  Turn garage = conv.handle("open the garage door", "", t0 + 10s);
  EXPECT_TRUE(garage.needs_confirmation) << garage.reply;
  Turn no = conv.handle("no", "", t0 + 12s);
  EXPECT_FALSE(no.act);

  ConversationOptions trusting;
  trusting.confirm_sensitive = false;
  Conversation direct(*parser_, trusting);
  Turn t = direct.handle("unlock the front door", "");
  EXPECT_TRUE(t.act) << t.reply;
}

TEST_F(WithModel, SeveralIntentsInOrder) {
  Conversation conv(*parser_);
  ConversationOptions o;
  o.confirm_sensitive = false;
  Conversation c(*parser_, o);
  Turn t = c.handle("turn on the floor lamp and lock the front door", "");
  ASSERT_TRUE(t.act) << t.reply;
  ASSERT_EQ(t.intents.size(), 2u);
  EXPECT_EQ(t.intents[0].name, "HassTurnOn");
  EXPECT_EQ(t.intents[0].targets, (std::vector<std::string>{"light.living_floor_lamp"}));
  EXPECT_EQ(t.intents[1].name, "HassTurnOn");
  EXPECT_EQ(t.intents[1].targets, (std::vector<std::string>{"lock.front_door"}));
  EXPECT_EQ(t.reply, "Turning on the floor lamp. Locking the front door.");
  // A pair whose whole parse carried the first verb into the second intent (turn off + lock ->
  // two HassTurnOff): unsure, so the parser reads the parts on their own.
  Conversation c2(*parser_, o);
  t = c2.handle("turn off the kettle and lock the front door", "");
  ASSERT_TRUE(t.act) << t.reply;
  ASSERT_EQ(t.intents.size(), 2u);
  EXPECT_EQ(t.intents[0].name, "HassTurnOff");
  EXPECT_EQ(t.intents[0].targets, (std::vector<std::string>{"switch.kettle"}));
  EXPECT_EQ(t.intents[1].name, "HassTurnOn") << "lock = HassTurnOn";
  EXPECT_EQ(t.intents[1].targets, (std::vector<std::string>{"lock.front_door"}));
  // The second part may lean on the first.
  Conversation c3(*parser_, o);
  t = c3.handle("turn on the floor lamp and then make it brighter", "");
  ASSERT_EQ(t.intents.size(), 2u) << t.reply;
  EXPECT_EQ(t.intents[1].name, "HassLightSet");
  EXPECT_EQ(t.intents[1].targets, (std::vector<std::string>{"light.living_floor_lamp"}));
  // Three requests, two of them joined by a comma only (which normalize() drops): cut there too,
  // and the free text copied whole.
  Conversation c4(*parser_, o);
  t = c4.handle("turn off the kettle, set the office fan to 50 percent, add soy sauce to the shopping list", "");
  ASSERT_EQ(t.intents.size(), 3u) << t.reply;
  EXPECT_EQ(t.intents[0].targets, (std::vector<std::string>{"switch.kettle"}));
  EXPECT_EQ(t.intents[1].name, "HassFanSetSpeed");
  EXPECT_EQ(t.intents[1].targets, (std::vector<std::string>{"fan.office"}));
  EXPECT_EQ(t.intents[2].name, "HassListAddItem");
  EXPECT_EQ(t.intents[2].slots.value("item", ""), "soy sauce");
  // A sure whole parse with fewer intents than clauses (set apart by "also"): the one left out
  // is found in the parts (run 5 read this as one question at 0.95).
  Understanding u = understand("what is the temperature set to also what's the thermostat at");
  ASSERT_EQ(u.intents.size(), 2u);
  EXPECT_EQ(u.intents[0].name, "HassClimateGetTemperature");
  EXPECT_EQ(u.intents[1].name, "HassClimateGetTemperature");
}

TEST_F(WithModel, ChatIsAnsweredAndDoesNothing) {
  Conversation conv(*parser_);
  Turn t = conv.handle("thank you", "");
  EXPECT_FALSE(t.act);
  EXPECT_TRUE(t.intents.empty());
  EXPECT_EQ(t.reply, "You're welcome.");
  Turn o = conv.handle("what's the capital of france", "");
  EXPECT_FALSE(o.act);
  EXPECT_EQ(o.reply, "Sorry, I can only help with your home.");
}

TEST_F(WithModel, BadInputGetsAReplyAndNothingRuns) {
  Conversation conv(*parser_);
  std::mt19937 rng(7);
  std::string garbage;
  for (int i = 0; i < 300; ++i) garbage += static_cast<char>(rng() % 256);
  const std::string inputs[] = {"", "   ", std::string(10 * 1024, 'a'), std::string(10 * 1024, ' ') + "turn on the kettle",
                                garbage, "\xff\xfe\xfd", "schalte bitte das licht in der küche ein", "这是什么",
                                "enciende la luz de la cocina por favor"};
  for (const auto& in : inputs) {
    Turn t = conv.handle(in, "");
    EXPECT_FALSE(t.reply.empty());
    EXPECT_FALSE(t.act) << in.substr(0, 40) << " -> " << t.reply;
    conv.reset();
  }
  EXPECT_EQ(conv.handle(garbage, "").reply, "Sorry, I couldn't read that.");
  EXPECT_EQ(conv.handle("这是什么", "").reply, "Sorry, I only understand English so far.");
  EXPECT_EQ(conv.handle("schalte bitte das licht in der küche ein", "").reply, "Sorry, I only understand English so far.");
  EXPECT_EQ(conv.handle("enciende la luz de la cocina por favor", "").reply, "Sorry, I only understand English so far.");
  EXPECT_EQ(conv.handle(std::string(10 * 1024, 'a'), "").reply, "That's too long for me. Please say it in fewer words.");
}

// The shipped model on a fixed sample of the held-out split (unseen names and phrasings) and on
// the hand-written set: a broken model file, tokenizer, grammar or engine shows here. The bounds
// sit a few points under the measured accuracy (nlu/training/RESULTS.md).
namespace {

constexpr double kHeldOutBound = 0.93;  // measured 0.9725 on this sample (97.70% on all 2000), run 5 QAT Q4_0, 2026-12-04
constexpr double kHandWrittenBound = 0.91;  // measured 0.953

double exact_match(const std::string& set, const std::string& home_file, size_t limit) {
  ParserOptions po;
  po.model_path = HEARTH_SOURCE_DIR "/nlu/model/hearth-intent.gguf";
  po.cache_entries = 0;
  auto parser = IntentParser::create(po);
  EXPECT_TRUE(parser) << parser.error().message;
  if (!parser) return 0.0;
  auto home = Home::load(home_file);
  EXPECT_TRUE(home) << home.error().message;
  EXPECT_TRUE((*parser)->set_home(std::make_shared<Home>(std::move(home).value())));
  std::ifstream in(set);
  size_t n = 0, ok = 0;
  for (std::string line; n < limit && std::getline(in, line);) {
    if (line.empty()) continue;
    const auto j = nlohmann::json::parse(line);
    std::vector<Intent> prev;
    if (j.contains("prev")) prev = intents_from_json(j["prev"]).value();
    const auto want = intents_from_json(j["intents"]).value();
    auto u = (*parser)->understand(j["text"].get<std::string>(), prev);
    ++n;
    if (!u) continue;
    bool same = u->intents == want;
    if (!same && want.empty()) same = std::all_of(u->intents.begin(), u->intents.end(), [](const Intent& i) { return i.is_chat(); });
    ok += same;
  }
  return n ? static_cast<double>(ok) / static_cast<double>(n) : 0.0;
}

}  // namespace

TEST(ShippedModel, AccuracyOnAHeldOutSample) {
  const double acc = exact_match(HEARTH_SOURCE_DIR "/nlu/eval/heldout.jsonl", HEARTH_SOURCE_DIR "/nlu/eval/heldout-home.yaml", 400);
  EXPECT_GE(acc, kHeldOutBound) << "exact match on the first 400 held-out examples";
}

TEST(ShippedModel, AccuracyOnTheHandWrittenSet) {
  const double acc =
      exact_match(HEARTH_SOURCE_DIR "/nlu/eval/handwritten.jsonl", HEARTH_SOURCE_DIR "/nlu/eval/handwritten-home.yaml", 1000);
  EXPECT_GE(acc, kHandWrittenBound) << "exact match on the hand-written set";
}
