// Every weight type: quantize -> dequantize error within the format's bound, dot products
// against an F32 reference, and Q8_0 / Q4_0 quantisation bit for bit equal to the reference
// algorithm (tests/engine/reference_quantize.py, numpy).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#include "../../engine/src/fp16.h"
#include "../../engine/src/kernels.h"
#include "../../engine/src/matmul.h"
#include "../../engine/src/quant_blocks.h"
#include "subprocess.h"
#include "temp_dir.h"

namespace hearth::engine {
namespace {

std::vector<float> random_row(size_t n, uint32_t seed, float scale = 1.0f) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> dist(0.0f, scale);
  std::vector<float> x(n);
  for (auto& v : x) v = dist(rng);
  // Some blocks with special values: all zero, one outlier, exact ties.
  for (size_t i = 0; i < 32 && i < n; ++i) x[i] = 0.0f;
  if (n >= 64) x[40] = 25.0f * scale;
  if (n >= 96) {
    x[70] = 3.0f;
    x[71] = -3.0f;
  }
  return x;
}

std::vector<uint8_t> quantize(TensorType t, const std::vector<float>& x) {
  std::vector<uint8_t> out(row_bytes(tensor_type_info(t), x.size()));
  kernels_for(t).quantize(x.data(), out.data(), x.size());
  return out;
}

std::vector<float> dequantize(TensorType t, const std::vector<uint8_t>& q, size_t n) {
  std::vector<float> out(n);
  kernels_for(t).dequantize(q.data(), out.data(), n);
  return out;
}

TEST(Fp16, RoundTripsAndRoundsToNearestEven) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const uint16_t v = static_cast<uint16_t>(h);
    const float f = fp16_to_fp32(v);
    if (std::isnan(f)) continue;
    ASSERT_EQ(fp32_to_fp16(f), v) << std::hex << h;
  }
  EXPECT_EQ(fp32_to_fp16(1.0f + 1.0f / 2048.0f), fp32_to_fp16(1.0f));          // tie to even: down
  EXPECT_EQ(fp32_to_fp16(1.0f + 3.0f / 2048.0f), fp32_to_fp16(1.0f) + 2);      // tie to even: up
  EXPECT_EQ(fp32_to_fp16(65520.0f), 0x7c00);                                    // rounds to infinity
  EXPECT_EQ(fp16_to_fp32(0x0001), std::ldexp(1.0f, -24));                       // smallest subnormal
}

// The KV cache's conversion (VectorOps::to_f16, F16C where the CPU has it) gives the scalar
// conversion's bits: every half value, the ties between neighbours, and random floats of every
// magnitude (subnormal results and overflow to infinity included).
TEST(Fp16, KvCacheConversionEqualsTheScalarOne) {
  std::vector<float> x;
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const float f = fp16_to_fp32(static_cast<uint16_t>(h));
    if (std::isnan(f)) continue;
    x.push_back(f);
    if ((h & 0x7fff) < 0x7bff) x.push_back(0.5f * (f + fp16_to_fp32(static_cast<uint16_t>(h + 1))));  // a tie
  }
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> mantissa(-2.0f, 2.0f);
  std::uniform_int_distribution<int> exponent(-30, 20);
  for (int i = 0; i < 100000; ++i) x.push_back(std::ldexp(mantissa(rng), exponent(rng)));
  std::vector<uint16_t> out(x.size());
  vector_ops().to_f16(x.data(), out.data(), x.size());
  for (size_t i = 0; i < x.size(); ++i) ASSERT_EQ(out[i], fp32_to_fp16(x[i])) << "x = " << x[i] << " at " << i;
}

struct Bound {
  TensorType type;
  double max_err_per_amax;  // |x - dequant(quant(x))| <= this * max|x| of the block
};

TEST(Quant, RoundTripWithinTheFormatsBound) {
  for (const Bound& b : {Bound{TensorType::kF16, 1.0 / 2048}, Bound{TensorType::kQ8_0, 1.0 / 254 + 1.0 / 2048},
                         // Q4_0 spans -8..7 steps: a value opposite the largest one clips by one step.
                         Bound{TensorType::kQ4_0, 1.0 / 8 + 1.0 / 2048}}) {
    const TensorTypeInfo& info = tensor_type_info(b.type);
    const size_t n = 32 * 64;
    auto x = random_row(n, 11);
    auto y = dequantize(b.type, quantize(b.type, x), n);
    const size_t block = std::max<size_t>(info.block_size, 32);
    for (size_t blk = 0; blk < n / block; ++blk) {
      float amax = 0.0f;
      for (size_t i = 0; i < block; ++i) amax = std::max(amax, std::abs(x[blk * block + i]));
      for (size_t i = 0; i < block; ++i) {
        const size_t j = blk * block + i;
        ASSERT_LE(std::abs(x[j] - y[j]), b.max_err_per_amax * amax + 1e-30) << info.name << " element " << j;
      }
    }
  }
}

TEST(Quant, MatchesTheReferenceAlgorithmBitForBit) {
  test::TempDir dir;
  auto x = random_row(32 * 128, 5, 0.7f);
  // Values that sit exactly on rounding boundaries of the 8.5 offset and of roundf.
  for (int i = 0; i < 32; ++i) x[32 * 3 + i] = (i - 16) * 0.5f;
  for (int i = 0; i < 32; ++i) x[32 * 4 + i] = (i % 2 ? 1.0f : -1.0f) * static_cast<float>(i) / 4.0f;
  const std::string in = dir.file("x.f32");
  std::ofstream(in, std::ios::binary).write(reinterpret_cast<const char*>(x.data()), static_cast<std::streamsize>(x.size() * 4));
  for (TensorType t : {TensorType::kQ8_0, TensorType::kQ4_0}) {
    const std::string name(tensor_type_info(t).name);
    const std::string out = dir.file(name + ".bin");
    auto r = test::run_shell(std::string(HEARTH_PYTHON) + " " + HEARTH_SOURCE_DIR + "/tests/engine/reference_quantize.py " +
                             name + " " + in + " " + out);
    ASSERT_EQ(r.exit_code, 0) << r.text;
    std::ifstream f(out, std::ios::binary);
    std::vector<uint8_t> want((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    auto got = quantize(t, x);
    ASSERT_EQ(got.size(), want.size()) << name;
    for (size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], want[i]) << name << " byte " << i;
  }
}

TEST(Quant, DotProductsAgreeWithF32) {
  const size_t n = 256 * 8;
  for (TensorType t : {TensorType::kF32, TensorType::kF16, TensorType::kQ8_0, TensorType::kQ4_0}) {
    const TypeKernels& k = kernels_for(t);
    auto w = random_row(n, 3);
    auto a = random_row(n, 4);
    auto wq = quantize(t, w);
    auto wd = dequantize(t, wq, n);
    // The activations as vec_dot sees them.
    std::vector<uint8_t> aq = quantize(k.vec_dot_type, a);
    auto ad = dequantize(k.vec_dot_type, aq, n);
    double exact = 0.0, norm = 0.0;
    for (size_t i = 0; i < n; ++i) {
      exact += static_cast<double>(wd[i]) * ad[i];
      norm += std::abs(static_cast<double>(wd[i]) * ad[i]);
    }
    const float got = k.vec_dot(wq.data(), aq.data(), n);
    EXPECT_NEAR(got, exact, 1e-5 * norm) << tensor_type_info(t).name;
  }
}

// Runs `tokens` random activation rows (seeds from `seed`, scale 1 + i * scale_step for token i)
// through Matmul with weight, and checks every output against vec_dot on the rows as stored in
// the file's layout (`plain`, weight.row_bytes apart).
void expect_matmul_matches_vec_dot(Matmul& matmul, const Weight& weight, const uint8_t* plain, size_t tokens,
                                   uint32_t seed, float scale_step, const std::string& label) {
  const TypeKernels& k = kernels_for(weight.type);
  const size_t n = weight.cols, rows = weight.rows;
  std::vector<float> x;
  for (size_t i = 0; i < tokens; ++i) {
    auto a = random_row(n, seed + static_cast<uint32_t>(i), 1.0f + scale_step * static_cast<float>(i));
    x.insert(x.end(), a.begin(), a.end());
  }
  std::vector<float> y(tokens * rows, -1.0f);
  const MatmulTask task{&weight, x.data(), y.data(), rows};
  matmul.run({&task, 1}, tokens);
  for (size_t i = 0; i < tokens; ++i) {
    std::vector<float> xi(x.begin() + static_cast<std::ptrdiff_t>(i * n), x.begin() + static_cast<std::ptrdiff_t>((i + 1) * n));
    std::vector<uint8_t> aq = quantize(k.vec_dot_type, xi);
    for (size_t r = 0; r < rows; ++r) {
      const float want = k.vec_dot(plain + r * weight.row_bytes, aq.data(), n);
      EXPECT_NEAR(y[i * rows + r], want, 1e-4f * (1.0f + std::fabs(want)))
          << label << " tokens " << tokens << " row " << r << " token " << i;
    }
  }
}

// The many-rows and many-tokens kernels (gemv for one token, gemm for a prompt; SIMD ones tile
// rows and tokens and transpose blocks in registers) against one vec_dot per row and token, over
// row and token counts that leave every kind of remainder.
TEST(Quant, MatmulTilesAgreeWithVecDotPerRow) {
  ThreadPool pool(2);
  Matmul matmul(pool);
  const size_t cols = 32 * 9;
  for (TensorType t : {TensorType::kQ8_0, TensorType::kQ4_0, TensorType::kF16, TensorType::kQ4_K, TensorType::kQ6_K}) {
    const bool k_type = t == TensorType::kQ4_K || t == TensorType::kQ6_K;
    const size_t n = k_type ? 256 * 2 : cols;
    for (size_t rows : {size_t{8}, size_t{13}, size_t{16}, size_t{37}}) {
      std::vector<uint8_t> w;
      for (size_t r = 0; r < rows; ++r) {
        auto q = quantize(t, random_row(n, 100 + static_cast<uint32_t>(r), 0.5f + 0.1f * static_cast<float>(r % 7)));
        w.insert(w.end(), q.begin(), q.end());
      }
      const Weight weight{t, w.data(), rows, n, row_bytes(tensor_type_info(t), n)};
      for (size_t tokens : {size_t{1}, size_t{2}, size_t{3}, size_t{5}, size_t{8}, size_t{11}})
        expect_matmul_matches_vec_dot(matmul, weight, w.data(), tokens, 500, 1.0f,
                                      std::string(tensor_type_info(t).name) + " rows " + std::to_string(rows));
    }
  }
}

// Matrices stored with eight rows interleaved (the layout model loading gives the types whose
// kernels read it; none without SIMD): every row comes back out of its group unchanged, and the
// interleaved kernels agree with vec_dot on the original rows, for one token (decode) and more.
TEST(Quant, InterleavedMatricesKeepTheirRowsAndProducts) {
  ThreadPool pool(2);
  Matmul matmul(pool);
  int tested = 0;
  for (TensorType t : {TensorType::kQ8_0, TensorType::kQ4_0, TensorType::kQ4_K, TensorType::kQ6_K}) {
    const TypeKernels& k = kernels_for(t);
    if (!k.interleave) continue;
    ASSERT_TRUE(k.row_of_group && k.gemm_interleaved) << tensor_type_info(t).name;
    ++tested;
    const size_t n = t == TensorType::kQ4_K || t == TensorType::kQ6_K ? 256 * 3 : 32 * 7;
    const size_t rows = 24;
    const size_t rb = row_bytes(tensor_type_info(t), n);
    std::vector<uint8_t> plain;
    for (size_t r = 0; r < rows; ++r) {
      auto q = quantize(t, random_row(n, 300 + static_cast<uint32_t>(r), 0.3f + 0.2f * static_cast<float>(r % 5)));
      plain.insert(plain.end(), q.begin(), q.end());
    }
    std::vector<uint8_t> inter(plain.size());
    for (size_t r = 0; r < rows; r += 8) k.interleave(plain.data() + r * rb, rb, n, inter.data() + r * rb);
    EXPECT_NE(inter, plain);
    for (size_t r = 0; r < rows; ++r) {
      std::vector<uint8_t> row(rb);
      k.row_of_group(inter.data() + r / 8 * 8 * rb, rb, n, r % 8, row.data());
      ASSERT_TRUE(std::equal(row.begin(), row.end(), plain.begin() + static_cast<std::ptrdiff_t>(r * rb)))
          << tensor_type_info(t).name << " row " << r;
    }
    Weight weight{t, inter.data(), rows, n, rb, true};
    for (size_t tokens : {size_t{1}, size_t{2}, size_t{7}})
      expect_matmul_matches_vec_dot(matmul, weight, plain.data(), tokens, 900, 0.0f, std::string(tensor_type_info(t).name));
  }
  if (tested == 0) GTEST_SKIP() << "this CPU has no kernels for interleaved matrices";
}

TEST(Quant, KTypesRoundTripAndDot) {
  const size_t n = 256 * 16;
  auto x = random_row(n, 21);
  for (TensorType t : {TensorType::kQ4_K, TensorType::kQ6_K, TensorType::kQ8_K}) {
    auto y = dequantize(t, quantize(t, x), n);
    double err = 0.0, norm = 0.0;
    for (size_t i = 0; i < n; ++i) {
      err += (x[i] - y[i]) * (x[i] - y[i]);
      norm += x[i] * x[i];
    }
    // Relative RMS error: 4-bit with scales and mins, 6-bit, 8-bit.
    const double bound = t == TensorType::kQ4_K ? 0.12 : t == TensorType::kQ6_K ? 0.04 : 0.02;
    EXPECT_LT(std::sqrt(err / norm), bound) << tensor_type_info(t).name;
  }
  for (TensorType t : {TensorType::kQ4_K, TensorType::kQ6_K}) {
    const TypeKernels& k = kernels_for(t);
    ASSERT_EQ(k.vec_dot_type, TensorType::kQ8_K);
    auto w = quantize(t, x);
    auto wd = dequantize(t, w, n);
    auto a = random_row(n, 22);
    auto aq = quantize(TensorType::kQ8_K, a);
    auto ad = dequantize(TensorType::kQ8_K, aq, n);
    double exact = 0.0, scale = 0.0;
    for (size_t i = 0; i < n; ++i) {
      exact += static_cast<double>(wd[i]) * ad[i];
      scale += std::abs(static_cast<double>(wd[i]) * ad[i]);
    }
    EXPECT_NEAR(k.vec_dot(w.data(), aq.data(), n), exact, 1e-5 * scale) << tensor_type_info(t).name;
  }
}

// The activation format of the K types: the table's (SIMD where the CPU has it) quantizer equals
// the scalar reference byte for byte, including ties, a NaN and an all-zero block.
TEST(Quant, Q8KQuantizerMatchesTheScalarOneBitForBit) {
  auto x = random_row(256 * 6, 31, 2.0f);
  for (size_t i = 256; i < 512; ++i) x[i] = static_cast<float>(static_cast<int>(i % 9) - 4) * 0.5f;  // ties
  x[600] = std::nanf("");
  x[700] = -x[701];
  for (size_t i = 1024; i < 1280; ++i) x[i] = 0.0f;
  std::vector<uint8_t> want(row_bytes(tensor_type_info(TensorType::kQ8_K), x.size()));
  quantize_row_q8_k(x.data(), want.data(), x.size());
  auto got = quantize(TensorType::kQ8_K, x);
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], want[i]) << "byte " << i;
}

TEST(Quant, KTypesDequantizeByTheirLayout) {
  // A hand-built Q6_K block: d = 0.5, scales[s] = s + 1, every 6-bit value q = 33 (so q - 32 = 1).
  BlockQ6_K b6{};
  b6.d = fp32_to_fp16(0.5f);
  for (int s = 0; s < 16; ++s) b6.scales[s] = static_cast<int8_t>(s + 1);
  for (auto& v : b6.ql) v = 0x11;  // low nibbles 1
  for (auto& v : b6.qh) v = 0xAA;  // high bits 2 in every 2-bit field -> 32 + 1 = 33
  float y[256];
  kernels_for(TensorType::kQ6_K).dequantize(&b6, y, 256);
  // Element i belongs to sub-block i / 16, so its value is 0.5 * (i/16 + 1) * 1.
  for (int i = 0; i < 256; ++i) ASSERT_FLOAT_EQ(y[i], 0.5f * static_cast<float>(i / 16 + 1)) << i;

  // A hand-built Q4_K block: d = 1, dmin = 0.25, sub-block j has scale j + 1 and min 2, q = 3.
  BlockQ4_K b4{};
  b4.d = fp32_to_fp16(1.0f);
  b4.dmin = fp32_to_fp16(0.25f);
  uint8_t sc[8], mn[8];
  for (int j = 0; j < 8; ++j) sc[j] = static_cast<uint8_t>(j + 1), mn[j] = 2;
  for (int j = 0; j < 4; ++j) {
    b4.scales[j] = sc[j];
    b4.scales[j + 4] = mn[j];
  }
  for (int j = 4; j < 8; ++j) {
    b4.scales[j + 4] = static_cast<uint8_t>((sc[j] & 0x0f) | ((mn[j] & 0x0f) << 4));
    b4.scales[j - 4] |= static_cast<uint8_t>((sc[j] >> 4) << 6);
    b4.scales[j] |= static_cast<uint8_t>((mn[j] >> 4) << 6);
  }
  for (auto& v : b4.qs) v = 0x33;
  kernels_for(TensorType::kQ4_K).dequantize(&b4, y, 256);
  for (int i = 0; i < 256; ++i) ASSERT_FLOAT_EQ(y[i], static_cast<float>(i / 32 + 1) * 3.0f - 0.5f) << i;
}

}  // namespace
}  // namespace hearth::engine
