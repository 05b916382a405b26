// Picks the kernels for this CPU, once, before the first use of the type table.
#include <cstdlib>

#include "arch/x86_avx2.h"
#include "kernels.h"

namespace hearth::engine {

bool cpu_has_avx2() {
#if defined(__x86_64__)
  static const bool has = [] {
    const char* off = std::getenv("HEARTH_NO_SIMD");  // forces the scalar kernels (tests, debugging)
    if (off && *off && *off != '0') return false;
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
  }();
  return has;
#else
  return false;
#endif
}

bool cpu_has_avx512vnni() {
#if defined(__x86_64__)
  static const bool has = [] {
    const char* off = std::getenv("HEARTH_NO_AVX512");  // forces the AVX2 kernels
    if (off && *off && *off != '0') return false;
    return cpu_has_avx2() && __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("avx512vl");
  }();
  return has;
#else
  return false;
#endif
}

void install_simd_kernels(TypeKernels* table, size_t n, VectorOps& ops) {
#if defined(__x86_64__)
  if (!cpu_has_avx2()) return;
  for (size_t i = 0; i < n; ++i) {
    TypeKernels& k = table[i];
    switch (k.type) {
      case TensorType::kF32: k.vec_dot = avx2::vec_dot_f32; break;
      case TensorType::kF16:
        k.vec_dot = avx2::vec_dot_f16_f32;
        k.dequantize = avx2::dequantize_row_f16;
        break;
      case TensorType::kQ8_0:
        k.vec_dot = avx2::vec_dot_q8_0_q8_0;
        k.gemv = avx2::gemv_q8_0_q8_0;
        k.gemm = avx2::gemm_q8_0_q8_0;
        k.quantize = avx2::quantize_row_q8_0;
        break;
      case TensorType::kQ4_0:
        k.vec_dot = avx2::vec_dot_q4_0_q8_0;
        k.gemv = avx2::gemv_q4_0_q8_0;
        k.gemm = avx2::gemm_q4_0_q8_0;
        break;
      default: break;
    }
  }
  if (cpu_has_avx512vnni()) {
    for (size_t i = 0; i < n; ++i) {
      TypeKernels& k = table[i];
      if (k.type == TensorType::kQ8_0) {
        k.vec_dot = avx512vnni::vec_dot_q8_0_q8_0;
        k.gemv = avx512vnni::gemv_q8_0_q8_0;
        k.gemm = avx512vnni::gemm_q8_0_q8_0;
      } else if (k.type == TensorType::kQ4_0) {
        k.vec_dot = avx512vnni::vec_dot_q4_0_q8_0;
        k.gemv = avx512vnni::gemv_q4_0_q8_0;
        k.gemm = avx512vnni::gemm_q4_0_q8_0;
      }
    }
  }
  ops.axpy_f16 = avx2::axpy_f16;
  ops.dot_f16_f32 = avx2::vec_dot_f16_f32;
#else
  (void)table;
  (void)n;
  (void)ops;
#endif
}

}  // namespace hearth::engine
