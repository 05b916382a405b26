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

// One repetition on `c`: a prompt of `prompt` from an empty context, then n_gen tokens one at a
// time from an empty context; tokens per second of each appended to the row.
Result<void, std::string> one_rep(engine::Context& c, const std::vector<int32_t>& prompt, int n_gen, BenchRow& row) {
  using clock = std::chrono::steady_clock;
  c.clear();
  auto t0 = clock::now();
  if (auto r = c.eval(prompt); !r) return Fail<std::string>(r.error().message);
  auto t1 = clock::now();
  row.prefill_tps.push_back(static_cast<double>(prompt.size()) / std::chrono::duration<double>(t1 - t0).count());
  c.clear();
  int32_t next = prompt[0];
  t0 = clock::now();
  for (int i = 0; i < n_gen; ++i) {
    auto r = c.eval(std::span<const int32_t>(&next, 1));
    if (!r) return Fail<std::string>(r.error().message);
    next = static_cast<int32_t>(std::max_element(r->begin(), r->end()) - r->begin());
  }
  t1 = clock::now();
  row.decode_tps.push_back(n_gen / std::chrono::duration<double>(t1 - t0).count());
  return {};
}

// One untimed pass brings the weights into memory and the pool's threads up.
Result<void, std::string> warm_up(engine::Context& c, const std::vector<int32_t>& prompt) {
  c.clear();
  if (auto r = c.eval(std::span<const int32_t>(prompt.data(), std::min<size_t>(prompt.size(), 8))); !r)
    return Fail<std::string>(r.error().message);
  return {};
}

// Untimed prompt passes for 100 ms.
Result<void, std::string> settle(engine::Context& c, const std::vector<int32_t>& prompt) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
  while (std::chrono::steady_clock::now() < until) {
    c.clear();
    if (auto r = c.eval(prompt); !r) return Fail<std::string>(r.error().message);
  }
  return {};
}

void finish(BenchRow& row) {
  row.prefill_median = median(row.prefill_tps);
  row.decode_median = median(row.decode_tps);
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

  BenchRow quiet;
  quiet.threads = c.n_threads();
  if (auto r = warm_up(c, prompt); !r) return Fail<std::string>(r.error());
  for (int rep = 0; rep < o.reps; ++rep)
    if (auto r = one_rep(c, prompt, o.n_gen, quiet); !r) return Fail<std::string>(r.error());
  finish(quiet);
  result.rows.push_back(quiet);

  if (o.contend) {
    // Each contended repetition is followed by one on a single thread with the machine quiet,
    // so that the ratio of the two does not depend on how busy a shared host was that minute.
    std::unique_ptr<engine::Context> single;
    if (c.n_threads() > 1) {
      engine::ContextOptions one = copts;
      one.n_threads = 1;
      auto s = engine::Context::create(model, one);
      if (!s) return Fail<std::string>(s.error().message);
      single = std::move(*s);
      if (auto r = warm_up(*single, prompt); !r) return Fail<std::string>(r.error());
    }
    BenchRow busy_row, single_row;
    busy_row.threads = c.n_threads();
    busy_row.contended = true;
    single_row.threads = 1;
    single_row.beside_contended = true;
    for (int rep = 0; rep < o.reps; ++rep) {
      const pid_t busy = start_busy_process();
      // The scenario is a hub whose other work keeps running: the first tenth of a second beside
      // it (where the pool meets the contention and turns to the caller alone) is not timed.
      Result<void, std::string> r = settle(c, prompt);
      if (r) r = one_rep(c, prompt, o.n_gen, busy_row);
      if (busy > 0) {
        ::kill(busy, SIGKILL);
        ::waitpid(busy, nullptr, 0);
      }
      if (!r) return Fail<std::string>(r.error());
      if (single)
        if (auto q = one_rep(*single, prompt, o.n_gen, single_row); !q) return Fail<std::string>(q.error());
    }
    finish(busy_row);
    result.rows.push_back(busy_row);
    if (single) {
      finish(single_row);
      result.rows.push_back(single_row);
    }
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
    std::snprintf(line, sizeof line, "%-8d %-10s %14.1f %14.1f%s\n", row.threads, row.contended ? "yes" : "no",
                  row.prefill_median, row.decode_median,
                  row.beside_contended ? "   (between the contended runs)" : "");
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
    rows.push_back({{"threads", row.threads}, {"contended", row.contended}, {"beside_contended", row.beside_contended},
                    {"prefill_tokens_per_s", row.prefill_median}, {"decode_tokens_per_s", row.decode_median},
                    {"prefill_runs", row.prefill_tps}, {"decode_runs", row.decode_tps}});
  }
  nlohmann::json j = {{"model", model_path}, {"type", r.dominant_type}, {"weight_bytes", r.weight_bytes},
                      {"kv_bytes", r.kv_bytes}, {"peak_rss_bytes", r.peak_rss_bytes}, {"n_prompt", r.n_prompt},
                      {"n_gen", r.n_gen}, {"results", rows}};
  return j.dump();
}

}  // namespace hearth::app
