#include <gtest/gtest.h>

#include "hearth/storage/preferences.h"
#include "temp_dir.h"

namespace hearth::storage {
namespace {

class PreferencesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Database::open({dir_.file("h.db")});
    ASSERT_TRUE(opened) << opened.error().message;
    db_ = std::move(opened).value();
    prefs_ = std::make_unique<Preferences>(*db_);
  }
  test::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Preferences> prefs_;
};

TEST_F(PreferencesTest, EveryPreferenceHasAValidDefault) {
  for (const auto& spec : preference_specs()) {
    auto v = prefs_->get(spec.key);
    ASSERT_TRUE(v) << spec.key;
  }
  EXPECT_EQ(prefs_->get_string("temperature_unit"), "C");
  EXPECT_EQ(prefs_->get_string("wake_word"), "hey computer");
  EXPECT_EQ(prefs_->get_string("cloud_fallback"), "off");
  EXPECT_TRUE(prefs_->get_bool("confirm_sensitive"));
  EXPECT_TRUE(prefs_->get_bool("speech_replies"));
  EXPECT_EQ(prefs_->get_int("history_retention_days"), 30);
  EXPECT_EQ(prefs_->get_string("language"), "en");
  EXPECT_EQ(prefs_->get_string("default_area"), "");
}

TEST_F(PreferencesTest, SetGetTyped) {
  ASSERT_TRUE(prefs_->set("temperature_unit", "f"));
  EXPECT_EQ(prefs_->get_string("temperature_unit"), "F");  // normalised to the spec's spelling
  ASSERT_TRUE(prefs_->set("speech_replies", "off"));
  EXPECT_FALSE(prefs_->get_bool("speech_replies"));
  ASSERT_TRUE(prefs_->set("history_retention_days", "7"));
  EXPECT_EQ(prefs_->get_int("history_retention_days"), 7);
  ASSERT_TRUE(prefs_->set("cloud_fallback", "ask"));
  EXPECT_EQ(prefs_->get("cloud_fallback").value(), "ask");
  ASSERT_TRUE(prefs_->set_json("default_area", "living room"));
  EXPECT_EQ(prefs_->get_string("default_area"), "living room");
}

TEST_F(PreferencesTest, BadValuesAreRefusedAndNothingChanges) {
  ASSERT_TRUE(prefs_->set("cloud_fallback", "ask"));
  struct Case {
    const char* key;
    const char* value;
    const char* says;  // the message must say what is allowed
  };
  for (const Case& c : {Case{"cloud_fallback", "sometimes", "off, ask, auto"},
                        Case{"temperature_unit", "K", "C, F"},
                        Case{"speech_replies", "maybe", "on or off"},
                        Case{"history_retention_days", "-1", "0 to 3650"},
                        Case{"history_retention_days", "99999", "0 to 3650"},
                        Case{"history_retention_days", "ten", "whole number"},
                        Case{"wake_word", "", "empty"},
                        Case{"default_area", "kitchen\n", "control characters"}}) {
    auto r = prefs_->set(c.key, c.value);
    ASSERT_FALSE(r) << c.key << "=" << c.value;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidValue);
    EXPECT_NE(r.error().message.find(c.says), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find(c.key), std::string::npos) << r.error().message;
  }
  EXPECT_EQ(prefs_->get_string("cloud_fallback"), "ask");
  EXPECT_FALSE(prefs_->set_json("speech_replies", "on"));  // JSON must be a real boolean
  EXPECT_FALSE(prefs_->set_json("history_retention_days", 1.5));
  EXPECT_FALSE(prefs_->set("default_area", std::string(101, 'a')));
}

TEST_F(PreferencesTest, UnknownKey) {
  auto r = prefs_->set("colour_scheme", "dark");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnknownKey);
  EXPECT_NE(r.error().message.find("colour_scheme"), std::string::npos);
  EXPECT_FALSE(prefs_->get("colour_scheme"));
  EXPECT_FALSE(prefs_->unset("colour_scheme"));
}

TEST_F(PreferencesTest, UnsetReturnsToDefault) {
  ASSERT_TRUE(prefs_->set("confirm_sensitive", "off"));
  EXPECT_FALSE(prefs_->get_bool("confirm_sensitive"));
  ASSERT_TRUE(prefs_->unset("confirm_sensitive"));
  EXPECT_TRUE(prefs_->get_bool("confirm_sensitive"));
  ASSERT_TRUE(prefs_->unset("confirm_sensitive"));  // twice is fine
}

TEST_F(PreferencesTest, ListAndExport) {
  ASSERT_TRUE(prefs_->set("voice", "en-gb"));
  auto all = prefs_->list();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), preference_specs().size());
  int non_default = 0;
  for (const auto& pv : all.value()) {
    if (!pv.is_default) {
      ++non_default;
      EXPECT_EQ(pv.key, "voice");
      EXPECT_GT(pv.updated_at_ms, 0);
    }
  }
  EXPECT_EQ(non_default, 1);
  auto j = prefs_->export_json();
  ASSERT_TRUE(j);
  EXPECT_EQ((*j)["voice"], "en-gb");
  EXPECT_EQ((*j)["history_retention_days"], 30);
  EXPECT_EQ((*j)["speech_replies"], true);
}

TEST_F(PreferencesTest, UsersAreSeparate) {
  Preferences guest(*db_, "guest");
  ASSERT_TRUE(guest.set("temperature_unit", "F"));
  EXPECT_EQ(prefs_->get_string("temperature_unit"), "C");
  EXPECT_EQ(guest.get_string("temperature_unit"), "F");
}

}  // namespace
}  // namespace hearth::storage
