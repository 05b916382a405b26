// Picks the kernels for this CPU, once, before the first use of the type table.
#include <cstdlib>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

#include "arch/x86_avx2.h"
#include "interleave.h"
#include "kernels.h"

namespace hearth::engine {

#if defined(__x86_64__)
namespace {

// CPU features from CPUID, and whether the OS saves the registers they use (XGETBV), the same
// way for GCC and clang.
struct X86Features {
  bool avx2 = false, fma = false, f16c = false, avx512vl = false, avx512vnni = false;
  X86Features() {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return;
    const bool osxsave = c & (1u << 27), avx = c & (1u << 28);
    fma = c & (1u << 12);
    f16c = c & (1u << 29);
    if (!osxsave || !avx) return;
    unsigned xcr0_lo, xcr0_hi;
    __asm__("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
    const bool ymm_saved = (xcr0_lo & 0x6) == 0x6;
    const bool zmm_saved = (xcr0_lo & 0xe6) == 0xe6;
    if (!ymm_saved || !__get_cpuid_count(7, 0, &a, &b, &c, &d)) return;
    avx2 = b & (1u << 5);
    avx512vl = zmm_saved && (b & (1u << 16)) && (b & (1u << 31));
    avx512vnni = zmm_saved && (c & (1u << 11));
  }
};

const X86Features& x86_features() {
  static const X86Features f;
  return f;
}

}  // namespace
#endif

bool cpu_has_avx2() {
#if defined(__x86_64__)
  static const bool has = [] {
    const char* off = std::getenv("HEARTH_NO_SIMD");  // forces the scalar kernels (tests, debugging)
    if (off && *off && *off != '0') return false;
    const X86Features& f = x86_features();
    return f.avx2 && f.fma && f.f16c;
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
    return cpu_has_avx2() && x86_features().avx512vnni && x86_features().avx512vl;
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
        k.gemm = avx2::gemm_q8_0_q8_0_rows8;
        k.quantize = avx2::quantize_row_q8_0;
        k.interleave = interleave_q8_0;
        k.row_of_group = row_of_q8_0;
        k.gemm_interleaved = avx2::gemm_q8_0_q8_0_interleaved;
        break;
      case TensorType::kQ4_0:
        k.vec_dot = avx2::vec_dot_q4_0_q8_0;
        k.gemv = avx2::gemv_q4_0_q8_0;
        k.gemm = avx2::gemm_q4_0_q8_0_rows8;
        k.interleave = interleave_q4_0;
        k.row_of_group = row_of_q4_0;
        k.gemm_interleaved = avx2::gemm_q4_0_q8_0_interleaved;
        break;
      case TensorType::kQ4_K:
        k.vec_dot = avx2::vec_dot_q4_k_q8_k;
        k.gemm = avx2::gemm_q4_k_q8_k_rows8;
        k.interleave = interleave_q4_k;
        k.row_of_group = row_of_q4_k;
        k.gemm_interleaved = avx2::gemm_q4_k_q8_k_interleaved;
        break;
      case TensorType::kQ6_K:
        k.vec_dot = avx2::vec_dot_q6_k_q8_k;
        k.gemm = avx2::gemm_q6_k_q8_k_rows8;
        k.interleave = interleave_q6_k;
        k.row_of_group = row_of_q6_k;
        k.gemm_interleaved = avx2::gemm_q6_k_q8_k_interleaved;
        break;
      case TensorType::kQ8_K: k.quantize = avx2::quantize_row_q8_k; break;
      default: break;
    }
  }
  if (cpu_has_avx512vnni()) {
    for (size_t i = 0; i < n; ++i) {
      TypeKernels& k = table[i];
      if (k.type == TensorType::kQ8_0) {
        k.vec_dot = avx512vnni::vec_dot_q8_0_q8_0;
        k.gemv = avx512vnni::gemv_q8_0_q8_0;
        k.gemm = avx512vnni::gemm_q8_0_q8_0_rows8;
        k.gemm_interleaved = avx512vnni::gemm_q8_0_q8_0_interleaved;
      } else if (k.type == TensorType::kQ4_0) {
        // Prompts keep AVX2's eight-row kernels (gemm, gemm_interleaved), as for Q8_0 above
        // where that was measured: the row-by-row tiles were half as fast there.
        k.vec_dot = avx512vnni::vec_dot_q4_0_q8_0;
        k.gemv = avx512vnni::gemv_q4_0_q8_0;
        k.gemm_interleaved = avx512vnni::gemm_q4_0_q8_0_interleaved;
      } else if (k.type == TensorType::kQ4_K) {
        k.gemm_interleaved = avx512vnni::gemm_q4_k_q8_k_interleaved;
      }
    }
  }
  ops.attend_f16 = avx2::attend_f16;
  ops.silu_mul = avx2::silu_mul;
  ops.to_f16 = avx2::to_f16;
#else
  (void)table;
  (void)n;
  (void)ops;
#endif
}

}  // namespace hearth::engine
