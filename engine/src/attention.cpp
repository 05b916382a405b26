// The scalar reference versions of the vector operations of the forward pass (VectorOps): one
// query's attention over the F16 KV cache, and the SwiGLU gate; and attention over a Q8_0 KV
// cache (the option that halves its memory), which has no SIMD version of its own. SIMD versions (arch/) replace
// them at start-up and must agree within the forward tests' tolerance.
#include <algorithm>
#include <cmath>

#include "fp16.h"
#include "kernels.h"
#include "quant_blocks.h"

namespace hearth::engine {

namespace {

// scores[p] = exp(scores[p] - max) / sum, in place; max is the largest score.
void softmax(float* scores, size_t n, float max) {
  float sum = 0.0f;
  for (size_t p = 0; p < n; ++p) {
    scores[p] = std::exp(scores[p] - max);
    sum += scores[p];
  }
  const float inv_sum = 1.0f / sum;
  for (size_t p = 0; p < n; ++p) scores[p] *= inv_sum;
}

}  // namespace

void attend_f16(const float* q, const uint8_t* k, const uint8_t* v, size_t row_bytes, size_t n_keys, size_t hd,
                float scale, float* scores, float* out) {
  float max = -INFINITY;
  for (size_t p = 0; p < n_keys; ++p) {
    scores[p] = vec_dot_f16_f32(k + p * row_bytes, q, hd) * scale;
    max = std::max(max, scores[p]);
  }
  softmax(scores, n_keys, max);
  std::fill(out, out + hd, 0.0f);
  for (size_t p = 0; p < n_keys; ++p) {
    // The weight in F16, as a product with F16 values takes it (and as the reference does).
    const float a = fp16_to_fp32(fp32_to_fp16(scores[p]));
    axpy_f16(out, a, reinterpret_cast<const uint16_t*>(v + p * row_bytes), hd);
  }
}

void attend_q8_0(const void* q, const uint8_t* k, const uint8_t* v, size_t row_bytes, size_t n_keys, size_t hd,
                 float scale, float* scores, float* out) {
  const auto dot = kernels_for(TensorType::kQ8_0).vec_dot;
  float max = -INFINITY;
  for (size_t p = 0; p < n_keys; ++p) {
    scores[p] = dot(k + p * row_bytes, q, hd) * scale;
    max = std::max(max, scores[p]);
  }
  softmax(scores, n_keys, max);
  std::fill(out, out + hd, 0.0f);
  for (size_t p = 0; p < n_keys; ++p) {
    const BlockQ8_0* vb = reinterpret_cast<const BlockQ8_0*>(v + p * row_bytes);
    for (size_t b = 0; b < hd / kQK8_0; ++b) {
      const float ad = scores[p] * fp16_to_fp32(vb[b].d);
      for (int i = 0; i < kQK8_0; ++i) out[b * kQK8_0 + i] += ad * vb[b].qs[i];
    }
  }
}

void silu_mul(float* gate, const float* up, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const float g = gate[i];
    gate[i] = g / (1.0f + std::exp(-g)) * up[i];
  }
}

void to_f16(const float* x, uint16_t* out, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = fp32_to_fp16(x[i]);
}

}  // namespace hearth::engine
