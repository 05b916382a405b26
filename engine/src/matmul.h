// Weight x activation products over the thread pool (private to the engine).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "hearth/engine/model.h"
#include "thread_pool.h"

namespace hearth::engine {

// y[t * y_stride + r] = dot(w.row(r), x[t * w.cols ...]) for every row r and token t < n_tokens.
struct MatmulTask {
  const Weight* w;
  const float* x;      // (n_tokens, w->cols), row-major
  float* y;
  size_t y_stride;     // floats between tokens' outputs
};

class Matmul {
 public:
  explicit Matmul(ThreadPool& pool) : pool_(pool) {}
  // Runs all tasks in one dispatch of the pool; activations shared by several tasks are
  // converted once per activation format.
  void run(std::span<const MatmulTask> tasks, size_t n_tokens);

 private:
  struct Converted {
    const float* x;
    TensorType type;
    size_t row_bytes;
    std::vector<uint8_t> data;
    std::vector<int32_t> sums;  // Q8_0 only: block sums of every token (GemmFn act_sums)
  };
  const Converted& convert(const float* x, size_t cols, TensorType type, size_t n_tokens);

  ThreadPool& pool_;
  std::vector<Converted> converted_;
  size_t used_ = 0;
};

}  // namespace hearth::engine
