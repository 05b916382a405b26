#include <gtest/gtest.h>

#include "hearth/storage/outbox.h"
#include "temp_dir.h"

namespace hearth::storage {
namespace {

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Database::open({dir_.file("h.db")});
    ASSERT_TRUE(opened) << opened.error().message;
    db_ = std::move(opened).value();
    outbox_ = std::make_unique<Outbox>(*db_);
  }
  int64_t enqueue(const std::string& topic, int64_t created_ms, int64_t ttl_ms = 10000) {
    OutboxCommand c;
    c.topic = topic;
    c.payload = R"({"state":"ON"})";
    c.created_ms = created_ms;
    c.ttl_ms = ttl_ms;
    auto id = outbox_->enqueue(c);
    EXPECT_TRUE(id) << (id ? "" : id.error().message);
    return id ? id.value() : 0;
  }
  test::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Outbox> outbox_;
};

TEST_F(OutboxTest, DeliversInOrderThroughItsStates) {
  const int64_t now = now_ms();
  int64_t a = enqueue("t/a", now), b = enqueue("t/b", now), c = enqueue("t/c", now);
  auto todo = outbox_->undelivered();
  ASSERT_TRUE(todo);
  ASSERT_EQ(todo->size(), 3u);
  EXPECT_EQ(todo->at(0).id, a);
  EXPECT_EQ(todo->at(1).id, b);
  EXPECT_EQ(todo->at(2).id, c);
  EXPECT_EQ(todo->at(0).payload, R"({"state":"ON"})");
  EXPECT_EQ(outbox_->depth().value(), 3);

  ASSERT_TRUE(outbox_->mark(a, OutboxState::kSent));
  ASSERT_TRUE(outbox_->mark(a, OutboxState::kAcked));
  ASSERT_TRUE(outbox_->mark(b, OutboxState::kSent));
  EXPECT_EQ(outbox_->get(a)->state, OutboxState::kAcked);
  EXPECT_EQ(outbox_->get(a)->attempts, 1);
  // Sent but not acknowledged is still undelivered: it is published again after a reconnect.
  todo = outbox_->undelivered();
  ASSERT_EQ(todo->size(), 2u);
  EXPECT_EQ(todo->at(0).id, b);
  EXPECT_EQ(outbox_->depth().value(), 2);
  ASSERT_TRUE(outbox_->mark(c, OutboxState::kFailed, "refused"));
  EXPECT_EQ(outbox_->get(c)->error, "refused");
}

TEST_F(OutboxTest, ExpiresPastTtl) {
  const int64_t now = 1'000'000;
  int64_t old = enqueue("t/old", now - 20000, 10000);
  int64_t fresh = enqueue("t/fresh", now - 5000, 10000);
  auto expired = outbox_->expire_due(now);
  ASSERT_TRUE(expired);
  ASSERT_EQ(expired->size(), 1u);
  EXPECT_EQ(expired->at(0).id, old);
  EXPECT_EQ(outbox_->get(old)->state, OutboxState::kExpired);
  EXPECT_EQ(outbox_->get(fresh)->state, OutboxState::kPending);
  EXPECT_TRUE(outbox_->expire_due(now)->empty());  // reported once
}

TEST_F(OutboxTest, RefusesBadCommands) {
  OutboxCommand c;
  c.topic = "";
  EXPECT_EQ(outbox_->enqueue(c).error().code, ErrorCode::kInvalidValue);
  c.topic = "t";
  c.qos = 3;
  EXPECT_FALSE(outbox_->enqueue(c));
  c.qos = 1;
  c.ttl_ms = 0;
  EXPECT_FALSE(outbox_->enqueue(c));
  EXPECT_EQ(outbox_->mark(12345, OutboxState::kAcked).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(outbox_->get(12345).error().code, ErrorCode::kNotFound);
}

TEST_F(OutboxTest, PrunesOnlyFinished) {
  int64_t a = enqueue("t/a", now_ms());
  enqueue("t/b", now_ms());
  ASSERT_TRUE(outbox_->mark(a, OutboxState::kAcked));
  EXPECT_EQ(outbox_->prune_finished(now_ms() + 1000).value(), 1);
  EXPECT_EQ(outbox_->undelivered()->size(), 1u);
}

}  // namespace
}  // namespace hearth::storage
