// Q4_K, Q6_K and their activation format Q8_K: 256-element super-blocks with 6-bit / 8-bit
// sub-block scales. Dequantisation follows the file format exactly; the dot products take Q8_K
// activations as ggml's do.
//
// Quantisation: a direct method that produces valid blocks of the format (any GGUF runtime reads
// them), with a small search over each sub-block's scale; it is not llama.cpp's exact search, so
// files differ in detail from llama.cpp's quantizer output.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "fp16.h"
#include "kernels.h"
#include "quant_blocks.h"

namespace hearth::engine {

namespace {

// Scale and min of sub-block j (0..7) from the 12 packed bytes.
inline void scale_min_k4(int j, const uint8_t* q, uint8_t* d, uint8_t* m) {
  if (j < 4) {
    *d = q[j] & 63;
    *m = q[j + 4] & 63;
  } else {
    *d = static_cast<uint8_t>((q[j + 4] & 0x0f) | ((q[j - 4] >> 6) << 4));
    *m = static_cast<uint8_t>((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
  }
}

inline void pack_scale_min_k4(const uint8_t* sc, const uint8_t* mn, uint8_t* q) {
  std::memset(q, 0, kKScaleBytes);
  for (int j = 0; j < 4; ++j) {
    q[j] = sc[j];
    q[j + 4] = mn[j];
  }
  for (int j = 4; j < 8; ++j) {
    q[j + 4] = static_cast<uint8_t>((sc[j] & 0x0f) | ((mn[j] & 0x0f) << 4));
    q[j - 4] |= static_cast<uint8_t>((sc[j] >> 4) << 6);
    q[j] |= static_cast<uint8_t>((mn[j] >> 4) << 6);
  }
}

inline int nearest_int(float f) { return static_cast<int>(std::lrintf(f)); }

void dequantize_block_q4_k(const BlockQ4_K& b, float* y) {
  const float d = fp16_to_fp32(b.d);
  const float min = fp16_to_fp32(b.dmin);
  const uint8_t* q = b.qs;
  int is = 0;
  for (int j = 0; j < kQK_K; j += 64) {
    uint8_t sc, m;
    scale_min_k4(is, b.scales, &sc, &m);
    const float d1 = d * sc, m1 = min * m;
    scale_min_k4(is + 1, b.scales, &sc, &m);
    const float d2 = d * sc, m2 = min * m;
    for (int l = 0; l < 32; ++l) *y++ = d1 * (q[l] & 0x0f) - m1;
    for (int l = 0; l < 32; ++l) *y++ = d2 * (q[l] >> 4) - m2;
    q += 32;
    is += 2;
  }
}

void dequantize_block_q6_k(const BlockQ6_K& b, float* y) {
  const float d = fp16_to_fp32(b.d);
  const uint8_t* ql = b.ql;
  const uint8_t* qh = b.qh;
  const int8_t* sc = b.scales;
  for (int n = 0; n < kQK_K; n += 128) {
    for (int l = 0; l < 32; ++l) {
      const int is = l / 16;
      const int q1 = static_cast<int8_t>((ql[l] & 0x0f) | (((qh[l] >> 0) & 3) << 4)) - 32;
      const int q2 = static_cast<int8_t>((ql[l + 32] & 0x0f) | (((qh[l] >> 2) & 3) << 4)) - 32;
      const int q3 = static_cast<int8_t>((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
      const int q4 = static_cast<int8_t>((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
      y[l] = d * sc[is] * q1;
      y[l + 32] = d * sc[is + 2] * q2;
      y[l + 64] = d * sc[is + 4] * q3;
      y[l + 96] = d * sc[is + 6] * q4;
    }
    y += 128;
    ql += 64;
    qh += 32;
    sc += 8;
  }
}

// Best (scale, min) for x ~ scale * q - min with q in 0..nmax, by trying a few scales around the
// plain range and keeping the smallest squared error. Returns scale; *min_out >= 0.
float fit_scale_min(const float* x, int n, int nmax, float* min_out) {
  float lo = x[0], hi = x[0];
  for (int i = 1; i < n; ++i) {
    lo = std::min(lo, x[i]);
    hi = std::max(hi, x[i]);
  }
  lo = std::min(lo, 0.0f);  // the format subtracts a non-negative min
  if (hi <= lo) {
    *min_out = -lo;
    return 0.0f;
  }
  float best_scale = (hi - lo) / nmax, best_min = -lo, best_err = INFINITY;
  for (int step = -4; step <= 4; ++step) {
    const float scale = (hi - lo) / (nmax + 0.25f * step);
    if (scale <= 0) continue;
    // With q fixed, the least-squares min for this scale.
    float err = 0.0f, mean_shift = 0.0f;
    for (int i = 0; i < n; ++i) {
      const int q = std::clamp(nearest_int((x[i] - lo) / scale), 0, nmax);
      mean_shift += q * scale - x[i];
    }
    const float min = std::max(0.0f, mean_shift / n);
    for (int i = 0; i < n; ++i) {
      const int q = std::clamp(nearest_int((x[i] + min) / scale), 0, nmax);
      const float e = q * scale - min - x[i];
      err += e * e;
    }
    if (err < best_err) {
      best_err = err;
      best_scale = scale;
      best_min = min;
    }
  }
  *min_out = best_min;
  return best_scale;
}

}  // namespace

void quantize_row_q4_k(const float* x, void* dst, size_t n) {
  BlockQ4_K* y = static_cast<BlockQ4_K*>(dst);
  for (size_t b = 0; b < n / kQK_K; ++b, x += kQK_K) {
    float scales[8], mins[8];
    for (int j = 0; j < 8; ++j) scales[j] = fit_scale_min(x + 32 * j, 32, 15, &mins[j]);
    const float max_scale = *std::max_element(scales, scales + 8);
    const float max_min = *std::max_element(mins, mins + 8);
    const float d = max_scale > 0 ? max_scale / 63.0f : 0.0f;
    const float dmin = max_min > 0 ? max_min / 63.0f : 0.0f;
    uint8_t sc[8], mn[8];
    for (int j = 0; j < 8; ++j) {
      sc[j] = static_cast<uint8_t>(d > 0 ? std::min(63, nearest_int(scales[j] / d)) : 0);
      mn[j] = static_cast<uint8_t>(dmin > 0 ? std::min(63, nearest_int(mins[j] / dmin)) : 0);
    }
    y[b].d = fp32_to_fp16(d);
    y[b].dmin = fp32_to_fp16(dmin);
    pack_scale_min_k4(sc, mn, y[b].scales);
    // Quantise with the scales as stored (rounded), so dequantisation matches.
    const float df = fp16_to_fp32(y[b].d), mf = fp16_to_fp32(y[b].dmin);
    uint8_t q[kQK_K];
    for (int j = 0; j < 8; ++j) {
      const float s = df * sc[j], m = mf * mn[j];
      for (int i = 0; i < 32; ++i)
        q[32 * j + i] = static_cast<uint8_t>(s > 0 ? std::clamp(nearest_int((x[32 * j + i] + m) / s), 0, 15) : 0);
    }
    for (int c = 0; c < 4; ++c)
      for (int l = 0; l < 32; ++l) y[b].qs[32 * c + l] = static_cast<uint8_t>(q[64 * c + l] | (q[64 * c + 32 + l] << 4));
  }
}

void quantize_row_q6_k(const float* x, void* dst, size_t n) {
  BlockQ6_K* y = static_cast<BlockQ6_K*>(dst);
  for (size_t b = 0; b < n / kQK_K; ++b, x += kQK_K) {
    // Each 16-element sub-block: a signed scale so its largest value maps to -32 (as Q4_0 does).
    float scales[16];
    for (int j = 0; j < 16; ++j) {
      float amax = 0.0f, max = 0.0f;
      for (int i = 0; i < 16; ++i)
        if (std::fabs(x[16 * j + i]) > amax) {
          amax = std::fabs(x[16 * j + i]);
          max = x[16 * j + i];
        }
      scales[j] = max / -32.0f;
    }
    float amax_scale = 0.0f, max_scale = 0.0f;
    for (float s : scales)
      if (std::fabs(s) > amax_scale) {
        amax_scale = std::fabs(s);
        max_scale = s;
      }
    const float d = max_scale / -128.0f;
    y[b].d = fp32_to_fp16(d);
    const float df = fp16_to_fp32(y[b].d);
    uint8_t q[kQK_K];
    for (int j = 0; j < 16; ++j) {
      const int sc = d != 0 ? std::clamp(nearest_int(scales[j] / d), -128, 127) : 0;
      y[b].scales[j] = static_cast<int8_t>(sc);
      const float s = df * sc;
      for (int i = 0; i < 16; ++i)
        q[16 * j + i] = static_cast<uint8_t>(s != 0 ? std::clamp(nearest_int(x[16 * j + i] / s) + 32, 0, 63) : 32);
    }
    for (int h = 0; h < 2; ++h) {
      uint8_t* ql = y[b].ql + 64 * h;
      uint8_t* qh = y[b].qh + 32 * h;
      const uint8_t* qq = q + 128 * h;
      for (int l = 0; l < 32; ++l) {
        const uint8_t q1 = qq[l], q2 = qq[l + 32], q3 = qq[l + 64], q4 = qq[l + 96];
        ql[l] = static_cast<uint8_t>((q1 & 0x0f) | ((q3 & 0x0f) << 4));
        ql[l + 32] = static_cast<uint8_t>((q2 & 0x0f) | ((q4 & 0x0f) << 4));
        qh[l] = static_cast<uint8_t>((q1 >> 4) | ((q2 >> 4) << 2) | ((q3 >> 4) << 4) | ((q4 >> 4) << 6));
      }
    }
  }
}

void dequantize_row_q4_k(const void* src, float* dst, size_t n) {
  const BlockQ4_K* x = static_cast<const BlockQ4_K*>(src);
  for (size_t b = 0; b < n / kQK_K; ++b) dequantize_block_q4_k(x[b], dst + b * kQK_K);
}

void dequantize_row_q6_k(const void* src, float* dst, size_t n) {
  const BlockQ6_K* x = static_cast<const BlockQ6_K*>(src);
  for (size_t b = 0; b < n / kQK_K; ++b) dequantize_block_q6_k(x[b], dst + b * kQK_K);
}

// The reference Q8_K: the value of largest magnitude maps to -128 (ggml's quantize_row_q8_K).
void quantize_row_q8_k(const float* x, void* dst, size_t n) {
  BlockQ8_K* y = static_cast<BlockQ8_K*>(dst);
  for (size_t b = 0; b < n / kQK_K; ++b, x += kQK_K) {
    float amax = 0.0f, max = 0.0f;
    for (int j = 0; j < kQK_K; ++j)
      if (std::fabs(x[j]) > amax) {
        amax = std::fabs(x[j]);
        max = x[j];
      }
    std::memset(y[b].bsums, 0, sizeof y[b].bsums);
    if (!(amax > 0.0f) || !std::isfinite(amax)) {
      y[b].d = 0.0f;
      std::memset(y[b].qs, 0, sizeof y[b].qs);
      continue;
    }
    const float iscale = -128.0f / max;
    for (int j = 0; j < kQK_K; ++j) {
      const int v = nearest_int(iscale * x[j]);
      y[b].qs[j] = static_cast<int8_t>(std::min(127, v));
    }
    for (int j = 0; j < kQK_K / 16; ++j) {
      int sum = 0;
      for (int i = 0; i < 16; ++i) sum += y[b].qs[16 * j + i];
      y[b].bsums[j] = static_cast<int16_t>(sum);
    }
    y[b].d = 1.0f / iscale;
  }
}

void dequantize_row_q8_k(const void* src, float* dst, size_t n) {
  const BlockQ8_K* x = static_cast<const BlockQ8_K*>(src);
  for (size_t b = 0; b < n / kQK_K; ++b)
    for (int j = 0; j < kQK_K; ++j) dst[b * kQK_K + j] = x[b].d * x[b].qs[j];
}

float vec_dot_q4_k_q8_k(const void* w, const void* a, size_t n) {
  const BlockQ4_K* x = static_cast<const BlockQ4_K*>(w);
  const BlockQ8_K* y = static_cast<const BlockQ8_K*>(a);
  float sum = 0.0f;
  for (size_t b = 0; b < n / kQK_K; ++b) {
    int sumi = 0, mins = 0;
    for (int j = 0; j < 8; ++j) {
      uint8_t sc, m;
      scale_min_k4(j, x[b].scales, &sc, &m);
      const uint8_t* q = x[b].qs + 32 * (j / 2);
      const int shift = (j % 2) * 4;
      int s = 0;
      for (int l = 0; l < 32; ++l) s += ((q[l] >> shift) & 0x0f) * y[b].qs[32 * j + l];
      sumi += sc * s;
      mins += m * (y[b].bsums[2 * j] + y[b].bsums[2 * j + 1]);
    }
    sum += y[b].d * (fp16_to_fp32(x[b].d) * sumi - fp16_to_fp32(x[b].dmin) * mins);
  }
  return sum;
}

float vec_dot_q6_k_q8_k(const void* w, const void* a, size_t n) {
  const BlockQ6_K* x = static_cast<const BlockQ6_K*>(w);
  const BlockQ8_K* y = static_cast<const BlockQ8_K*>(a);
  float sum = 0.0f;
  for (size_t b = 0; b < n / kQK_K; ++b) {
    int sumi = 0;
    for (int h = 0; h < 2; ++h) {
      const uint8_t* ql = x[b].ql + 64 * h;
      const uint8_t* qh = x[b].qh + 32 * h;
      const int8_t* q8 = y[b].qs + 128 * h;
      const int8_t* sc = x[b].scales + 8 * h;
      for (int l = 0; l < 32; ++l) {
        const int is = l / 16;
        const int q1 = ((ql[l] & 0x0f) | (((qh[l] >> 0) & 3) << 4)) - 32;
        const int q2 = ((ql[l + 32] & 0x0f) | (((qh[l] >> 2) & 3) << 4)) - 32;
        const int q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
        const int q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
        sumi += sc[is] * q1 * q8[l] + sc[is + 2] * q2 * q8[l + 32] + sc[is + 4] * q3 * q8[l + 64] +
                sc[is + 6] * q4 * q8[l + 96];
      }
    }
    sum += fp16_to_fp32(x[b].d) * y[b].d * sumi;
  }
  return sum;
}

}  // namespace hearth::engine
