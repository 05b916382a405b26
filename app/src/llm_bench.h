// `hearth llm bench`: prefill and decode speed of a model, as llama-bench measures them.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "hearth/engine/model.h"
#include "hearth/result.h"

namespace hearth::app {

struct BenchOptions {
  int n_prompt = 64;   // pp: tokens evaluated together from an empty context
  int n_gen = 64;      // tg: tokens evaluated one at a time from an empty context
  int reps = 5;
  int threads = 0;     // 0: physical cores
  // Also with a CPU-bound process beside it, each such repetition followed by one on a single
  // thread with the machine quiet (the baseline the contended figure is compared with).
  bool contend = false;
};

struct BenchRow {
  int threads = 0;
  bool contended = false;  // a CPU-bound process ran beside it
  bool beside_contended = false;  // quiet, one repetition after each contended one (the baseline)
  std::vector<double> prefill_tps, decode_tps;  // one per repetition
  double prefill_median = 0.0, decode_median = 0.0;
};

struct BenchResult {
  std::vector<BenchRow> rows;
  std::string dominant_type;
  uint64_t weight_bytes = 0;
  uint64_t kv_bytes = 0;
  uint64_t peak_rss_bytes = 0;
  int n_prompt = 0, n_gen = 0;
};

Result<BenchResult, std::string> run_llm_bench(std::shared_ptr<const engine::Model> model, const BenchOptions& options);
std::string bench_to_text(const std::string& model_path, const BenchResult& r);
std::string bench_to_json(const std::string& model_path, const BenchResult& r);

}  // namespace hearth::app
