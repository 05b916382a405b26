// The per-type kernel table (private to the engine). The scalar versions in quant_*.cpp are the
// specification; faster versions may replace entries at start-up after a CPU check, and must agree
// with the scalar ones within the bounds the tests state.
#pragma once

#include <cstddef>

#include "hearth/engine/tensor_type.h"

namespace hearth::engine {

// n: elements; a multiple of the type's block size.
using DequantizeRowFn = void (*)(const void* src, float* dst, size_t n);
using QuantizeRowFn = void (*)(const float* src, void* dst, size_t n);
// Dot product of one weight row with one activation row already converted to vec_dot_type.
using VecDotFn = float (*)(const void* weights, const void* activations, size_t n);

struct TypeKernels {
  TensorType type;
  TensorType vec_dot_type;     // the format activations are converted to for vec_dot
  DequantizeRowFn dequantize;  // to F32
  QuantizeRowFn quantize;      // from F32, the reference algorithm (nullptr: not offered yet)
  VecDotFn vec_dot;
};

const TypeKernels& kernels_for(TensorType type);

// Scalar reference kernels, one group per type (quant_<type>.cpp).
void dequantize_row_f32(const void* src, float* dst, size_t n);
void quantize_row_f32(const float* src, void* dst, size_t n);
float vec_dot_f32(const void* w, const void* a, size_t n);

void dequantize_row_f16(const void* src, float* dst, size_t n);
void quantize_row_f16(const float* src, void* dst, size_t n);
float vec_dot_f16_f32(const void* w, const void* a, size_t n);

void dequantize_row_q8_0(const void* src, float* dst, size_t n);
void quantize_row_q8_0(const float* src, void* dst, size_t n);
float vec_dot_q8_0_q8_0(const void* w, const void* a, size_t n);

void dequantize_row_q4_0(const void* src, float* dst, size_t n);
void quantize_row_q4_0(const float* src, void* dst, size_t n);
float vec_dot_q4_0_q8_0(const void* w, const void* a, size_t n);

void dequantize_row_q4_k(const void* src, float* dst, size_t n);
float vec_dot_q4_k_f32(const void* w, const void* a, size_t n);

void dequantize_row_q6_k(const void* src, float* dst, size_t n);
float vec_dot_q6_k_f32(const void* w, const void* a, size_t n);

}  // namespace hearth::engine
