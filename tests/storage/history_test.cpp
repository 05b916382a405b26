#include <gtest/gtest.h>

#include "hearth/storage/history.h"
#include "temp_dir.h"

namespace hearth::storage {
namespace {

class HistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Database::open({dir_.file("h.db")});
    ASSERT_TRUE(opened) << opened.error().message;
    db_ = std::move(opened).value();
    history_ = std::make_unique<History>(*db_);
  }
  int64_t add(int64_t time_ms, const std::string& text, const std::string& reply = "") {
    HistoryEntry e;
    e.time_ms = time_ms;
    e.utterance = text;
    e.reply = reply;
    e.outcome = "done";
    e.latency_ms = 12;
    auto id = history_->append(e);
    EXPECT_TRUE(id);
    return id ? id.value() : 0;
  }
  test::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<History> history_;
};

TEST_F(HistoryTest, AppendAndListNewestFirst) {
  add(1000, "first");
  add(3000, "third");
  add(2000, "second");
  HistoryEntry voice;
  voice.input = InputKind::kVoice;
  voice.utterance = "cloud one";
  voice.intents_json = R"([{"intent":"HassTurnOn","slots":{"name":"lamp"}}])";
  voice.outcome = "done";
  voice.left_device = true;
  voice.time_ms = 4000;
  ASSERT_TRUE(history_->append(voice));
  auto rows = history_->list();
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ(rows->at(0).utterance, "cloud one");
  EXPECT_TRUE(rows->at(0).left_device);
  EXPECT_EQ(rows->at(0).input, InputKind::kVoice);
  EXPECT_EQ(rows->at(0).intents_json, voice.intents_json);
  EXPECT_EQ(rows->at(1).utterance, "third");
  EXPECT_EQ(rows->at(3).utterance, "first");
  EXPECT_EQ(rows->at(3).latency_ms, 12);
}

TEST_F(HistoryTest, LimitSinceAndSearch) {
  for (int i = 0; i < 10; ++i) add(1000 + i, "turn on lamp " + std::to_string(i), i == 3 ? "The Garage is open" : "");
  HistoryQuery q;
  q.limit = 3;
  EXPECT_EQ(history_->list(q)->size(), 3u);
  q.limit = 100;
  q.since_ms = 1005;
  EXPECT_EQ(history_->list(q)->size(), 5u);
  q.since_ms.reset();
  q.contains = "LAMP 7";
  auto rows = history_->list(q);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->at(0).utterance, "turn on lamp 7");
  q.contains = "garage";
  EXPECT_EQ(history_->list(q)->size(), 1u);
}

TEST_F(HistoryTest, RetentionPurge) {
  const int64_t day = 86'400'000;
  const int64_t now = 100 * day;
  add(now - 40 * day, "old");
  add(now - 31 * day, "just too old");
  add(now - 29 * day, "recent");
  add(now, "now");
  auto n = purge_by_retention(*db_, 30, now);
  ASSERT_TRUE(n);
  EXPECT_EQ(n.value(), 2);
  EXPECT_EQ(history_->count().value(), 2);
  EXPECT_EQ(purge_by_retention(*db_, 0, now).value(), 2);  // 0 days keeps nothing
  EXPECT_EQ(history_->count().value(), 0);
}

TEST_F(HistoryTest, Clear) {
  add(1, "a");
  add(2, "b");
  EXPECT_EQ(history_->clear().value(), 2);
  EXPECT_EQ(history_->count().value(), 0);
}

}  // namespace
}  // namespace hearth::storage
