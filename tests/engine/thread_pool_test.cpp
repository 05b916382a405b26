// The engine's thread pool: every item exactly once, and its answer to contention. A real
// CPU-bound neighbour is what `hearth llm bench --contend` measures; here the system's count of
// ready threads and the threads' wait for a CPU are values the test sets (the real ones,
// /proc/loadavg and /proc/thread-self/schedstat, cannot be steered), and a straggling worker is a
// worker that sleeps inside its chunk.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "../../engine/src/thread_pool.h"

namespace hearth::engine {
namespace {

using namespace std::chrono_literals;

void busy_wait(std::chrono::microseconds d) {
  const auto until = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < until) {
  }
}

// Runs one dispatch of `chunks` chunks of about 200 us; returns the threads that took a chunk.
// With `straggle`, a worker that takes a chunk sleeps 5 ms in it (a descheduled worker).
std::set<int> dispatch(ThreadPool& pool, size_t chunks, bool straggle) {
  std::mutex m;
  std::set<int> threads;
  pool.parallel_for(chunks, 1, [&](size_t begin, size_t end, int thread) {
    for (size_t i = begin; i < end; ++i) busy_wait(200us);
    if (straggle && thread != 0) std::this_thread::sleep_for(5ms);
    std::lock_guard lock(m);
    threads.insert(thread);
  });
  return threads;
}

// Dispatches until a worker takes a chunk (true) or `limit` passes.
bool worker_joins_within(ThreadPool& pool, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until)
    if (dispatch(pool, 8, false).count(1)) return true;
  return false;
}

// Makes the pool meet a straggler: dispatches with a sleeping worker until it turns to the caller.
void make_it_stall(ThreadPool& pool) {
  for (int i = 0; i < 200 && !pool.running_solo(); ++i) dispatch(pool, 8, true);
  ASSERT_TRUE(pool.running_solo()) << "no straggler made the pool run on the caller";
}

TEST(ThreadPool, EveryItemExactlyOnce) {
  ThreadPool pool(2);
  for (size_t n : {size_t{1}, size_t{7}, size_t{64}, size_t{1000}}) {
    for (size_t grain : {size_t{1}, size_t{3}, size_t{64}}) {
      std::vector<std::atomic<int>> seen(n);
      pool.parallel_for(n, grain, [&](size_t begin, size_t end, int thread) {
        EXPECT_LT(thread, pool.size());
        for (size_t i = begin; i < end; ++i) seen[i].fetch_add(1);
      });
      for (size_t i = 0; i < n; ++i) ASSERT_EQ(seen[i].load(), 1) << "item " << i << " of " << n << ", grain " << grain;
    }
  }
}

// Chunks are a share of what is left (guided): the first at most a quarter of the items on two
// threads, each no larger than the one before, the last at most `grain` items, so the threads
// finish within a small chunk of each other.
TEST(ThreadPool, ChunksShrinkTowardTheEnd) {
  ThreadPool pool(2);
  for (size_t grain : {size_t{1}, size_t{5}}) {
    std::mutex m;
    std::vector<std::pair<size_t, size_t>> chunks;
    pool.parallel_for(1000, grain, [&](size_t begin, size_t end, int) {
      std::lock_guard lock(m);
      chunks.emplace_back(begin, end);
    });
    std::sort(chunks.begin(), chunks.end());
    ASSERT_GE(chunks.size(), 2u);
    EXPECT_EQ(chunks.front().second - chunks.front().first, 250u) << "grain " << grain;
    for (size_t i = 1; i < chunks.size(); ++i) {
      ASSERT_EQ(chunks[i].first, chunks[i - 1].second);
      EXPECT_LE(chunks[i].second - chunks[i].first, chunks[i - 1].second - chunks[i - 1].first) << "chunk " << i;
    }
    EXPECT_EQ(chunks.back().second, 1000u);
    EXPECT_LE(chunks.back().second - chunks.back().first, grain);
  }
}

// After a stall the pool runs on the caller; while the count says the workers would find no free
// CPU it stays there (no further stalls to find that out), and once the count says one is free it
// tries the workers again within a few milliseconds.
TEST(ThreadPool, StaysOnTheCallerWhileTheCountSaysNoCpuIsFree) {
  std::atomic<int> ready{1};  // the caller alone: a free CPU for the worker
  ThreadPool pool(2, {[&] { return ready.load(); }, [] { return int64_t{0}; }, 2});
  ASSERT_TRUE(worker_joins_within(pool, 2000ms));
  make_it_stall(pool);
  ready = 2;  // the caller and another process: no free CPU
  // 40 dispatches of 8 x 200 us on the caller alone: well past the pool's 10 ms rechecks.
  for (int i = 0; i < 40; ++i) ASSERT_EQ(dispatch(pool, 8, false), std::set<int>{0}) << "dispatch " << i;
  ready = 1;
  EXPECT_TRUE(worker_joins_within(pool, 2000ms));
}

// The caller sharing a core with other work, the worker idle: no dispatch waits for a straggler,
// but the pool's threads wait for a CPU (the kernel's run delay, here a clock the test runs at
// half of real time) and the pool turns to the caller alone.
TEST(ThreadPool, TurnsToTheCallerWhenItsThreadsWaitForACpu) {
  const auto t0 = std::chrono::steady_clock::now();
  auto half_of_the_time = [t0] {
    return static_cast<int64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0).count() / 2);
  };
  ThreadPool pool(2, {[] { return 2; }, half_of_the_time, 2});
  const auto until = std::chrono::steady_clock::now() + 2000ms;
  while (!pool.running_solo() && std::chrono::steady_clock::now() < until) dispatch(pool, 8, false);
  EXPECT_TRUE(pool.running_solo());
}

// A count that never once says a CPU is free (a container shown its whole busy host) is not
// believed: after a stall the pool tries its workers again as it would without one.
TEST(ThreadPool, ACountThatNeverSaysFreeIsNotBelieved) {
  ThreadPool pool(2, {[] { return 40; }, [] { return int64_t{0}; }, 2});
  ASSERT_TRUE(worker_joins_within(pool, 2000ms));
  make_it_stall(pool);
  std::this_thread::sleep_for(120ms);  // past the first solo period (50 ms)
  EXPECT_TRUE(worker_joins_within(pool, 2000ms));
}

}  // namespace
}  // namespace hearth::engine
