// Several threads write history and read preferences at once, through one Database and through
// a second Database on the same file (as a second process would): nothing is lost and no
// "database is locked" error reaches a caller.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "hearth/storage/history.h"
#include "hearth/storage/preferences.h"
#include "temp_dir.h"

namespace hearth::storage {
namespace {

TEST(Concurrency, WritersAndReadersLoseNothing) {
  test::TempDir dir;
  const std::string path = dir.file("c.db");
  auto a = Database::open({path});
  auto b = Database::open({path});
  ASSERT_TRUE(a && b);
  constexpr int kWriters = 4, kRowsEach = 300, kReaders = 2;
  std::atomic<int> errors{0};
  std::atomic<bool> writers_done{false};
  std::string first_error;
  std::mutex error_mutex;
  auto note_error = [&](const std::string& m) {
    errors++;
    std::lock_guard lock(error_mutex);
    if (first_error.empty()) first_error = m;
  };

  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      Database& db = (w % 2 == 0) ? **a : **b;
      History history(db);
      Preferences prefs(db);
      for (int i = 0; i < kRowsEach; ++i) {
        HistoryEntry e;
        e.utterance = "w" + std::to_string(w) + " " + std::to_string(i);
        e.outcome = "done";
        if (auto r = history.append(e); !r) note_error(r.error().message);
        if (i % 10 == 0) {
          if (auto r = prefs.set("default_area", "area " + std::to_string(i)); !r) note_error(r.error().message);
        }
      }
    });
  }
  std::atomic<int> reads{0};
  for (int r = 0; r < kReaders; ++r) {
    threads.emplace_back([&, r] {
      Preferences prefs(r == 0 ? **a : **b);
      while (!writers_done) {
        if (auto v = prefs.get("default_area"); !v) note_error(v.error().message);
        if (auto l = prefs.list(); !l) note_error(l.error().message);
        reads++;
      }
    });
  }
  for (int w = 0; w < kWriters; ++w) threads[w].join();
  writers_done = true;
  for (size_t t = kWriters; t < threads.size(); ++t) threads[t].join();

  EXPECT_EQ(errors.load(), 0) << first_error;
  EXPECT_GT(reads.load(), 0);
  History history(**a);
  EXPECT_EQ(history.count().value(), kWriters * kRowsEach);
  EXPECT_TRUE((*a)->integrity_check());
}

}  // namespace
}  // namespace hearth::storage
