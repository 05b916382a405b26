// Memory read bandwidth of this machine: the physical bound on decode speed (each generated token
// reads every weight once). Prints medians of 5 passes over 512 MiB, per thread count, as JSON.
//   build/benchmarks/bench_membw
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

double measure(const std::vector<uint64_t>& buf, int threads) {
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
  std::vector<uint64_t> buf((512ull << 20) / sizeof(uint64_t));
  for (size_t i = 0; i < buf.size(); ++i) buf[i] = i;
  const double one = measure(buf, 1), two = measure(buf, 2);
  std::printf("{\"read_gb_per_s_1_thread\": %.2f, \"read_gb_per_s_2_threads\": %.2f}\n", one, two);
  return 0;
}
