#include "matmul.h"

#include <algorithm>

#include "kernels.h"
#include "quant_blocks.h"

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
  const bool sums = type == TensorType::kQ8_0;
  const size_t nb = cols / kQK8_0;
  c.sums.assign(sums ? nb * n_tokens : 0, 0);
  // Token by token over the pool: each token's row is its own.
  auto one = [&](size_t t) {
    quantize(x + t * cols, c.data.data() + t * c.row_bytes, cols);
    if (sums) q8_0_block_sums(c.data.data() + t * c.row_bytes, cols, c.sums.data() + t * nb);
  };
  if (n_tokens == 1) {
    one(0);
  } else {
    pool_.parallel_for(n_tokens, 1, [&](size_t begin, size_t end, int) {
      for (size_t t = begin; t < end; ++t) one(t);
    });
  }
  return c;
}

void Matmul::run(std::span<const MatmulTask> tasks, size_t n_tokens) {
  used_ = 0;
  // Work items are blocks of kRows consecutive rows of one matrix, counted from its first row (so
  // interleaved matrices are cut between their groups of eight): small enough that a block's
  // weights stay in L1 while every token of the batch is multiplied with them. The matrices are
  // concatenated, each padded to whole blocks.
  constexpr uint64_t kRows = 16;
  struct Prepared {
    const MatmulTask* task;
    const uint8_t* x;
    size_t x_row_bytes;
    const int32_t* x_sums;
    VecDotFn dot;
    GemvFn gemv;
    GemmFn gemm;
    uint64_t first_row;  // index of this task's first row in the concatenation
    uint64_t end_row;    // first_row + rows, rounded up to whole work blocks
  };
  std::vector<Prepared> prepared;
  prepared.reserve(tasks.size());
  uint64_t total_rows = 0;
  for (const MatmulTask& t : tasks) {
    const TypeKernels& k = kernels_for(t.w->type);
    const GemmFn gemm = t.w->interleaved ? k.gemm_interleaved : k.gemm;
    const uint64_t end_row = total_rows + (t.w->rows + kRows - 1) / kRows * kRows;
    Prepared p{&t, nullptr, 0, nullptr, k.vec_dot, k.gemv, gemm, total_rows, end_row};
    if (k.vec_dot_type == TensorType::kF32) {
      p.x = reinterpret_cast<const uint8_t*>(t.x);
      p.x_row_bytes = t.w->cols * sizeof(float);
    } else {
      const Converted& c = convert(t.x, t.w->cols, k.vec_dot_type, n_tokens);
      p.x = c.data.data();
      p.x_row_bytes = c.row_bytes;
      p.x_sums = c.sums.empty() ? nullptr : c.sums.data();
    }
    prepared.push_back(p);
    total_rows = p.end_row;
  }
  const uint64_t blocks = (total_rows + kRows - 1) / kRows;
  pool_.parallel_for(blocks, 1, [&](size_t bbegin, size_t bend, int) {
    const uint64_t end = std::min<uint64_t>(total_rows, bend * kRows);
    float out[kRows];
    size_t ti = 0;
    for (uint64_t g = bbegin * kRows; g < end; g += kRows) {
      while (g >= prepared[ti].end_row) ++ti;
      const Prepared& p = prepared[ti];
      const Weight& w = *p.task->w;
      const uint64_t r = g - p.first_row;
      if (r >= w.rows) continue;  // padding
      const size_t n = static_cast<size_t>(std::min(w.rows - r, kRows));
      float* y = p.task->y;
      const size_t ys = p.task->y_stride;
      if (w.interleaved || (n_tokens > 1 && p.gemm)) {
        p.gemm(w.row(r), w.row_bytes, n, p.x, p.x_row_bytes, p.x_sums, n_tokens, w.cols, y + r, ys);
        continue;
      }
      for (size_t t = 0; t < n_tokens; ++t) {
        const uint8_t* x = p.x + t * p.x_row_bytes;
        float* dst = n_tokens == 1 ? y + r : out;
        if (p.gemv) {
          p.gemv(w.row(r), w.row_bytes, n, x, w.cols, dst);
        } else {
          for (size_t i = 0; i < n; ++i) {
            // Fetch the row after next while this one is computed: without it, types with no
            // gemv kernel wait on DRAM at every row.
            const uint8_t* ahead = w.row(std::min<uint64_t>(r + i + 2, w.rows - 1));
            for (size_t off = 0; off < w.row_bytes; off += 64) __builtin_prefetch(ahead + off);
            dst[i] = p.dot(w.row(r + i), x, w.cols);
          }
        }
        if (n_tokens != 1)
          for (size_t i = 0; i < n; ++i) y[t * ys + r + i] = out[i];
      }
    }
  });
}

}  // namespace hearth::engine
