// The devices file: the fixture home loads; bad files are refused with file, line and key.
#include <gtest/gtest.h>

#include <fstream>

#include "hearth/nlu/home.h"

using namespace hearth::nlu;

TEST(Home, FixtureLoads) {
  auto home = Home::load(HEARTH_TEST_DATA_DIR "/home.yaml");
  ASSERT_TRUE(home) << home.error().message;
  EXPECT_EQ(home->floors.size(), 2u);
  EXPECT_EQ(home->areas.size(), 5u);
  EXPECT_EQ(home->devices.size(), 19u);
  EXPECT_EQ(home->find_area("Lounge")->name, "living room");
  EXPECT_EQ(home->find_floor("first floor")->name, "upstairs");
  EXPECT_FALSE(home->find_device("switch.server")->expose);
  EXPECT_TRUE(home->has_feature(*home->find_device("light.kitchen_island"), "color"));
}

TEST(Home, EmptyFileIsAnEmptyHome) {
  auto home = Home::parse("", "empty.yaml");
  ASSERT_TRUE(home);
  EXPECT_TRUE(home->devices.empty());
}

TEST(Home, BadFilesNameWhatAndWhere) {
  struct Case {
    const char* yaml;
    const char* says;
  } cases[] = {
      {"rooms: []\n", "h.yaml:1:1: unknown key 'rooms'"},
      {"areas:\n  - name: kitchen\n    flor: ground\n", "h.yaml:3:5: unknown key 'flor' in areas"},
      {"areas:\n  - name: kitchen\n    floor: ground\n", "h.yaml:3:12: area 'kitchen' is on floor 'ground', which is not in 'floors'"},
      {"devices:\n  - {id: a, name: lamp, domain: lamp}\n", "unknown domain 'lamp'"},
      {"devices:\n  - {id: a, name: lamp, domain: light}\n  - {id: a, name: other, domain: light}\n", "h.yaml:3:10: device id 'a' is used twice"},
      {"devices:\n  - {id: a, name: lamp, domain: light, area: attic}\n", "in area 'attic', which is not in 'areas'"},
      {"devices:\n  - {id: a, domain: light}\n", "a device needs 'name'"},
      {"devices:\n  - {id: a, name: lamp, domain: light, expose: maybe}\n", "'expose' must be true or false"},
      {"devices:\n  - {id: a, name: lamp, domain: light, features: [sparkle]}\n", "unknown feature 'sparkle'"},
      {"devices: [\n", "h.yaml:2:1:"},
      {"areas:\n  - name: kitchen\n  - name: Kitchen\n", "area 'Kitchen' is listed twice"},
      {"- a\n- b\n", "must be a mapping"},
  };
  for (const auto& c : cases) {
    auto home = Home::parse(c.yaml, "h.yaml");
    ASSERT_FALSE(home) << c.yaml;
    EXPECT_EQ(home.error().code, ErrorCode::kBadHome);
    EXPECT_NE(home.error().message.find(c.says), std::string::npos) << home.error().message;
  }
}

TEST(Home, MissingFileIsRefused) {
  auto home = Home::load("/nonexistent/devices.yaml");
  ASSERT_FALSE(home);
  EXPECT_NE(home.error().message.find("/nonexistent/devices.yaml"), std::string::npos);
}
