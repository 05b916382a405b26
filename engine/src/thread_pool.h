// A persistent pool of worker threads for the forward pass (private to the engine).
//
// run(fn) calls fn(ith, nth) on nth threads — the caller is thread 0 — and returns when all have
// finished. Idle workers sleep on a condition variable instead of spinning, so a busy neighbour
// process on a small machine slows hearth down in proportion instead of collapsing it (a spinning
// barrier waits for a descheduled thread for a whole time slice).
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace hearth::engine {

class ThreadPool {
 public:
  explicit ThreadPool(int n_threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return n_threads_; }
  // Not re-entrant; one run at a time (the Context that owns the pool is single-threaded).
  void run(const std::function<void(int ith, int nth)>& fn);

 private:
  void worker(int ith);

  int n_threads_;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable start_cv_;
  std::condition_variable done_cv_;
  const std::function<void(int, int)>* job_ = nullptr;
  uint64_t generation_ = 0;
  int pending_ = 0;
  bool stop_ = false;
};

// The number of physical cores (hyper-thread siblings counted once), at least 1.
int physical_core_count();

}  // namespace hearth::engine
