// The resolver's rules, one by one, on the fixture home (tests/nlu/data/home.yaml).
#include <gtest/gtest.h>

#include <algorithm>

#include "hearth/nlu/resolver.h"

using namespace hearth::nlu;
using Kind = Resolution::Kind;

namespace {

class Resolver : public ::testing::Test {
 protected:
  void SetUp() override {
    auto h = Home::load(HEARTH_TEST_DATA_DIR "/home.yaml");
    ASSERT_TRUE(h) << h.error().message;
    home_ = std::move(h).value();
  }
  Resolution run(const std::string& intent, nlohmann::json slots, const std::string& speaker = "") {
    Intent i{intent, std::move(slots), {}};
    return resolve(i, home_, speaker);
  }
  static std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  }
  Home home_;
};

}  // namespace

TEST_F(Resolver, AreaAndDomainMeanEveryExposedDeviceThere) {
  auto r = run("HassTurnOff", {{"area", "kitchen"}, {"domain", "light"}});
  ASSERT_EQ(r.kind, Kind::kResolved);
  EXPECT_EQ(sorted(r.targets), (std::vector<std::string>{"light.kitchen_ceiling", "light.kitchen_island"}));
  EXPECT_EQ(describe_targets(r.targets, home_), "the kitchen lights");
}

TEST_F(Resolver, NamesMatchCaseArticleAndPluralInsensitively) {
  for (const char* n : {"ceiling light", "The Ceiling Lights", "the ceiling light"}) {
    auto r = run("HassTurnOn", {{"name", n}});
    ASSERT_EQ(r.kind, Kind::kResolved) << n;
    EXPECT_EQ(r.targets, (std::vector<std::string>{"light.kitchen_ceiling"})) << n;
  }
  auto alias = run("HassTurnOn", {{"name", "reading lamp"}});
  EXPECT_EQ(alias.targets, (std::vector<std::string>{"light.office_desk_lamp"}));
}

TEST_F(Resolver, AreaAliasesAndFloors) {
  auto lounge = run("HassTurnOn", {{"area", "lounge"}, {"domain", "light"}});
  EXPECT_EQ(lounge.targets, (std::vector<std::string>{"light.living_floor_lamp"}));
  auto up = run("HassTurnOff", {{"floor", "first floor"}, {"domain", "light"}});
  EXPECT_EQ(sorted(up.targets),
            (std::vector<std::string>{"light.bedroom_ceiling", "light.bedroom_desk_lamp", "light.office_desk_lamp"}));
}

TEST_F(Resolver, TheSpeakersAreaIsTheDefault) {
  auto r = run("HassTurnOn", {{"domain", "light"}}, "living room");
  EXPECT_EQ(r.targets, (std::vector<std::string>{"light.living_floor_lamp"}));
  // The intent's own domain: HassLightSet means lights.
  auto set = run("HassLightSet", {{"brightness", 30}}, "kitchen");
  EXPECT_EQ(sorted(set.targets), (std::vector<std::string>{"light.kitchen_ceiling", "light.kitchen_island"}));
  // Nothing of the kind in the speaker's room: the whole home.
  auto fan = run("HassFanSetSpeed", {{"percentage", 50}}, "kitchen");
  EXPECT_EQ(fan.targets, (std::vector<std::string>{"fan.office"}));
}

TEST_F(Resolver, OneNameOnTwoDevicesIsAskedAbout) {
  auto r = run("HassTurnOn", {{"name", "desk lamp"}});
  ASSERT_EQ(r.kind, Kind::kAmbiguous);
  EXPECT_EQ(r.question, "Which desk lamp: the desk lamp in the office or the desk lamp in the bedroom?");
  // The same options, for a screen to offer as buttons.
  EXPECT_EQ(r.choices, (std::vector<std::string>{"the desk lamp in the office", "the desk lamp in the bedroom"}));
  // The speaker's room settles it; so does an area slot.
  EXPECT_EQ(run("HassTurnOn", {{"name", "desk lamp"}}, "bedroom").targets, (std::vector<std::string>{"light.bedroom_desk_lamp"}));
  EXPECT_EQ(run("HassTurnOn", {{"name", "desk lamp"}, {"area", "office"}}).targets,
            (std::vector<std::string>{"light.office_desk_lamp"}));
  // The devices asked about, for an answer to pick from.
  EXPECT_EQ(sorted(r.candidates), (std::vector<std::string>{"light.bedroom_desk_lamp", "light.office_desk_lamp"}));
}

TEST_F(Resolver, ANameOutweighsAKindNoDeviceOfThatNameHas) {
  // "open the garage door" read with the previous turn's domain (a lock): the name is what was said.
  auto r = run("HassTurnOn", {{"name", "garage door"}, {"domain", "lock"}});
  ASSERT_EQ(r.kind, Kind::kResolved) << r.question;
  EXPECT_EQ(r.targets, (std::vector<std::string>{"cover.garage_door"}));
  // A kind that does narrow a name still counts; with no name, a kind that is not there is not found.
  EXPECT_EQ(run("HassTurnOn", {{"name", "desk lamp"}, {"domain", "switch"}, {"area", "office"}}).targets,
            (std::vector<std::string>{"light.office_desk_lamp"}));
  EXPECT_EQ(run("HassTurnOn", {{"area", "garage"}, {"domain", "light"}}).kind, Kind::kNoMatch);
}

TEST_F(Resolver, AKindSpreadOverRoomsWithNoPlaceIsAskedAbout) {
  auto r = run("HassTurnOn", {{"domain", "light"}});
  ASSERT_EQ(r.kind, Kind::kAmbiguous);
  EXPECT_NE(r.question.find("Which light:"), std::string::npos) << r.question;
  // "all" is explicit, and questions may span the home.
  auto all = run("HassTurnOff", {{"name", "all"}, {"domain", "light"}});
  EXPECT_EQ(all.kind, Kind::kResolved);
  EXPECT_EQ(all.targets.size(), 6u);
  EXPECT_EQ(run("HassGetState", {{"domain", "light"}, {"state", "on"}}).targets.size(), 6u);
}

// A question never reads out dozens of choices: with more than a handful it asks for the place
// (or the name), and the candidates stay for the answer to settle.
TEST(ResolverOfABigHome, ManyChoicesAreAskedForByPlaceOrName) {
  std::string yaml = "areas:\n", devices = "devices:\n";
  for (int i = 0; i < 9; ++i) {
    yaml += "  - {name: room " + std::to_string(i) + "}\n";
    devices += "  - {id: light.l" + std::to_string(i) + ", name: lamp " + std::to_string(i) + ", area: room " +
               std::to_string(i) + ", domain: light}\n";
    devices += "  - {id: light.d" + std::to_string(i) + ", name: desk lamp, area: room " + std::to_string(i) +
               ", domain: light}\n";
  }
  auto home = Home::parse(yaml + devices);
  ASSERT_TRUE(home) << home.error().message;
  auto spread = resolve(Intent{"HassTurnOn", {{"domain", "light"}}, {}}, home.value(), "");
  ASSERT_EQ(spread.kind, Kind::kAmbiguous);
  EXPECT_EQ(spread.question, "Which light? There are lights in 9 places; please say which one.");
  EXPECT_TRUE(spread.choices.empty());
  EXPECT_EQ(spread.candidates.size(), 18u);
  auto named = resolve(Intent{"HassTurnOn", {{"name", "desk lamp"}}, {}}, home.value(), "");
  ASSERT_EQ(named.kind, Kind::kAmbiguous);
  EXPECT_EQ(named.question, "Which desk lamp? There are 9; please say the room or the whole name.");
  EXPECT_EQ(named.candidates.size(), 9u);
}

TEST_F(Resolver, MediaWithSeveralPlayersIsAskedAbout) {
  auto r = run("HassMediaPause", nlohmann::json::object());
  EXPECT_EQ(r.kind, Kind::kAmbiguous);
  EXPECT_EQ(run("HassMediaPause", nlohmann::json::object(), "kitchen").targets,
            (std::vector<std::string>{"media_player.kitchen_speaker"}));
}

TEST_F(Resolver, UnexposedDevicesDoNotExist) {
  auto r = run("HassTurnOff", {{"name", "server"}});
  EXPECT_EQ(r.kind, Kind::kNoMatch);
  EXPECT_EQ(r.question, "I couldn't find the server.");
}

TEST_F(Resolver, NoMatchSaysWhatWasMissing) {
  auto r = run("HassTurnOn", {{"area", "garage"}, {"domain", "light"}});
  EXPECT_EQ(r.kind, Kind::kNoMatch);
  EXPECT_EQ(r.question, "I couldn't find the light in the garage.");
  auto area = run("HassTurnOn", {{"area", "attic"}, {"domain", "light"}});
  EXPECT_EQ(area.kind, Kind::kNoMatch);
}

TEST_F(Resolver, DeviceClassesAndEverything) {
  auto garage = run("HassTurnOn", {{"domain", "cover"}, {"device_class", "garage"}});
  EXPECT_EQ(garage.targets, (std::vector<std::string>{"cover.garage_door"}));
  auto everything = run("HassTurnOff", {{"name", "all"}, {"area", "kitchen"}});
  EXPECT_EQ(sorted(everything.targets),
            (std::vector<std::string>{"light.kitchen_ceiling", "light.kitchen_island", "media_player.kitchen_speaker", "switch.kettle"}));
}

TEST_F(Resolver, IntentsWithoutDevicesResolveToNothing) {
  auto r = run("HassStartTimer", {{"minutes", 5}});
  EXPECT_EQ(r.kind, Kind::kResolved);
  EXPECT_TRUE(r.targets.empty());
  auto bare = run("HassTurnOn", nlohmann::json::object());
  EXPECT_EQ(bare.kind, Kind::kNoTargets);
}
