// Memory read bandwidth of this machine: the physical bound on decode speed (each generated token
// reads every weight once). Prints medians of 5 passes over 512 MiB, per thread count, as JSON:
// on 2 MiB pages (how the engine keeps weights) and on 4 KiB pages.
//   build/benchmarks/bench_membw
#include <sys/mman.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

namespace {

// Sums 64-bit words; the compiler vectorises it, and the sum keeps it from being optimised away.
uint64_t read_all(const uint64_t* p, size_t n) {
  uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (size_t i = 0; i + 4 <= n; i += 4) {
    s0 += p[i];
    s1 += p[i + 1];
    s2 += p[i + 2];
    s3 += p[i + 3];
  }
  return s0 + s1 + s2 + s3;
}

// 64-bit words in an anonymous mapping, asked for on huge pages (madvise) or left on 4 KiB ones.
struct Buffer {
  uint64_t* words = nullptr;
  size_t n = 0;
  Buffer(size_t bytes, bool huge_pages) {
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return;
#ifdef MADV_HUGEPAGE
    ::madvise(p, bytes, huge_pages ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
#endif
    words = static_cast<uint64_t*>(p);
    n = bytes / sizeof(uint64_t);
    for (size_t i = 0; i < n; ++i) words[i] = i;
  }
  ~Buffer() {
    if (words) ::munmap(words, n * sizeof(uint64_t));
  }
  size_t size() const { return n; }
  const uint64_t* data() const { return words; }
};

double measure(const Buffer& buf, int threads) {
  std::vector<double> runs;
  for (int rep = 0; rep < 5; ++rep) {
    std::vector<std::thread> pool;
    std::vector<uint64_t> sums(threads);
    const size_t part = buf.size() / threads;
    auto t0 = std::chrono::steady_clock::now();
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&, t] { sums[t] = read_all(buf.data() + t * part, part); });
    for (auto& th : pool) th.join();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (sums[0] == 42) std::puts("");  // use the result
    runs.push_back(static_cast<double>(buf.size() * sizeof(uint64_t)) / s / 1e9);
  }
  std::sort(runs.begin(), runs.end());
  return runs[runs.size() / 2];
}

}  // namespace

int main() {
  // The weights a model decodes from are on 2 MiB pages where the system gives them
  // (engine/src/weight_memory.h), so that is the bound; 4 KiB pages are measured too, for the
  // difference.
  const size_t bytes = size_t{512} << 20;
  Buffer huge(bytes, true), small(bytes, false);
  if (!huge.words || !small.words) {
    std::fputs("bench_membw: cannot map 512 MiB\n", stderr);
    return 1;
  }
  const double one = measure(huge, 1), two = measure(huge, 2);
  const double one_small = measure(small, 1), two_small = measure(small, 2);
  std::printf("{\"read_gb_per_s_1_thread\": %.2f, \"read_gb_per_s_2_threads\": %.2f, "
              "\"small_pages_read_gb_per_s_1_thread\": %.2f, \"small_pages_read_gb_per_s_2_threads\": %.2f}\n",
              one, two, one_small, two_small);
  return 0;
}
