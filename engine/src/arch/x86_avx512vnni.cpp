// The Q8_0 / Q4_0 kernels of x86_q8_kernels.inc and the Q8_0 prompt kernel of
// x86_gemm_q8_0_rows8.inc with AVX512-VNNI on 256-bit registers: one vpdpbusd replaces AVX2's
// byte product, its widening and its sum, and 32 vector registers hold larger tiles. Installed
// only when the CPU has AVX512-VNNI and AVX512-VL (cpu_features.cpp).
#include <immintrin.h>

#include <algorithm>
#include <cstddef>
#include <cstring>

#include "../fp16.h"
#include "../kernels.h"
#include "../quant_blocks.h"
#include "x86_avx2.h"
#include "x86_avx2_rows8.h"

namespace hearth::engine::avx512vnni {

// GCC 12's _mm256_dpbusd_epi32 also demands -mavxvnni, whose VEX encoding AVX512-only CPUs lack;
// the EVEX form is written out instead.
inline __m256i dpbusd_acc(__m256i acc, __m256i u, __m256i s) {
  asm("%{evex%} vpdpbusd %2, %1, %0" : "+v"(acc) : "v"(u), "v"(s));
  return acc;
}
#define HEARTH_U8S8_DOT(u, s) dpbusd_acc(_mm256_setzero_si256(), (u), (s))
#define HEARTH_U8S8_DOT_ACC(acc, u, s) dpbusd_acc((acc), (u), (s))
#define HEARTH_GEMM_TOKENS 4
#include "x86_q8_kernels.inc"
#include "x86_gemm_q8_0_rows8.inc"
#undef HEARTH_GEMM_TOKENS
#undef HEARTH_U8S8_DOT_ACC
#undef HEARTH_U8S8_DOT

}  // namespace hearth::engine::avx512vnni
