#include "thread_pool.h"

#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <string>

#if defined(__x86_64__)
#include <immintrin.h>
#define HEARTH_PAUSE() _mm_pause()
#else
#define HEARTH_PAUSE() std::this_thread::yield()
#endif

namespace hearth::engine {

namespace {
// About 20-60 us of polling before sleeping in the kernel.
constexpr int kSpinIterations = 4000;
// Contention is assumed when the caller's waits for stragglers average above kStallLimit of the
// dispatch time, or one wait is longer than kLongStallNs and most of its dispatch. The pool then
// runs solo for a period that starts at kSoloMinNs and doubles (up to kSoloMaxNs) each time
// contention is found again within kSoloMaxNs of the last time.
constexpr double kStallLimit = 0.3;
constexpr int64_t kLongStallNs = 1'000'000;
constexpr int64_t kSoloMinNs = 50'000'000;
constexpr int64_t kSoloMaxNs = 3'200'000'000;
// While the system's count of ready threads is trusted and says the workers would find no free
// CPU, a solo period that ends is extended by kRecheckNs instead of trying the workers, for up to
// kSoloMaxNs since the stall.
constexpr int64_t kRecheckNs = 10'000'000;
// With the count trusted, a stall within kQuickStallNs of trying the workers doubles the next
// solo period (kRecheckNs << quick stalls in a row, at most kMaxQuickStalls).
constexpr int64_t kQuickStallNs = 50'000'000;
constexpr int kMaxQuickStalls = 8;
// A try against the count's word that runs kRefuteNs and kRefuteDispatches dispatches without a
// stall refutes the count for the rest of the process.
constexpr int64_t kRefuteNs = 1'000'000'000;
constexpr int kRefuteDispatches = 256;
// Every kProbeNs of dispatches with workers, the pool reads how long its threads waited for a CPU;
// more than kWaitShare of the time since the last probe (summed over the threads) is contention.
// A busy neighbour on one of two cores shows 30-50% at every probe; a quiet machine well under
// 1%, with now and then one probe of 20-50% (a thread woken on a busy CPU and moved), so it takes
// kMuchProbes in a row.
constexpr int64_t kProbeNs = 5'000'000;
constexpr double kWaitShare = 0.15;
constexpr int kMuchProbes = 2;

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Futexes directly: std::atomic::wait/notify of GCC 12's libstdc++ can miss wake-ups.
void futex_wait(std::atomic<uint32_t>& word, uint32_t expected) {
  syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAIT_PRIVATE, expected, nullptr, nullptr, 0);
}
void futex_wake_all(std::atomic<uint32_t>& word) {
  syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAKE_PRIVATE, INT_MAX, nullptr, nullptr, 0);
}
static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t));
}  // namespace

struct ThreadPool::Job {
  const Fn* fn = nullptr;  // valid while items remain: the caller waits for every taken chunk
  size_t n_items = 0, grain = 1;
  size_t divisor = 2;             // a chunk is the items left / divisor (at least grain)
  std::atomic<size_t> next{0};    // the first item not yet taken
  std::atomic<uint32_t> done{0};  // finished items; the caller sleeps on it
};

namespace {
int open_own_schedstat() { return ::open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC); }

// The second field of a schedstat file: nanoseconds spent waiting on a run queue.
int64_t run_delay_ns(int fd) {
  char buf[96];
  const ssize_t n = fd < 0 ? -1 : ::pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return -1;
  buf[n] = '\0';
  char* end = nullptr;
  std::strtoll(buf, &end, 10);
  if (end == buf) return -1;
  const char* second = end;
  const long long delay = std::strtoll(second, &end, 10);
  return end == second ? -1 : static_cast<int64_t>(delay);
}
}  // namespace

ThreadPool::Probes ThreadPool::system_probes() { return Probes{system_runnable_count, {}, usable_cpu_count()}; }

ThreadPool::ThreadPool(int n_threads) : ThreadPool(n_threads, system_probes()) {}

ThreadPool::ThreadPool(int n_threads, Probes probes)
    : n_threads_(n_threads < 1 ? 1 : n_threads), probes_(std::move(probes)) {
  probes_.n_cpus = std::max(1, probes_.n_cpus);
  schedstat_fds_.assign(static_cast<size_t>(n_threads_), -1);
  // A first reading, before any worker runs: can the count say "free" on this system at all?
  system_says_busy();
  for (int i = 1; i < n_threads_; ++i) workers_.emplace_back([this, i] { worker(i); });
}

ThreadPool::~ThreadPool() {
  stop_.store(true);
  generation_.fetch_add(1);
  futex_wake_all(generation_);
  for (auto& t : workers_) t.join();
  for (int fd : schedstat_fds_)
    if (fd >= 0) ::close(fd);
}

void ThreadPool::work(Job& job, int ith) {
  for (;;) {
    // Guided chunks: large while much is left, down to `grain` at the end, so the threads finish
    // together (fixed chunks of 1/16 of a thread's share left the other thread idle for half a
    // chunk on average, 6% of a 500M model's decode on two threads).
    size_t begin = job.next.load(std::memory_order_relaxed), end = 0;
    do {
      if (begin >= job.n_items) return;
      const size_t left = job.n_items - begin;
      end = begin + std::min(left, std::max(job.grain, left / job.divisor));
    } while (!job.next.compare_exchange_weak(begin, end, std::memory_order_relaxed));
    (*job.fn)(begin, end, ith);
    const auto n = static_cast<uint32_t>(end - begin);
    if (job.done.fetch_add(n, std::memory_order_acq_rel) + n == job.n_items) futex_wake_all(job.done);
  }
}

void ThreadPool::parallel_for(size_t n_items, size_t grain, const Fn& fn) {
  if (n_items == 0) return;
  grain = std::max<size_t>(1, grain);
  // The finished-item count is a 32-bit futex word; no dispatch comes near that many items.
  if (n_threads_ == 1 || n_items <= grain || n_items > UINT32_MAX) {
    fn(0, n_items, 0);
    return;
  }
  const int64_t start = now_ns();
  if (solo_ && stay_solo(start)) {
    fn(0, n_items, 0);
    return;
  }
  solo_ = false;
  auto job = std::make_shared<Job>();
  job->fn = &fn;
  job->n_items = n_items;
  job->grain = grain;
  job->divisor = 2 * static_cast<size_t>(n_threads_);
  {
    std::lock_guard lock(job_mutex_);
    job_ = job;
  }
  // seq_cst on both sides (here and in worker()): either the worker sees the new generation
  // before sleeping, or this sees it counted as a sleeper and wakes it.
  generation_.fetch_add(1);
  if (sleepers_.load() > 0) futex_wake_all(generation_);
  work(*job, 0);
  const int64_t own_done = now_ns();
  // Wait for chunks other threads are still working on.
  const auto all = static_cast<uint32_t>(n_items);
  for (int spin = 0; job->done.load(std::memory_order_acquire) != all; ++spin) {
    if (spin < kSpinIterations) {
      HEARTH_PAUSE();
    } else {
      const uint32_t d = job->done.load(std::memory_order_acquire);
      if (d != all) futex_wait(job->done, d);
    }
  }
  const int64_t end = now_ns();
  const int64_t stalled = end - own_done, total = end - start;
  const double share = total > 0 ? static_cast<double>(stalled) / static_cast<double>(total) : 0.0;
  stall_share_ = 0.9 * stall_share_ + 0.1 * share;
  if (stall_share_ > kStallLimit || (stalled > kLongStallNs && share > 0.5) || waited_much(end)) {
    enter_solo(end);
  } else if (try_against_count_ns_ > 0 && ++dispatches_against_count_ >= kRefuteDispatches &&
             end - try_against_count_ns_ >= kRefuteNs) {
    // The workers ran without stalls where the count said they would find no CPU.
    count_state_ = CountState::kRefuted;
    try_against_count_ns_ = 0;
  }
}

int64_t ThreadPool::waited_ns() {
  if (probes_.waited) return probes_.waited();
  const pid_t tid = static_cast<pid_t>(::syscall(SYS_gettid));
  if (tid != caller_tid_) {
    if (schedstat_fds_[0] >= 0) ::close(schedstat_fds_[0]);
    schedstat_fds_[0] = open_own_schedstat();
    caller_tid_ = tid;
  }
  int64_t total = 0;
  for (size_t i = 0; i < schedstat_fds_.size(); ++i) {
    // A worker's slot is written once, by the worker, before it first takes work.
    const int fd = i == 0 ? schedstat_fds_[0] : std::atomic_ref<int>(schedstat_fds_[i]).load(std::memory_order_acquire);
    const int64_t d = run_delay_ns(fd);
    if (d < 0) return -1;
    total += d;
  }
  return total;
}

bool ThreadPool::waited_much(int64_t now) {
  if (probe_ns_ != 0 && now - probe_ns_ < kProbeNs) return false;
  const int64_t waited = waited_ns();
  const bool much = probe_ns_ != 0 && waited >= 0 && probe_waited_ >= 0 &&
                    static_cast<double>(waited - probe_waited_) > kWaitShare * static_cast<double>(now - probe_ns_);
  probe_ns_ = now;
  probe_waited_ = waited;
  much_probes_ = much ? much_probes_ + 1 : 0;
  return much_probes_ >= kMuchProbes;
}

void ThreadPool::enter_solo(int64_t end) {
  probe_ns_ = 0;  // the next try starts a new measurement
  much_probes_ = 0;
  try_against_count_ns_ = 0;
  solo_since_ns_ = end;
  solo_ = true;
  stall_share_ = 0.0;
  if (count_state_ == CountState::kTrusted) {
    // The count says at the end of this short period whether other work is still there. A stall
    // while it says there is none (a virtual CPU the host took away for a moment) is a one-off;
    // stalls that follow every try soon after it back off, doubling.
    quick_stalls_ = end - last_try_ns_ < kQuickStallNs ? std::min(quick_stalls_ + 1, kMaxQuickStalls) : 0;
    solo_until_ns_ = end + (kRecheckNs << quick_stalls_);
    return;
  }
  solo_period_ns_ = (end - last_stall_ns_ < kSoloMaxNs) ? std::min(kSoloMaxNs, std::max(kSoloMinNs, 2 * solo_period_ns_))
                                                        : kSoloMinNs;
  last_stall_ns_ = end;
  solo_until_ns_ = end + solo_period_ns_;
}

bool ThreadPool::stay_solo(int64_t now) {
  if (now < solo_until_ns_) return true;
  if (count_state_ == CountState::kTrusted && system_says_busy()) {
    if (now - solo_since_ns_ < kSoloMaxNs) {
      solo_until_ns_ = now + kRecheckNs;
      return true;
    }
    // Try anyway now and then: the count may be a whole host's.
    try_against_count_ns_ = now;
    dispatches_against_count_ = 0;
  }
  last_try_ns_ = now;
  return false;
}

bool ThreadPool::system_says_busy() {
  // With more threads than CPUs the workers never all have a CPU; the count cannot help.
  if (!probes_.runnable || n_threads_ > probes_.n_cpus || count_state_ == CountState::kRefuted) return false;
  const int ready = probes_.runnable();
  if (ready < 0) return false;
  // The caller is one of the ready threads; workers asleep are not, spinning ones are (so a
  // reading can only overstate the others).
  const bool busy = (ready - 1) + n_threads_ > probes_.n_cpus;
  if (!busy && count_state_ == CountState::kUnknown) count_state_ = CountState::kTrusted;
  return busy;
}

bool ThreadPool::running_solo() const { return solo_ && now_ns() < solo_until_ns_; }

void ThreadPool::worker(int ith) {
  if (!probes_.waited)
    std::atomic_ref<int>(schedstat_fds_[static_cast<size_t>(ith)]).store(open_own_schedstat(), std::memory_order_release);
  uint32_t seen = 0;
  for (;;) {
    for (int spin = 0; generation_.load(std::memory_order_acquire) == seen; ++spin) {
      if (spin < kSpinIterations) {
        HEARTH_PAUSE();
      } else {
        sleepers_.fetch_add(1);
        futex_wait(generation_, seen);
        sleepers_.fetch_sub(1);
      }
    }
    if (stop_.load()) return;
    seen = generation_.load(std::memory_order_acquire);
    std::shared_ptr<Job> job;
    {
      std::lock_guard lock(job_mutex_);
      job = job_;
    }
    if (job) work(*job, ith);
  }
}

int physical_core_count() {
  // Count distinct (package, core) pairs from sysfs; fall back to the logical count.
  std::set<std::string> cores;
  const unsigned logical = std::thread::hardware_concurrency();
  for (unsigned cpu = 0; cpu < logical; ++cpu) {
    const std::string base = "/sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/topology/";
    std::ifstream pkg(base + "physical_package_id"), core(base + "core_id");
    std::string p, c;
    if (!(pkg >> p) || !(core >> c)) return logical ? static_cast<int>(logical) : 1;
    cores.insert(p + ":" + c);
  }
  return cores.empty() ? 1 : static_cast<int>(cores.size());
}

int usable_cpu_count() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) != 0) return std::max(1u, std::thread::hardware_concurrency());
  return std::max(1, CPU_COUNT(&set));
}

int system_runnable_count() {
  // "0.53 1.29 1.64 2/84 9230": the fourth field is running-or-ready threads / all threads. The
  // file stays open; each read from offset 0 is a fresh snapshot.
  static const int fd = ::open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char buf[128];
  const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return -1;
  buf[n] = '\0';
  const char* slash = std::strchr(buf, '/');
  if (!slash) return -1;
  const char* digits = slash;
  while (digits > buf && digits[-1] >= '0' && digits[-1] <= '9') --digits;
  if (digits == slash) return -1;
  return std::atoi(digits);
}

}  // namespace hearth::engine
