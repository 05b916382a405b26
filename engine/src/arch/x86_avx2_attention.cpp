// AVX2 versions of the forward pass's vector operations (VectorOps; scalar ones in
// attention.cpp): one query's attention over the F16 KV cache, and the SwiGLU gate.
//
// Attention is a small share of the arithmetic but was a large share of prompt time when done
// with one dot-product call per key and one axpy call per value: each call reloaded and stored
// the output and summed its vector horizontally. Here scores are computed four keys at a time
// with one combined horizontal sum, the softmax runs eight scores at a time, and the weighted sum
// of values keeps up to 64 outputs in registers for the whole pass over the keys.
#include <immintrin.h>

#include <algorithm>
#include <cmath>

#include "../fp16.h"
#include "../kernels.h"
#include "x86_avx2.h"
#include "x86_avx2_math.h"

namespace hearth::engine::avx2 {

namespace {

inline __m256 load_f16(const uint8_t* p) { return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))); }

inline float hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

// scores[p] = scale * q.k_p for p < n_keys; returns the largest.
float scores_f16(const float* q, const uint8_t* k, size_t rb, size_t n_keys, size_t hd, float scale, float* scores) {
  __m128 vmax = _mm_set1_ps(-INFINITY);
  const __m128 vscale = _mm_set1_ps(scale);
  size_t p = 0;
  for (; p + 4 <= n_keys; p += 4) {
    const uint8_t* k0 = k + p * rb;
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    for (size_t i = 0; i < hd; i += 8) {
      const __m256 qv = _mm256_loadu_ps(q + i);
      a0 = _mm256_fmadd_ps(load_f16(k0 + 2 * i), qv, a0);
      a1 = _mm256_fmadd_ps(load_f16(k0 + rb + 2 * i), qv, a1);
      a2 = _mm256_fmadd_ps(load_f16(k0 + 2 * rb + 2 * i), qv, a2);
      a3 = _mm256_fmadd_ps(load_f16(k0 + 3 * rb + 2 * i), qv, a3);
    }
    const __m256 h = _mm256_hadd_ps(_mm256_hadd_ps(a0, a1), _mm256_hadd_ps(a2, a3));
    const __m128 s = _mm_mul_ps(_mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1)), vscale);
    _mm_storeu_ps(scores + p, s);
    vmax = _mm_max_ps(vmax, s);
  }
  vmax = _mm_max_ps(vmax, _mm_movehl_ps(vmax, vmax));
  vmax = _mm_max_ss(vmax, _mm_movehdup_ps(vmax));
  float max = _mm_cvtss_f32(vmax);
  for (; p < n_keys; ++p) {
    __m256 a = _mm256_setzero_ps();
    for (size_t i = 0; i < hd; i += 8) a = _mm256_fmadd_ps(load_f16(k + p * rb + 2 * i), _mm256_loadu_ps(q + i), a);
    scores[p] = hsum(a) * scale;
    max = std::max(max, scores[p]);
  }
  return max;
}

// out[0, 8 * kVecs) = sum over p of w[p] * v_p[0, 8 * kVecs), the outputs in registers.
template <int kVecs>
void weighted_values(const float* w, const uint8_t* v, size_t rb, size_t n_keys, float* out) {
  __m256 acc[kVecs];
  for (auto& a : acc) a = _mm256_setzero_ps();
  for (size_t p = 0; p < n_keys; ++p) {
    const __m256 a = _mm256_broadcast_ss(w + p);
    const uint8_t* row = v + p * rb;
    for (int j = 0; j < kVecs; ++j) acc[j] = _mm256_fmadd_ps(load_f16(row + 16 * j), a, acc[j]);
  }
  for (int j = 0; j < kVecs; ++j) _mm256_storeu_ps(out + 8 * j, acc[j]);
}

}  // namespace

void attend_f16(const float* q, const uint8_t* k, const uint8_t* v, size_t rb, size_t n_keys, size_t hd, float scale,
                float* scores, float* out) {
  if (hd % 8 != 0) return engine::attend_f16(q, k, v, rb, n_keys, hd, scale, scores, out);
  const float max = scores_f16(q, k, rb, n_keys, hd, scale, scores);
  // Softmax; eight at a time, then the tail.
  const __m256 vmax = _mm256_set1_ps(max);
  __m256 vsum = _mm256_setzero_ps();
  size_t p = 0;
  for (; p + 8 <= n_keys; p += 8) {
    const __m256 e = exp256(_mm256_sub_ps(_mm256_loadu_ps(scores + p), vmax));
    _mm256_storeu_ps(scores + p, e);
    vsum = _mm256_add_ps(vsum, e);
  }
  float sum = hsum(vsum);
  if (p < n_keys) {
    // The tail through the same exp, so a score's weight does not depend on its position.
    float tail[8] = {};
    std::copy(scores + p, scores + n_keys, tail);
    _mm256_storeu_ps(tail, exp256(_mm256_sub_ps(_mm256_loadu_ps(tail), vmax)));
    for (size_t i = 0; p + i < n_keys; ++i) {
      scores[p + i] = tail[i];
      sum += tail[i];
    }
  }
  // The weights in F16 precision, as the scalar version and the reference take them.
  const __m256 inv = _mm256_set1_ps(1.0f / sum);
  for (p = 0; p + 8 <= n_keys; p += 8) {
    const __m256 w = _mm256_mul_ps(_mm256_loadu_ps(scores + p), inv);
    _mm256_storeu_ps(scores + p, _mm256_cvtph_ps(_mm256_cvtps_ph(w, _MM_FROUND_TO_NEAREST_INT)));
  }
  for (; p < n_keys; ++p)
    scores[p] = _cvtsh_ss(_cvtss_sh(scores[p] * _mm256_cvtss_f32(inv), _MM_FROUND_TO_NEAREST_INT));
  for (size_t c = 0; c < hd; c += 64) {
    const uint8_t* vc = v + 2 * c;
    switch (std::min<size_t>(8, (hd - c) / 8)) {
      case 1: weighted_values<1>(scores, vc, rb, n_keys, out + c); break;
      case 2: weighted_values<2>(scores, vc, rb, n_keys, out + c); break;
      case 3: weighted_values<3>(scores, vc, rb, n_keys, out + c); break;
      case 4: weighted_values<4>(scores, vc, rb, n_keys, out + c); break;
      case 5: weighted_values<5>(scores, vc, rb, n_keys, out + c); break;
      case 6: weighted_values<6>(scores, vc, rb, n_keys, out + c); break;
      case 7: weighted_values<7>(scores, vc, rb, n_keys, out + c); break;
      default: weighted_values<8>(scores, vc, rb, n_keys, out + c); break;
    }
  }
}

void silu_mul(float* gate, const float* up, size_t n) {
  const __m256 one = _mm256_set1_ps(1.0f);
  size_t i = 0;
  const auto silu = [&](__m256 g, __m256 u) {
    return _mm256_mul_ps(_mm256_div_ps(g, _mm256_add_ps(one, exp256(_mm256_sub_ps(_mm256_setzero_ps(), g)))), u);
  };
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(gate + i, silu(_mm256_loadu_ps(gate + i), _mm256_loadu_ps(up + i)));
  if (i < n) {
    // The tail through the same exp, so a value does not depend on its position in the batch.
    float g[8] = {}, u[8] = {};
    std::copy(gate + i, gate + n, g);
    std::copy(up + i, up + n, u);
    _mm256_storeu_ps(g, silu(_mm256_loadu_ps(g), _mm256_loadu_ps(u)));
    std::copy(g, g + (n - i), gate + i);
  }
}

// F16C rounds to nearest even like fp32_to_fp16, subnormals included.
void to_f16(const float* x, uint16_t* out, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), _mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT));
  for (; i < n; ++i) out[i] = fp32_to_fp16(x[i]);
}

}  // namespace hearth::engine::avx2
