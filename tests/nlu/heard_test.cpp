// Of the sentences speech recognition heard, the one that makes sense in the fixture home
// (tests/nlu/data/home.yaml), through the shipped model: understood, naming devices the home has,
// changing something; alternatives that fit the audio much worse are never taken.
#include <gtest/gtest.h>

#include <map>

#include "fixture_parser.h"
#include "hearth/nlu/heard.h"

using namespace hearth::nlu;

namespace {

class Heard : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { parser_ = test::load_fixture_parser(); }
  void SetUp() override { ASSERT_NE(parser_, nullptr); }
  static void TearDownTestSuite() { delete parser_; }

  HeardChoice choose(const std::vector<HeardText>& heard, const std::map<std::string, std::string>& states = {}) {
    StateOf state_of = [states](const std::string& id) {
      auto it = states.find(id);
      return it == states.end() ? std::string() : it->second;
    };
    auto c = choose_heard(*parser_, heard, state_of);
    EXPECT_TRUE(c) << c.error().message;
    return c ? *c : HeardChoice{};
  }
  static IntentParser* parser_;
};
IntentParser* Heard::parser_ = nullptr;

TEST_F(Heard, TheBestIsKeptWhenItMakesSense) {
  const auto c = choose({{"turn on the floor lamp", 0}, {"turn off the floor lamp", 0.5}},
                        {{"light.living_floor_lamp", "off"}});
  EXPECT_EQ(c.index, 0u);
  EXPECT_EQ(c.why, "");
  ASSERT_EQ(c.understanding.intents.size(), 1u);
  EXPECT_EQ(c.understanding.intents[0].name, "HassTurnOn");
}

TEST_F(Heard, AnAlternativeThatChangesSomethingWinsOverOneThatChangesNothing) {
  const std::map<std::string, std::string> lamp_on = {{"light.living_floor_lamp", "on"}};
  const auto c = choose({{"turn on the floor lamp", 0}, {"turn off the floor lamp", 0.8}}, lamp_on);
  EXPECT_EQ(c.index, 1u);
  EXPECT_EQ(c.why, "changes nothing");
  ASSERT_EQ(c.understanding.intents.size(), 1u);
  EXPECT_EQ(c.understanding.intents[0].name, "HassTurnOff");
  // ... but not one that fits the audio much worse: then the best stands.
  EXPECT_EQ(choose({{"turn on the floor lamp", 0}, {"turn off the floor lamp", 6}}, lamp_on).index, 0u);
  // Nor when the state is not known.
  EXPECT_EQ(choose({{"turn on the floor lamp", 0}, {"turn off the floor lamp", 0.8}}).index, 0u);
  EXPECT_FALSE(*makes_sense(*parser_, "turn on the floor lamp", [](const std::string&) { return std::string("on"); }));
  EXPECT_TRUE(*makes_sense(*parser_, "turn off the floor lamp", [](const std::string&) { return std::string("on"); }));
  // When nothing else makes more sense, the best stands too.
  EXPECT_EQ(choose({{"turn on the floor lamp", 0}, {"turn on the floor lamp please", 0.3}}, lamp_on).index, 0u);
}

TEST_F(Heard, AnAlternativeNamingThisHomesDevicesWinsOverOneThatNamesNothing) {
  const auto c = choose({{"turn on the garden sprinkler", 0}, {"turn on the kettle", 1.0}});
  EXPECT_EQ(c.index, 1u);
  EXPECT_EQ(c.why, "names nothing here");
  // A closed cover asked to close: the alternative that opens it.
  const auto cover = choose({{"close the garage door", 0}, {"open the garage door", 1.5}}, {{"cover.garage_door", "closed"}});
  EXPECT_EQ(cover.index, 1u);
  EXPECT_TRUE(choose({}, {}).understanding.intents.empty());
}

}  // namespace
