#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "hearth/storage/database.h"
#include "hearth/storage/history.h"
#include "hearth/storage/lists.h"
#include "hearth/storage/outbox.h"
#include "hearth/storage/preferences.h"
#include "temp_dir.h"

namespace hearth::storage {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void run_sql(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << msg;
}

TEST(Database, CreatesFileAndFolderAtCurrentSchema) {
  test::TempDir dir;
  auto db = Database::open({dir.file("a/b/hearth.db")});
  ASSERT_TRUE(db) << db.error().message;
  EXPECT_EQ((*db)->schema_version(), Database::kSchemaVersion);
  EXPECT_TRUE(std::filesystem::exists(dir.file("a/b/hearth.db")));
  EXPECT_TRUE((*db)->integrity_check());
}

TEST(Database, ReopenKeepsData) {
  test::TempDir dir;
  {
    auto db = Database::open({dir.file("h.db")});
    ASSERT_TRUE(db);
    Preferences prefs(**db);
    ASSERT_TRUE(prefs.set("default_area", "kitchen"));
  }
  auto db = Database::open({dir.file("h.db")});
  ASSERT_TRUE(db);
  Preferences prefs(**db);
  EXPECT_EQ(prefs.get_string("default_area"), "kitchen");
}

TEST(Database, UsesWalJournal) {
  test::TempDir dir;
  auto db = Database::open({dir.file("h.db")});
  ASSERT_TRUE(db);
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(dir.file("h.db").c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "wal");
  sqlite3_finalize(st);
  sqlite3_close(raw);
}

TEST(Database, RefusesNewerSchemaWithoutTouchingIt) {
  test::TempDir dir;
  const std::string path = dir.file("newer.db");
  run_sql(path, "CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (99);"
                "CREATE TABLE future (x);");
  const std::string before = read_file(path);
  auto db = Database::open({path});
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kNewerSchema);
  EXPECT_NE(db.error().message.find("99"), std::string::npos) << db.error().message;
  EXPECT_NE(db.error().message.find(path), std::string::npos) << db.error().message;
  EXPECT_EQ(read_file(path), before);
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
}

TEST(Database, RefusesAFileThatIsNotADatabase) {
  test::TempDir dir;
  const std::string path = dir.file("garbage.db");
  {
    std::ofstream f(path, std::ios::binary);
    for (int i = 0; i < 4096; ++i) f.put(static_cast<char>((i * 7919) & 0xff));
  }
  const std::string before = read_file(path);
  auto db = Database::open({path});
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kNotADatabase) << db.error().message;
  EXPECT_NE(db.error().message.find(path), std::string::npos);
  EXPECT_EQ(read_file(path), before);
}

TEST(Database, RefusesAnUnwritableLocation) {
  auto db = Database::open({"/proc/hearth-cannot-exist/h.db"});
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kOpenFailed);
}

TEST(Database, DetectsACorruptedPage) {
  test::TempDir dir;
  const std::string path = dir.file("h.db");
  {
    auto db = Database::open({path});
    ASSERT_TRUE(db);
    History h(**db);
    for (int i = 0; i < 300; ++i) ASSERT_TRUE(h.append({0, 0, InputKind::kText, std::string(200, 'x'), "[]", "", "done", 1, false}));
  }
  run_sql(path, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;");
  {
    // Overwrite the middle of the file (history pages) with garbage.
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096 * 5);
    for (int i = 0; i < 4096 * 3; ++i) f.put(static_cast<char>(0xA5));
  }
  auto db = Database::open({path});
  if (!db) {
    EXPECT_EQ(db.error().code, ErrorCode::kNotADatabase) << db.error().message;
    return;
  }
  auto check = (*db)->integrity_check();
  ASSERT_FALSE(check);
  EXPECT_EQ(check.error().code, ErrorCode::kNotADatabase);
}

TEST(Database, OpensTheGoldenVersion1File) {
  test::TempDir dir;
  const std::string path = dir.file("v1.db");
  const std::string golden = read_file(std::string(HEARTH_TEST_DATA_DIR) + "/schema_v1.sql");
  ASSERT_FALSE(golden.empty()) << "missing " << HEARTH_TEST_DATA_DIR << "/schema_v1.sql";
  run_sql(path, golden);
  auto db = Database::open({path});
  ASSERT_TRUE(db) << db.error().message;
  // Migrated forward, with what it held kept.
  EXPECT_EQ((*db)->schema_version(), Database::kSchemaVersion);
  ASSERT_TRUE(Lists(**db).add("shopping", "milk"));
  Preferences prefs(**db);
  EXPECT_EQ(prefs.get_string("temperature_unit"), "F");
  History history(**db);
  auto rows = history.list();
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->at(0).utterance, "turn on the kitchen light");
  EXPECT_EQ(rows->at(0).input, InputKind::kVoice);
  Outbox outbox(**db);
  auto c = outbox.get(1);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->state, OutboxState::kAcked);
}

}  // namespace
}  // namespace hearth::storage
