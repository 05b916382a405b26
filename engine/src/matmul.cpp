#include "matmul.h"

#include "kernels.h"

namespace hearth::engine {

const Matmul::Converted& Matmul::convert(const float* x, size_t cols, TensorType type, size_t n_tokens) {
  for (size_t i = 0; i < used_; ++i)
    if (converted_[i].x == x && converted_[i].type == type) return converted_[i];
  if (used_ == converted_.size()) converted_.emplace_back();
  Converted& c = converted_[used_++];
  c.x = x;
  c.type = type;
  c.row_bytes = row_bytes(tensor_type_info(type), cols);
  c.data.resize(c.row_bytes * n_tokens);
  const auto quantize = kernels_for(type).quantize;
  for (size_t t = 0; t < n_tokens; ++t) quantize(x + t * cols, c.data.data() + t * c.row_bytes, cols);
  return c;
}

void Matmul::run(std::span<const MatmulTask> tasks, size_t n_tokens) {
  used_ = 0;
  struct Prepared {
    const MatmulTask* task;
    const uint8_t* x;
    size_t x_row_bytes;
    VecDotFn dot;
    uint64_t first_row;  // index of this task's first row in the concatenation
  };
  std::vector<Prepared> prepared;
  prepared.reserve(tasks.size());
  uint64_t total_rows = 0;
  for (const MatmulTask& t : tasks) {
    const TypeKernels& k = kernels_for(t.w->type);
    Prepared p{&t, nullptr, 0, k.vec_dot, total_rows};
    if (k.vec_dot_type == TensorType::kF32) {
      p.x = reinterpret_cast<const uint8_t*>(t.x);
      p.x_row_bytes = t.w->cols * sizeof(float);
    } else {
      const Converted& c = convert(t.x, t.w->cols, k.vec_dot_type, n_tokens);
      p.x = c.data.data();
      p.x_row_bytes = c.row_bytes;
    }
    prepared.push_back(p);
    total_rows += t.w->rows;
  }
  pool_.run([&](int ith, int nth) {
    const uint64_t begin = total_rows * ith / nth, end = total_rows * (ith + 1) / nth;
    size_t ti = 0;
    for (uint64_t g = begin; g < end; ++g) {
      while (g >= prepared[ti].first_row + prepared[ti].task->w->rows) ++ti;
      const Prepared& p = prepared[ti];
      const Weight& w = *p.task->w;
      const uint64_t r = g - p.first_row;
      const uint8_t* row = w.row(r);
      for (size_t t = 0; t < n_tokens; ++t)
        p.task->y[t * p.task->y_stride + r] = p.dot(row, p.x + t * p.x_row_bytes, w.cols);
    }
  });
}

}  // namespace hearth::engine
