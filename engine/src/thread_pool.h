// A persistent pool of worker threads for the forward pass (private to the engine).
//
// parallel_for(n, grain, fn) splits [0, n) into chunks of `grain` items that the caller and the
// workers take from a shared counter until none are left. Work is never assigned to a particular
// thread: on a busy machine a worker that the OS has not scheduled simply takes no chunk, and the
// others do its share. The caller waits only for chunks already being worked on. Idle workers
// spin for a few tens of microseconds (the next dispatch usually comes that soon) and then sleep
// in the kernel, so a neighbouring process gets the CPU instead of a spinning barrier.
//
// Contention: when another process keeps a core busy, a worker can be descheduled in the middle
// of a chunk and the caller has to wait for it for a scheduler time slice. The pool measures how
// much of each dispatch the caller spends waiting for such stragglers; when that share stays high
// it runs the following dispatches on the caller alone (as fast as one thread on a free core) and
// tries the workers again later.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace hearth::engine {

class ThreadPool {
 public:
  // fn(begin, end, thread): items [begin, end) on `thread` (0 = the caller, < size()), for
  // per-thread scratch.
  using Fn = std::function<void(size_t begin, size_t end, int thread)>;

  explicit ThreadPool(int n_threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return n_threads_; }
  // True while contention made the pool fall back to the calling thread alone.
  bool running_solo() const;
  // Not re-entrant; one call at a time (the Context that owns the pool is single-threaded).
  void parallel_for(size_t n_items, size_t grain, const Fn& fn);

 private:
  struct Job;
  void worker(int ith);
  static void work(Job& job, int ith);

  int n_threads_;
  std::vector<std::thread> workers_;
  std::mutex job_mutex_;
  std::shared_ptr<Job> job_;                 // the latest dispatch
  std::atomic<uint32_t> generation_{0};      // bumped per dispatch; workers sleep on it (futex)
  // Contention tracking, owned by the calling thread.
  double stall_share_ = 0.0;        // moving average of (time waiting for stragglers / dispatch time)
  int64_t solo_until_ns_ = 0;       // steady-clock time until which dispatches run on the caller alone
  int64_t solo_period_ns_ = 0;      // doubles while contention keeps coming back
  int64_t last_stall_ns_ = 0;       // when contention was last detected
  std::atomic<int> sleepers_{0};            // workers asleep in the kernel (skip the wake-up when 0)
  std::atomic<bool> stop_{false};
};

// The number of physical cores (hyper-thread siblings counted once), at least 1.
int physical_core_count();

}  // namespace hearth::engine
