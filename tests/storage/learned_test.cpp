// Learned state on a real SQLite file: kept across reopening, replaced, forgotten; a damaged
// value reads as absent without touching the others.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "hearth/storage/learned.h"
#include "temp_dir.h"

using namespace hearth::storage;

TEST(Learned, KeptAcrossReopeningAndReplaced) {
  hearth::test::TempDir dir;
  {
    auto db = Database::open({dir.file("h.db")});
    ASSERT_TRUE(db) << db.error().message;
    Learned learned(**db);
    auto none = learned.get("voice.channel:default");
    ASSERT_TRUE(none) << none.error().message;
    EXPECT_FALSE(none->has_value());
    ASSERT_TRUE(learned.put("voice.channel:default", nlohmann::json::array({40.5, 3.25, -1.0})));
    ASSERT_TRUE(learned.put("voice.channel:USB mic", nlohmann::json::array({38.0})));
    ASSERT_TRUE(learned.put("voice.channel:default", nlohmann::json::array({41.0, 2.0, -0.5})));
  }
  auto db = Database::open({dir.file("h.db")});
  ASSERT_TRUE(db);
  Learned learned(**db);
  auto v = learned.get("voice.channel:default");
  ASSERT_TRUE(v && v->has_value());
  EXPECT_EQ(**v, nlohmann::json::parse("[41.0, 2.0, -0.5]"));
  ASSERT_TRUE(learned.forget("voice.channel:default"));
  ASSERT_TRUE(learned.forget("never stored"));
  EXPECT_FALSE(learned.get("voice.channel:default")->has_value());
  EXPECT_EQ(**learned.get("voice.channel:USB mic"), nlohmann::json::parse("[38.0]"));
}

TEST(Learned, BadKeysAreRefusedAndDamagedValuesReadAsAbsent) {
  hearth::test::TempDir dir;
  auto db = Database::open({dir.file("h.db")});
  ASSERT_TRUE(db);
  Learned learned(**db);
  auto empty = learned.put("", 1);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidValue);
  EXPECT_FALSE(learned.put(std::string(201, 'k'), 1));
  EXPECT_FALSE(learned.get(""));
  ASSERT_TRUE(learned.put("good", "kept"));
  ASSERT_TRUE(learned.put("bad", 1));
  db->reset();
  // Damage one value from outside, as a bad disk or another program could.
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(dir.file("h.db").c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, "UPDATE learned SET value = '{not json' WHERE key = 'bad'", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(raw);
  auto again = Database::open({dir.file("h.db")});
  ASSERT_TRUE(again);
  Learned reopened(**again);
  auto bad = reopened.get("bad");
  ASSERT_TRUE(bad);
  EXPECT_FALSE(bad->has_value());
  EXPECT_EQ(**reopened.get("good"), "kept");
}
