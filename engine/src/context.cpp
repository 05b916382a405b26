// The forward pass of llama-family models, batched over prompt tokens.
//
// Per layer, for a batch of n tokens at positions pos0 .. pos0+n-1 (shapes as (tokens, width)):
//   xb = rmsnorm(x) * attn_norm                    (n, E)
//   q, k, v = xb Wq^T (+bq), xb Wk^T (+bk), xb Wv^T (+bv)   (n, E), (n, KV), (n, KV)
//   rope(q), rope(k); k, v -> KV cache
//   att = softmax(q k^T / sqrt(hd), causal) v      per head; KV head = head / (n_head / n_head_kv)
//   x += att Wo^T
//   xb = rmsnorm(x) * ffn_norm
//   x += (silu(xb Wg^T) * (xb Wu^T)) Wd^T
// then logits = rmsnorm(x) * output_norm Wout^T.
// reference_forward.cpp holds the same computation for one token in plain loops (the oracle).
#include <algorithm>
#include <cmath>
#include <cstring>

#include "hearth/engine/context.h"
#include "fp16.h"
#include "kernels.h"
#include "matmul.h"
#include "quant_blocks.h"
#include "thread_pool.h"

namespace hearth::engine {

struct Context::State {
  explicit State(int n_threads) : pool(n_threads), mm(pool) {}
  ThreadPool pool;
  Matmul mm;
  // F16 by default, as llama.cpp keeps it; the attention then rounds q and the softmax weights to
  // F16 too, as its F16 matrix products do, so logits agree with it closely. Or Q8_0 blocks.
  KvType kv_type = KvType::kF16;
  size_t kv_row_bytes = 0;                 // bytes of one position's kv_dim values
  std::vector<uint8_t> k_cache, v_cache;   // (n_layer, n_ctx, kv_row_bytes)
  // Scratch for one batch of up to n_batch tokens.
  std::vector<float> x, xb, q, k, v, att, gate, up, scores;
  std::vector<float> rope_cs;     // per token of the batch: head_dim RoPE cos/sin values
  std::vector<uint8_t> embd_row;  // one embedding row taken out of an interleaved group
  uint32_t n_batch = 0;
};

namespace {

void rmsnorm(float* out, const float* x, const float* weight, size_t n, float eps) {
  double ss = 0.0;  // ggml accumulates the sum of squares in double
  for (size_t i = 0; i < n; ++i) ss += static_cast<double>(x[i]) * x[i];
  const float scale = 1.0f / std::sqrt(static_cast<float>(ss / static_cast<double>(n)) + eps);
  for (size_t i = 0; i < n; ++i) out[i] = x[i] * scale * weight[i];
}

// The rotation of position pos: cs[2i], cs[2i + 1] = cos, sin of pos * base^(-2i / head_dim)
// for i < head_dim / 2. The same for every head and layer, so computed once per token.
void rope_angles(float* cs, uint32_t head_dim, uint32_t pos, float freq_base) {
  const float theta_scale = std::pow(freq_base, -2.0f / static_cast<float>(head_dim));
  float theta = static_cast<float>(pos);
  for (uint32_t i = 0; i < head_dim / 2; ++i) {
    cs[2 * i] = std::cos(theta);
    cs[2 * i + 1] = std::sin(theta);
    theta *= theta_scale;
  }
}

// Rotates one head vector in place by the angles of rope_angles.
void rope(float* v, const float* cs, uint32_t head_dim, RopeStyle style) {
  const uint32_t half = head_dim / 2;
  for (uint32_t i = 0; i < half; ++i) {
    const float c = cs[2 * i], s = cs[2 * i + 1];
    const uint32_t a = style == RopeStyle::kNormal ? 2 * i : i;
    const uint32_t b = style == RopeStyle::kNormal ? 2 * i + 1 : i + half;
    const float x0 = v[a], x1 = v[b];
    v[a] = x0 * c - x1 * s;
    v[b] = x0 * s + x1 * c;
  }
}

const float* f32(const Weight& w) { return reinterpret_cast<const float*>(w.data); }

}  // namespace

Result<std::unique_ptr<Context>> Context::create(std::shared_ptr<const Model> model, const ContextOptions& options) {
  if (!model) return fail(ErrorCode::kInvalidArgument, "no model");
  const ModelHparams& hp = model->hparams();
  std::unique_ptr<Context> c(new Context());
  c->n_ctx_ = options.n_ctx ? options.n_ctx : std::min<uint32_t>(hp.n_ctx_train, 4096);
  if (c->n_ctx_ > (1u << 20)) return fail(ErrorCode::kInvalidArgument, "context size above 1M tokens");
  const int threads = options.n_threads > 0 ? options.n_threads : physical_core_count();
  if (threads > 256) return fail(ErrorCode::kInvalidArgument, "more than 256 threads");
  c->state_ = std::make_unique<State>(threads);
  State& s = *c->state_;
  s.n_batch = std::max<uint32_t>(1, options.n_batch);
  s.kv_type = options.kv_type;
  if (s.kv_type == KvType::kQ8_0 && hp.head_dim % 32 != 0)
    return fail(ErrorCode::kInvalidArgument, "a Q8_0 KV cache needs a head size that is a multiple of 32; this model's is " +
                                                 std::to_string(hp.head_dim));
  s.kv_row_bytes = s.kv_type == KvType::kQ8_0 ? row_bytes(tensor_type_info(TensorType::kQ8_0), hp.kv_dim())
                                              : hp.kv_dim() * sizeof(uint16_t);
  const size_t kv = static_cast<size_t>(hp.n_layer) * c->n_ctx_ * s.kv_row_bytes;
  s.k_cache.assign(kv, 0);
  s.v_cache.assign(kv, 0);
  const size_t B = s.n_batch;
  s.x.resize(B * hp.n_embd);
  s.xb.resize(B * hp.n_embd);
  s.q.resize(B * hp.n_embd);
  s.k.resize(B * hp.kv_dim());
  s.v.resize(B * hp.kv_dim());
  s.att.resize(B * hp.n_embd);
  s.gate.resize(B * hp.n_ff);
  s.up.resize(B * hp.n_ff);
  s.scores.resize(static_cast<size_t>(threads) * c->n_ctx_);
  s.rope_cs.resize(B * hp.head_dim);
  c->model_ = std::move(model);
  return c;
}

Context::~Context() = default;

int Context::n_threads() const { return state_->pool.size(); }

uint64_t Context::kv_bytes() const { return state_->k_cache.size() + state_->v_cache.size(); }

KvType Context::kv_type() const { return state_->kv_type; }

void Context::truncate(size_t n) {
  if (n < tokens_.size()) tokens_.resize(n);
}

Result<std::span<const float>> Context::eval(std::span<const int32_t> tokens) {
  auto r = forward(tokens, false);
  if (!r) return Fail(r.error());
  return std::span<const float>(logits_.data(), model_->hparams().n_vocab);
}

Result<std::span<const float>> Context::eval_all(std::span<const int32_t> tokens) {
  auto r = forward(tokens, true);
  if (!r) return Fail(r.error());
  return std::span<const float>(logits_);
}

Result<std::span<const float>> Context::eval_reusing_prefix(std::span<const int32_t> tokens) {
  if (tokens.empty()) return fail(ErrorCode::kInvalidArgument, "no tokens to evaluate");
  size_t common = 0;
  while (common < tokens_.size() && common < tokens.size() && tokens_[common] == tokens[common]) ++common;
  if (common == tokens.size()) --common;  // re-evaluate the last token to get its logits
  truncate(common);
  last_evaluated_ = tokens.size() - common;
  return eval(tokens.subspan(common));
}

Result<void> Context::forward(std::span<const int32_t> tokens, bool all_logits) {
  const ModelHparams& hp = model_->hparams();
  const ModelWeights& W = model_->weights();
  State& s = *state_;
  if (tokens.empty()) return fail(ErrorCode::kInvalidArgument, "no tokens to evaluate");
  if (tokens_.size() + tokens.size() > n_ctx_)
    return fail(ErrorCode::kContextFull, std::to_string(tokens_.size() + tokens.size()) +
                                             " tokens do not fit in the context of " + std::to_string(n_ctx_));
  for (int32_t t : tokens)
    if (t < 0 || static_cast<uint32_t>(t) >= hp.n_vocab)
      return fail(ErrorCode::kInvalidArgument,
                  "token id " + std::to_string(t) + " is outside the vocabulary (0.." + std::to_string(hp.n_vocab - 1) + ")");

  const uint32_t E = hp.n_embd, KV = hp.kv_dim(), F = hp.n_ff, V = hp.n_vocab, HD = hp.head_dim;
  const uint32_t group = hp.n_head / hp.n_head_kv;
  const float att_scale = 1.0f / std::sqrt(static_cast<float>(HD));
  const auto dequant_embd = kernels_for(W.token_embd.type).dequantize;
  const VectorOps& ops = vector_ops();
  logits_.resize(all_logits ? tokens.size() * V : V);

  for (size_t b0 = 0; b0 < tokens.size(); b0 += s.n_batch) {
    const size_t n = std::min<size_t>(s.n_batch, tokens.size() - b0);
    const uint32_t pos0 = static_cast<uint32_t>(tokens_.size());
    for (size_t t = 0; t < n; ++t) {
      const uint64_t id = static_cast<uint64_t>(tokens[b0 + t]);
      if (W.token_embd.interleaved) {
        // A tied embedding stored for the output matmul: its row comes out of its group first.
        s.embd_row.resize(W.token_embd.row_bytes);
        kernels_for(W.token_embd.type).row_of_group(W.token_embd.row(id / 8 * 8), W.token_embd.row_bytes, E, id % 8,
                                                    s.embd_row.data());
        dequant_embd(s.embd_row.data(), &s.x[t * E], E);
      } else {
        dequant_embd(W.token_embd.row(id), &s.x[t * E], E);
      }
    }

    // Work done token by token (norms, RoPE, the KV cache writes) runs over the pool too: with
    // small models it is a large share of a prompt, and each token's rows are its own.
    auto per_token = [&](const auto& fn) {
      if (n == 1) return fn(size_t{0});
      s.pool.parallel_for(n, 1, [&](size_t begin, size_t end, int) {
        for (size_t t = begin; t < end; ++t) fn(t);
      });
    };
    per_token([&](size_t t) {
      rope_angles(&s.rope_cs[t * HD], HD, pos0 + static_cast<uint32_t>(t), hp.rope_freq_base);
    });
    for (uint32_t l = 0; l < hp.n_layer; ++l) {
      const LayerWeights& L = W.layers[l];
      const size_t RB = s.kv_row_bytes;
      uint8_t* kc = &s.k_cache[static_cast<size_t>(l) * n_ctx_ * RB];
      uint8_t* vc = &s.v_cache[static_cast<size_t>(l) * n_ctx_ * RB];
      const bool q8_kv = s.kv_type == KvType::kQ8_0;
      const TypeKernels& q8 = kernels_for(TensorType::kQ8_0);

      per_token([&](size_t t) { rmsnorm(&s.xb[t * E], &s.x[t * E], f32(L.attn_norm), E, hp.rms_eps); });
      const MatmulTask qkv[] = {{&L.wq, s.xb.data(), s.q.data(), E},
                                {&L.wk, s.xb.data(), s.k.data(), KV},
                                {&L.wv, s.xb.data(), s.v.data(), KV}};
      s.mm.run(qkv, n);
      per_token([&](size_t t) {
        if (hp.qkv_bias) {
          for (uint32_t i = 0; i < E; ++i) s.q[t * E + i] += f32(L.bq)[i];
          for (uint32_t i = 0; i < KV; ++i) s.k[t * KV + i] += f32(L.bk)[i];
          for (uint32_t i = 0; i < KV; ++i) s.v[t * KV + i] += f32(L.bv)[i];
        }
        const uint32_t pos = pos0 + static_cast<uint32_t>(t);
        const float* cs = &s.rope_cs[t * HD];
        for (uint32_t h = 0; h < hp.n_head; ++h) rope(&s.q[t * E + h * HD], cs, HD, hp.rope_style);
        for (uint32_t h = 0; h < hp.n_head_kv; ++h) rope(&s.k[t * KV + h * HD], cs, HD, hp.rope_style);
        uint8_t* krow = kc + static_cast<size_t>(pos) * RB;
        uint8_t* vrow = vc + static_cast<size_t>(pos) * RB;
        if (q8_kv) {
          q8.quantize(&s.k[t * KV], krow, KV);
          q8.quantize(&s.v[t * KV], vrow, KV);
        } else {
          ops.to_f16(&s.k[t * KV], reinterpret_cast<uint16_t*>(krow), KV);
          ops.to_f16(&s.v[t * KV], reinterpret_cast<uint16_t*>(vrow), KV);
        }
      });

      // Attention, one (token, head) pair per work item.
      s.pool.parallel_for(n * hp.n_head, 1, [&](size_t begin, size_t end, int ith) {
        float* scores = &s.scores[static_cast<size_t>(ith) * n_ctx_];
        for (size_t it = begin; it < end; ++it) {
          const size_t t = it / hp.n_head;
          const uint32_t h = static_cast<uint32_t>(it % hp.n_head);
          const uint32_t kvh = h / group;
          const uint32_t n_keys = pos0 + static_cast<uint32_t>(t) + 1;  // causal
          // q in the cache's precision: F16 values, or Q8_0 blocks for the Q8_0 dot product.
          float q[512];
          BlockQ8_0 q_blocks[512 / 32];
          if (q8_kv) q8.quantize(&s.q[t * E + h * HD], q_blocks, HD);
          else
            for (uint32_t i = 0; i < HD; ++i) q[i] = fp16_to_fp32(fp32_to_fp16(s.q[t * E + h * HD + i]));
          const size_t head_offset = q8_kv ? kvh * HD / 32 * sizeof(BlockQ8_0) : kvh * HD * sizeof(uint16_t);
          float* out = &s.att[t * E + h * HD];
          if (q8_kv) attend_q8_0(q_blocks, kc + head_offset, vc + head_offset, RB, n_keys, HD, att_scale, scores, out);
          else ops.attend_f16(q, kc + head_offset, vc + head_offset, RB, n_keys, HD, att_scale, scores, out);
        }
      });

      const MatmulTask wo[] = {{&L.wo, s.att.data(), s.xb.data(), E}};
      s.mm.run(wo, n);
      per_token([&](size_t t) {
        for (size_t i = t * E; i < (t + 1) * E; ++i) s.x[i] += s.xb[i];
        rmsnorm(&s.xb[t * E], &s.x[t * E], f32(L.ffn_norm), E, hp.rms_eps);
      });
      const MatmulTask gate_up[] = {{&L.w_gate, s.xb.data(), s.gate.data(), F}, {&L.w_up, s.xb.data(), s.up.data(), F}};
      s.mm.run(gate_up, n);
      ops.silu_mul(s.gate.data(), s.up.data(), n * F);
      const MatmulTask down[] = {{&L.w_down, s.gate.data(), s.xb.data(), E}};
      s.mm.run(down, n);
      for (size_t i = 0; i < n * E; ++i) s.x[i] += s.xb[i];
    }

    // Output: every token's logits, or only the last token of the last batch.
    const size_t first = all_logits ? 0 : n - 1;
    if (all_logits || b0 + n == tokens.size()) {
      for (size_t t = first; t < n; ++t) rmsnorm(&s.xb[t * E], &s.x[t * E], f32(W.output_norm), E, hp.rms_eps);
      float* dst = all_logits ? &logits_[b0 * V] : logits_.data();
      const MatmulTask out[] = {{&W.output, &s.xb[first * E], dst, V}};
      s.mm.run(out, n - first);
    }
    tokens_.insert(tokens_.end(), tokens.begin() + b0, tokens.begin() + b0 + n);
  }
  return {};
}

}  // namespace hearth::engine
