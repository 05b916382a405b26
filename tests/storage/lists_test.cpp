// Lists on a real SQLite file: names fold, duplicates stay single, completion, persistence.
#include <gtest/gtest.h>

#include "hearth/storage/lists.h"
#include "temp_dir.h"

using namespace hearth::storage;

TEST(Lists, NamesFoldToOneList) {
  EXPECT_EQ(Lists::list_key(""), "shopping");
  EXPECT_EQ(Lists::list_key("My Shopping List"), "shopping");
  EXPECT_EQ(Lists::list_key("the  To Do list"), "to do");
  EXPECT_EQ(Lists::list_key("hardware store"), "hardware store");
}

TEST(Lists, AddCompleteAndKeep) {
  hearth::test::TempDir dir;
  {
    auto db = Database::open({dir.file("h.db")});
    ASSERT_TRUE(db) << db.error().message;
    Lists lists(**db);
    auto a = lists.add("", "Milk");
    ASSERT_TRUE(a);
    auto again = lists.add("shopping list", "milk");
    ASSERT_TRUE(again);
    EXPECT_EQ(a.value(), again.value());  // one copy while it is open
    ASSERT_TRUE(lists.add("shopping", "eggs"));
    ASSERT_TRUE(lists.add("to do", "call the vet"));
    ASSERT_TRUE(lists.complete("", "milk"));
    auto missing = lists.complete("", "bread");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
    EXPECT_EQ(missing.error().message, "'bread' is not on the shopping list");
    EXPECT_FALSE(lists.add("", "   "));
    EXPECT_FALSE(lists.add("", std::string(300, 'x')));
  }
  auto db = Database::open({dir.file("h.db")});
  ASSERT_TRUE(db);
  Lists lists(**db);
  auto open = lists.items("shopping");
  ASSERT_TRUE(open);
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ(open->at(0).item, "eggs");
  auto all = lists.items("shopping", true);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_TRUE(all->at(1).done);
  EXPECT_EQ(lists.items("to do")->size(), 1u);
}
