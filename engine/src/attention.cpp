// The scalar reference versions of the vector operations of the forward pass (VectorOps): one
// query's attention over the F16 KV cache, and the SwiGLU gate. SIMD versions (arch/) replace
// them at start-up and must agree within the forward tests' tolerance.
#include <algorithm>
#include <cmath>

#include "fp16.h"
#include "kernels.h"

namespace hearth::engine {

void attend_f16(const float* q, const uint8_t* k, const uint8_t* v, size_t row_bytes, size_t n_keys, size_t hd,
                float scale, float* scores, float* out) {
  float max = -INFINITY;
  for (size_t p = 0; p < n_keys; ++p) {
    scores[p] = vec_dot_f16_f32(k + p * row_bytes, q, hd) * scale;
    max = std::max(max, scores[p]);
  }
  float sum = 0.0f;
  for (size_t p = 0; p < n_keys; ++p) {
    scores[p] = std::exp(scores[p] - max);
    sum += scores[p];
  }
  const float inv_sum = 1.0f / sum;
  std::fill(out, out + hd, 0.0f);
  for (size_t p = 0; p < n_keys; ++p) {
    // The weight in F16, as a product with F16 values takes it (and as the reference does).
    const float a = fp16_to_fp32(fp32_to_fp16(scores[p] * inv_sum));
    axpy_f16(out, a, reinterpret_cast<const uint16_t*>(v + p * row_bytes), hd);
  }
}

void silu_mul(float* gate, const float* up, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const float g = gate[i];
    gate[i] = g / (1.0f + std::exp(-g)) * up[i];
  }
}

}  // namespace hearth::engine
