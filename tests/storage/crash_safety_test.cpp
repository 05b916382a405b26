// A child process writes history rows and preference changes in a loop and reports each write
// it got an acknowledgement for; the parent kills it with SIGKILL at random points, 60 times.
// Afterwards the database passes integrity_check and holds every acknowledged write.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <set>
#include <thread>

#include "hearth/storage/history.h"
#include "hearth/storage/preferences.h"
#include "temp_dir.h"

namespace hearth::storage {
namespace {

[[noreturn]] void child_writer(const std::string& path, int round, int report_fd) {
  auto db = Database::open({path});
  if (!db) _exit(3);
  History history(**db);
  Preferences prefs(**db);
  for (int i = 0;; ++i) {
    const std::string tag = std::to_string(round) + "-" + std::to_string(i);
    HistoryEntry e;
    e.utterance = "utterance " + tag;
    e.outcome = "done";
    if (!history.append(e)) _exit(4);
    // Report the acknowledged write: "h <tag>\n".
    std::string line = "h " + tag + "\n";
    if (write(report_fd, line.data(), line.size()) < 0) _exit(5);
    if (!prefs.set("history_retention_days", std::to_string(i % 3000))) _exit(6);
    line = "p " + std::to_string(i % 3000) + "\n";
    if (write(report_fd, line.data(), line.size()) < 0) _exit(5);
  }
}

TEST(CrashSafety, SigkillAtRandomPointsLosesNothingAcknowledged) {
  test::TempDir dir;
  const std::string path = dir.file("crash.db");
  std::mt19937 rng(20261124);
  std::set<std::string> acked_rows;
  int kills = 0;
  for (int round = 0; round < 60; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      child_writer(path, round, fds[1]);
    }
    close(fds[1]);
    std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<int>(2000, 40000)(rng)));
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) ++kills;
    else FAIL() << "writer exited by itself with status " << WEXITSTATUS(status);

    // Everything the child wrote to the pipe before it died was acknowledged by storage.
    std::string reported;
    char buf[4096];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) reported.append(buf, static_cast<size_t>(n));
    close(fds[0]);
    std::string last_pref;
    size_t pos = 0;
    while (true) {
      size_t nl = reported.find('\n', pos);
      if (nl == std::string::npos) break;  // a partial last line was never fully reported
      std::string line = reported.substr(pos, nl - pos);
      pos = nl + 1;
      if (line.rfind("h ", 0) == 0) acked_rows.insert("utterance " + line.substr(2));
      if (line.rfind("p ", 0) == 0) last_pref = line.substr(2);
    }

    auto db = Database::open({path});
    ASSERT_TRUE(db) << db.error().message;
    ASSERT_TRUE((*db)->integrity_check()) << (*db)->integrity_check().error().message;
    if (!last_pref.empty()) {
      // The stored value is the last acknowledged one, or the next one if that write committed
      // but the child died before reporting it.
      Preferences prefs(**db);
      int64_t v = prefs.get_int("history_retention_days");
      int64_t acked = std::stoll(last_pref);
      EXPECT_TRUE(v == acked || v == (acked + 1) % 3000) << "stored " << v << ", last acknowledged " << acked;
    }
  }
  EXPECT_EQ(kills, 60);

  auto db = Database::open({path});
  ASSERT_TRUE(db);
  History history(**db);
  HistoryQuery q;
  q.limit = INT64_MAX;
  auto rows = history.list(q);
  ASSERT_TRUE(rows);
  std::set<std::string> stored;
  for (const auto& r : rows.value()) stored.insert(r.utterance);
  size_t missing = 0;
  for (const auto& a : acked_rows) missing += stored.count(a) ? 0 : 1;
  EXPECT_EQ(missing, 0u) << "of " << acked_rows.size() << " acknowledged rows";
  EXPECT_GT(acked_rows.size(), 60u) << "the writer should have made progress";
}

}  // namespace
}  // namespace hearth::storage
