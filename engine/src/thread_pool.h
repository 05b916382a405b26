// A persistent pool of worker threads for the forward pass (private to the engine).
//
// parallel_for(n, grain, fn) splits [0, n) into chunks that the caller and the workers take from
// a shared counter until none are left: each chunk a share of the items still left (guided
// scheduling), at least `grain` items. Work is never assigned to a particular
// thread: on a busy machine a worker that the OS has not scheduled simply takes no chunk, and the
// others do its share. The caller waits only for chunks already being worked on. Idle workers
// spin for a few tens of microseconds (the next dispatch usually comes that soon) and then sleep
// in the kernel, so a neighbouring process gets the CPU instead of a spinning barrier.
//
// Contention: when another process keeps a core busy, a worker can be descheduled in the middle
// of a chunk and the caller has to wait for it for a scheduler time slice, or the caller itself
// shares a core with the other process while the worker idles. The pool watches both: how much
// of each dispatch the caller spends waiting for stragglers, and every few milliseconds how long
// its threads waited for a CPU (the kernel's run delay, /proc/thread-self/schedstat). When either
// is high it runs the following dispatches on the caller alone (as fast as one thread on a free
// core) and tries the workers again later. Each such try costs a stall of a time slice when the other work
// is still there, so before trying, the pool asks the system how many threads are ready to run
// (/proc/loadavg): while the workers would still find no free CPU it stays on the caller, and it
// looks again every few milliseconds. That count is trusted only once it has once said there was
// a free CPU (in a container it can count a whole busy host), and no longer once a try against
// its word ran without stalls.
#pragma once

#include <sys/types.h>

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

  // What the pool reads of the system; tests put in values of their own.
  struct Probes {
    // Threads of the whole system ready to run now (running or waiting for a CPU), or -1 when
    // unknown.
    std::function<int()> runnable;
    // Nanoseconds the pool's threads have waited for a CPU in all, or -1 when unknown; empty:
    // the kernel's figures for each of the pool's threads.
    std::function<int64_t()> waited;
    int n_cpus = 1;  // CPUs this process may use
  };
  static Probes system_probes();
  explicit ThreadPool(int n_threads);
  ThreadPool(int n_threads, Probes probes);
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
  // Whether the workers would find no free CPU now, by the system's count of ready threads
  // (a reading that says there is one makes the count trusted).
  bool system_says_busy();
  // The pool's threads' total wait for a CPU so far (ns), or -1.
  int64_t waited_ns();
  // After a dispatch with workers: true when the threads waited for a CPU for much of the time
  // since the last probe.
  bool waited_much(int64_t now);
  // Called where a dispatch would run solo; true to run it solo.
  bool stay_solo(int64_t now);
  void enter_solo(int64_t end);

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
  bool solo_ = false;               // the last dispatch ran solo
  // The system's count of ready threads, and how far it is trusted (see the top of this file).
  Probes probes_;
  enum class CountState { kUnknown, kTrusted, kRefuted } count_state_ = CountState::kUnknown;
  int64_t solo_since_ns_ = 0;       // the stall that made the pool run solo
  int64_t last_try_ns_ = 0;         // when the workers were last tried after running solo
  int quick_stalls_ = 0;            // stalls in a row soon after a try (trusted count)
  int64_t try_against_count_ns_ = 0;  // when the workers were tried though the count said busy; 0: not
  int dispatches_against_count_ = 0;  // dispatches since then without a stall
  // Each thread's /proc/thread-self/schedstat, opened by the thread itself (-1: none); the
  // caller's is reopened when another thread calls.
  std::vector<int> schedstat_fds_;
  pid_t caller_tid_ = 0;
  int64_t probe_ns_ = 0, probe_waited_ = -1;  // the last run-delay probe (0: none since a try)
  int much_probes_ = 0;                       // probes in a row that found much waiting
  std::atomic<int> sleepers_{0};            // workers asleep in the kernel (skip the wake-up when 0)
  std::atomic<bool> stop_{false};
};

// The number of physical cores (hyper-thread siblings counted once), at least 1.
int physical_core_count();
// The CPUs this process may run on (its affinity mask), at least 1.
int usable_cpu_count();
// The running/runnable thread count of /proc/loadavg, or -1 where there is none.
int system_runnable_count();

}  // namespace hearth::engine
