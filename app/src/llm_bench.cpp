#include "llm_bench.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>

#include "hearth/engine/context.h"

namespace hearth::app {

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n == 0 ? 0.0 : (n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]));
}

// A child process that spins on one CPU until killed: the "other work" of a busy hub.
pid_t start_busy_process() {
  pid_t pid = ::fork();
  if (pid == 0) {
    volatile uint64_t x = 0;
    for (;;) x = x + 1;
  }
  return pid;
}

uint64_t peak_rss_bytes() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  return static_cast<uint64_t>(ru.ru_maxrss) * 1024;
}

}  // namespace

Result<BenchResult, std::string> run_llm_bench(std::shared_ptr<const engine::Model> model, const BenchOptions& o) {
  BenchResult result;
  result.n_prompt = o.n_prompt;
  result.n_gen = o.n_gen;
  result.dominant_type = model->dominant_type();
  result.weight_bytes = model->weight_bytes();
  engine::ContextOptions copts;
  copts.n_threads = o.threads;
  copts.n_ctx = static_cast<uint32_t>(std::max(o.n_prompt, o.n_gen) + 1);
  copts.n_batch = static_cast<uint32_t>(std::min(o.n_prompt, 512));
  auto ctx = engine::Context::create(model, copts);
  if (!ctx) return Fail<std::string>(ctx.error().message);
  engine::Context& c = **ctx;
  result.kv_bytes = c.kv_bytes();

  std::mt19937 rng(42);
  std::uniform_int_distribution<int32_t> token(0, static_cast<int32_t>(model->hparams().n_vocab) - 1);
  std::vector<int32_t> prompt(static_cast<size_t>(o.n_prompt));
  for (auto& t : prompt) t = token(rng);

  auto measure = [&](bool contended) -> Result<BenchRow, std::string> {
    BenchRow row;
    row.threads = c.n_threads();
    row.contended = contended;
    pid_t busy = contended ? start_busy_process() : -1;
    using clock = std::chrono::steady_clock;
    // One untimed warm-up pass brings the weights into memory.
    c.clear();
    if (auto r = c.eval(std::span<const int32_t>(prompt.data(), std::min<size_t>(prompt.size(), 8))); !r)
      return Fail<std::string>(r.error().message);
    for (int rep = 0; rep < o.reps; ++rep) {
      c.clear();
      auto t0 = clock::now();
      if (auto r = c.eval(prompt); !r) return Fail<std::string>(r.error().message);
      auto t1 = clock::now();
      row.prefill_tps.push_back(o.n_prompt / std::chrono::duration<double>(t1 - t0).count());
      c.clear();
      int32_t next = prompt[0];
      t0 = clock::now();
      for (int i = 0; i < o.n_gen; ++i) {
        auto r = c.eval(std::span<const int32_t>(&next, 1));
        if (!r) return Fail<std::string>(r.error().message);
        next = static_cast<int32_t>(std::max_element(r->begin(), r->end()) - r->begin());
      }
      t1 = clock::now();
      row.decode_tps.push_back(o.n_gen / std::chrono::duration<double>(t1 - t0).count());
    }
    if (busy > 0) {
      ::kill(busy, SIGKILL);
      ::waitpid(busy, nullptr, 0);
    }
    row.prefill_median = median(row.prefill_tps);
    row.decode_median = median(row.decode_tps);
    return row;
  };
  auto quiet = measure(false);
  if (!quiet) return Fail<std::string>(quiet.error());
  result.rows.push_back(quiet.value());
  if (o.contend) {
    auto busy = measure(true);
    if (!busy) return Fail<std::string>(busy.error());
    result.rows.push_back(busy.value());
  }
  result.peak_rss_bytes = peak_rss_bytes();
  return result;
}

std::string bench_to_text(const std::string& model_path, const BenchResult& r) {
  std::string out = model_path + " (" + r.dominant_type + ", weights " +
                    std::to_string(r.weight_bytes / (1024 * 1024)) + " MiB)\n";
  char line[256];
  const std::string pp = "pp" + std::to_string(r.n_prompt) + " tok/s", tg = "tg" + std::to_string(r.n_gen) + " tok/s";
  std::snprintf(line, sizeof line, "%-8s %-10s %14s %14s\n", "threads", "contended", pp.c_str(), tg.c_str());
  out += line;
  for (const auto& row : r.rows) {
    std::snprintf(line, sizeof line, "%-8d %-10s %14.1f %14.1f\n", row.threads, row.contended ? "yes" : "no",
                  row.prefill_median, row.decode_median);
    out += line;
  }
  std::snprintf(line, sizeof line, "peak RSS %.1f MiB (KV cache %.1f MiB); medians of %zu runs",
                r.peak_rss_bytes / 1048576.0, r.kv_bytes / 1048576.0, r.rows.empty() ? 0 : r.rows[0].decode_tps.size());
  out += line;
  return out;
}

std::string bench_to_json(const std::string& model_path, const BenchResult& r) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : r.rows) {
    rows.push_back({{"threads", row.threads}, {"contended", row.contended},
                    {"prefill_tokens_per_s", row.prefill_median}, {"decode_tokens_per_s", row.decode_median},
                    {"prefill_runs", row.prefill_tps}, {"decode_runs", row.decode_tps}});
  }
  nlohmann::json j = {{"model", model_path}, {"type", r.dominant_type}, {"weight_bytes", r.weight_bytes},
                      {"kv_bytes", r.kv_bytes}, {"peak_rss_bytes", r.peak_rss_bytes}, {"n_prompt", r.n_prompt},
                      {"n_gen", r.n_gen}, {"results", rows}};
  return j.dump();
}

}  // namespace hearth::app
