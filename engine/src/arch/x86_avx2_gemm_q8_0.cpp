// Q8_0 weights x Q8_0 activations for prompt evaluation, AVX2 (x86_gemm_q8_0_rows8.inc). AVX2's
// byte product (maddubs) sums pairs into 16 bits; one pair reaches 2 * 127 * 127 = 32258, so each
// product is widened to 32 bits (madd with ones) before it is summed.
#include <immintrin.h>

#include <algorithm>
#include <cstddef>
#include <cstring>

#include "../quant_blocks.h"
#include "x86_avx2.h"
#include "x86_avx2_rows8.h"

namespace hearth::engine::avx2 {

#define HEARTH_U8S8_DOT_ACC(acc, u, s) \
  _mm256_add_epi32((acc), _mm256_madd_epi16(_mm256_maddubs_epi16((u), (s)), _mm256_set1_epi16(1)))
#include "x86_gemm_q8_0_rows8.inc"
#undef HEARTH_U8S8_DOT_ACC

}  // namespace hearth::engine::avx2
