// AVX2 + FMA + F16C kernels (x86_avx2.cpp). Call only when cpu_has_avx2() is true.
#pragma once

#include <cstddef>
#include <cstdint>

namespace hearth::engine::avx2 {

float vec_dot_q8_0_q8_0(const void* w, const void* a, size_t n);
float vec_dot_q4_0_q8_0(const void* w, const void* a, size_t n);
void gemv_q8_0_q8_0(const void* w, size_t stride, size_t rows, const void* a, size_t n, float* out);
void gemv_q4_0_q8_0(const void* w, size_t stride, size_t rows, const void* a, size_t n, float* out);
void gemm_q8_0_q8_0(const void* w, size_t stride, size_t rows, const void* a, size_t a_stride, const int32_t* sums, size_t tokens, size_t n,
                    float* out, size_t out_stride);
void gemm_q4_0_q8_0(const void* w, size_t stride, size_t rows, const void* a, size_t a_stride, const int32_t* sums, size_t tokens, size_t n,
                    float* out, size_t out_stride);
// Eight rows per vector (x86_avx2_gemm_q4_0.cpp, x86_avx2_gemm_q8_0.cpp); Q4_0 needs the
// activation block sums.
// The same over weights interleaved at load time (interleave.h), for any number of tokens.
void gemm_q4_0_q8_0_interleaved(const void* w, size_t stride, size_t rows, const void* a, size_t a_stride,
                                const int32_t* sums, size_t tokens, size_t n, float* out, size_t out_stride);
void gemm_q8_0_q8_0_rows8(const void* w, size_t stride, size_t rows, const void* a, size_t a_stride,
                          const int32_t* sums, size_t tokens, size_t n, float* out, size_t out_stride);
void gemm_q8_0_q8_0_interleaved(const void* w, size_t stride, size_t rows, const void* a, size_t a_stride,
                                const int32_t* sums, size_t tokens, size_t n, float* out, size_t out_stride);
void gemm_q4_0_q8_0_rows8(const void* w, size_t stride, size_t rows, const void* a, size_t a_stride,
                          const int32_t* sums, size_t tokens, size_t n, float* out, size_t out_stride);
// The same for Q4_K and Q6_K weights with Q8_K activations (x86_avx2_gemm_q4_k.cpp, _q6_k.cpp).
void gemm_q4_k_q8_k_rows8(const void* w, size_t stride, size_t rows, const void* a, size_t a_stride,
                          const int32_t* sums, size_t tokens, size_t n, float* out, size_t out_stride);
void gemm_q4_k_q8_k_interleaved(const void* w, size_t stride, size_t rows, const void* a, size_t a_stride,
                                const int32_t* sums, size_t tokens, size_t n, float* out, size_t out_stride);
void gemm_q6_k_q8_k_rows8(const void* w, size_t stride, size_t rows, const void* a, size_t a_stride,
                          const int32_t* sums, size_t tokens, size_t n, float* out, size_t out_stride);
void gemm_q6_k_q8_k_interleaved(const void* w, size_t stride, size_t rows, const void* a, size_t a_stride,
                                const int32_t* sums, size_t tokens, size_t n, float* out, size_t out_stride);
void quantize_row_q8_0(const float* x, void* dst, size_t n);
void quantize_row_q8_k(const float* x, void* dst, size_t n);
float vec_dot_f32(const void* w, const void* a, size_t n);
float vec_dot_f16_f32(const void* w, const void* a, size_t n);
void dequantize_row_f16(const void* src, float* dst, size_t n);
// VectorOps (x86_avx2_attention.cpp).
void attend_f16(const float* q, const uint8_t* k, const uint8_t* v, size_t row_bytes, size_t n_keys, size_t hd,
                float scale, float* scores, float* out);
void silu_mul(float* gate, const float* up, size_t n);
void to_f16(const float* x, uint16_t* out, size_t n);
float vec_dot_q4_k_q8_k(const void* w, const void* a, size_t n);
float vec_dot_q6_k_q8_k(const void* w, const void* a, size_t n);

}  // namespace hearth::engine::avx2

// The same Q8_0 / Q4_0 products with AVX512-VNNI (x86_avx512vnni.cpp). Call only when
// cpu_has_avx512vnni() is true.
namespace hearth::engine::avx512vnni {

float vec_dot_q8_0_q8_0(const void* w, const void* a, size_t n);
float vec_dot_q4_0_q8_0(const void* w, const void* a, size_t n);
void gemv_q8_0_q8_0(const void* w, size_t stride, size_t rows, const void* a, size_t n, float* out);
void gemv_q4_0_q8_0(const void* w, size_t stride, size_t rows, const void* a, size_t n, float* out);
void gemm_q8_0_q8_0(const void* w, size_t stride, size_t rows, const void* a, size_t a_stride, const int32_t* sums, size_t tokens, size_t n,
                    float* out, size_t out_stride);
void gemm_q8_0_q8_0_rows8(const void* w, size_t stride, size_t rows, const void* a, size_t a_stride,
                          const int32_t* sums, size_t tokens, size_t n, float* out, size_t out_stride);
void gemm_q8_0_q8_0_interleaved(const void* w, size_t stride, size_t rows, const void* a, size_t a_stride,
                                const int32_t* sums, size_t tokens, size_t n, float* out, size_t out_stride);
// Decode (one token) of interleaved Q4_0 and Q4_K matrices; more tokens go to the AVX2 kernels.
void gemm_q4_0_q8_0_interleaved(const void* w, size_t stride, size_t rows, const void* a, size_t a_stride,
                                const int32_t* sums, size_t tokens, size_t n, float* out, size_t out_stride);
void gemm_q4_k_q8_k_interleaved(const void* w, size_t stride, size_t rows, const void* a, size_t a_stride,
                                const int32_t* sums, size_t tokens, size_t n, float* out, size_t out_stride);

}  // namespace hearth::engine::avx512vnni
