#include "matmul.h"

#include <algorithm>

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
    VecDot4Fn dot4;
    uint64_t first_row;  // index of this task's first row in the concatenation
  };
  std::vector<Prepared> prepared;
  prepared.reserve(tasks.size());
  uint64_t total_rows = 0;
  for (const MatmulTask& t : tasks) {
    const TypeKernels& k = kernels_for(t.w->type);
    Prepared p{&t, nullptr, 0, k.vec_dot, k.vec_dot4, total_rows};
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
  // Work items are groups of four consecutive rows of the concatenated matrices.
  const uint64_t groups = (total_rows + 3) / 4;
  const size_t grain = std::max<size_t>(1, groups / (static_cast<size_t>(pool_.size()) * 8));
  pool_.parallel_for(groups, grain, [&](size_t gbegin, size_t gend, int) {
    const uint64_t begin = gbegin * 4, end = std::min<uint64_t>(total_rows, gend * 4);
    size_t ti = 0;
    for (uint64_t g = begin; g < end;) {
      while (g >= prepared[ti].first_row + prepared[ti].task->w->rows) ++ti;
      const Prepared& p = prepared[ti];
      const Weight& w = *p.task->w;
      const uint64_t r = g - p.first_row;
      const uint8_t* row = w.row(r);
      float* y = p.task->y;
      const size_t ys = p.task->y_stride;
      if (p.dot4 && r + 4 <= w.rows && g + 4 <= end) {
        float out[4];
        for (size_t t = 0; t < n_tokens; ++t) {
          p.dot4(row, w.row_bytes, p.x + t * p.x_row_bytes, w.cols, out);
          for (int i = 0; i < 4; ++i) y[t * ys + r + i] = out[i];
        }
        g += 4;
      } else {
        for (size_t t = 0; t < n_tokens; ++t) y[t * ys + r] = p.dot(row, p.x + t * p.x_row_bytes, w.cols);
        g += 1;
      }
    }
  });
}

}  // namespace hearth::engine
