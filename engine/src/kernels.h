// The per-type kernel table (private to the engine). The scalar versions in quant_*.cpp are the
// specification; faster versions may replace entries at start-up after a CPU check, and must agree
// with the scalar ones within the bounds the tests state.
#pragma once

#include <cstddef>
#include <cstdint>

#include "hearth/engine/tensor_type.h"

namespace hearth::engine {

// n: elements; a multiple of the type's block size.
using DequantizeRowFn = void (*)(const void* src, float* dst, size_t n);
using QuantizeRowFn = void (*)(const float* src, void* dst, size_t n);
// Dot product of one weight row with one activation row already converted to vec_dot_type.
using VecDotFn = float (*)(const void* weights, const void* activations, size_t n);

// Many rows at once: out[r] = dot(weights + r * row_stride, activations) for r < n_rows. Shares
// the activation loads and the horizontal sums between rows; nullptr: vec_dot per row.
using GemvFn = void (*)(const void* weights, size_t row_stride, size_t n_rows, const void* activations, size_t n,
                        float* out);

// Rows x tokens: out[t * out_stride + r] = dot(row r, activation row t) for r < n_rows,
// t < n_tokens; activation rows are act_stride bytes apart. Reuses each weight block for several
// tokens (prompt evaluation); nullptr: gemv per token. act_sums: for Q8_0 activations, the sum of
// the 32 int8 values of every block, token-major (n / 32 per token; q8_0_block_sums), which
// kernels multiplying unsigned weight values need for the offset; other kernels ignore it.
using GemmFn = void (*)(const void* weights, size_t row_stride, size_t n_rows, const void* activations,
                        size_t act_stride, const int32_t* act_sums, size_t n_tokens, size_t n, float* out,
                        size_t out_stride);

// Eight rows (row_bytes apart, n values each) to the interleaved layout of interleave.h, and row
// j of such a group back.
using InterleaveFn = void (*)(const uint8_t* rows, size_t row_bytes, size_t n, uint8_t* dst);
using RowOfGroupFn = void (*)(const uint8_t* group, size_t row_bytes, size_t n, size_t j, uint8_t* row);

struct TypeKernels {
  TensorType type;
  TensorType vec_dot_type;     // the format activations are converted to for vec_dot
  DequantizeRowFn dequantize;  // to F32
  QuantizeRowFn quantize;      // from F32, the reference algorithm (nullptr: not offered yet)
  VecDotFn vec_dot;
  GemvFn gemv = nullptr;
  GemmFn gemm = nullptr;
  // Set together where the CPU has kernels for the interleaved layout: model loading stores
  // matrices of this type (with a multiple of 8 rows) that way, and gemm_interleaved multiplies
  // them for any number of tokens (n_rows a multiple of 8, weights at a group's start).
  InterleaveFn interleave = nullptr;
  RowOfGroupFn row_of_group = nullptr;
  GemmFn gemm_interleaved = nullptr;
};

const TypeKernels& kernels_for(TensorType type);

// Vector operations of the forward pass, with the same run-time choice as the type table.
struct VectorOps {
  // One query's attention over n_keys cached F16 rows (keys k and values v, rows row_bytes
  // apart, hd values each; q already rounded to F16 precision): out = sum over p of
  // softmax(scale * q.k_p)[p] * v_p, each weight rounded to F16. scores: n_keys floats of scratch.
  void (*attend_f16)(const float* q, const uint8_t* k, const uint8_t* v, size_t row_bytes, size_t n_keys, size_t hd,
                     float scale, float* scores, float* out);
  // gate[i] = silu(gate[i]) * up[i], the SwiGLU of the feed-forward block.
  void (*silu_mul)(float* gate, const float* up, size_t n);
  // out[i] = x[i] as F16, rounded to nearest even (fp32_to_fp16), for the KV cache.
  void (*to_f16)(const float* x, uint16_t* out, size_t n);
};
const VectorOps& vector_ops();

// The scalar table entries are the defaults; this replaces them with SIMD versions when the CPU
// has AVX2, FMA and F16C and HEARTH_NO_SIMD is not set (cpu_features.cpp).
bool cpu_has_avx2();
bool cpu_has_avx512vnni();  // AVX512-VNNI with AVX512-VL: faster Q8_0/Q4_0 products
void install_simd_kernels(TypeKernels* table, size_t n, VectorOps& ops);
void axpy_f16(float* out, float a, const uint16_t* v, size_t n);
// The scalar VectorOps (attention.cpp).
void attend_f16(const float* q, const uint8_t* k, const uint8_t* v, size_t row_bytes, size_t n_keys, size_t hd,
                float scale, float* scores, float* out);
void silu_mul(float* gate, const float* up, size_t n);
void to_f16(const float* x, uint16_t* out, size_t n);
// The same attention over a Q8_0 KV cache: q as Q8_0 blocks, k and v rows of Q8_0 blocks.
void attend_q8_0(const void* q, const uint8_t* k, const uint8_t* v, size_t row_bytes, size_t n_keys, size_t hd,
                 float scale, float* scores, float* out);

// Scalar reference kernels, one group per type (quant_<type>.cpp).
void dequantize_row_f32(const void* src, float* dst, size_t n);
void quantize_row_f32(const float* src, void* dst, size_t n);
float vec_dot_f32(const void* w, const void* a, size_t n);

void dequantize_row_f16(const void* src, float* dst, size_t n);
void quantize_row_f16(const float* src, void* dst, size_t n);
float vec_dot_f16_f32(const void* w, const void* a, size_t n);

void dequantize_row_q8_0(const void* src, float* dst, size_t n);
void quantize_row_q8_0(const float* src, void* dst, size_t n);
// sums[b] = sum of the int8 values of block b, for the n / 32 blocks of one Q8_0 row.
void q8_0_block_sums(const void* src, size_t n, int32_t* sums);
float vec_dot_q8_0_q8_0(const void* w, const void* a, size_t n);

void dequantize_row_q4_0(const void* src, float* dst, size_t n);
void quantize_row_q4_0(const float* src, void* dst, size_t n);
float vec_dot_q4_0_q8_0(const void* w, const void* a, size_t n);

void dequantize_row_q4_k(const void* src, float* dst, size_t n);
void quantize_row_q4_k(const float* src, void* dst, size_t n);
float vec_dot_q4_k_q8_k(const void* w, const void* a, size_t n);

void dequantize_row_q6_k(const void* src, float* dst, size_t n);
void quantize_row_q6_k(const float* src, void* dst, size_t n);
float vec_dot_q6_k_q8_k(const void* w, const void* a, size_t n);

void dequantize_row_q8_k(const void* src, float* dst, size_t n);
void quantize_row_q8_k(const float* src, void* dst, size_t n);

}  // namespace hearth::engine
