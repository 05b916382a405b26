#include "hearth/engine/model.h"

#include <algorithm>
#include <cstring>
#include <map>

#include "hearth/engine/tokenizer.h"
#include "kernels.h"
#include "weight_memory.h"

namespace hearth::engine {

namespace {

struct Loader {
  const GgufFile& file;
  const std::string where;
  uint64_t bytes = 0;

  // A tensor that must exist with exactly cols x rows elements (ggml dims {cols, rows}).
  Result<Weight> weight(const std::string& name, uint64_t cols, uint64_t rows, bool required = true) {
    const GgufTensorInfo* t = file.find_tensor(name);
    if (!t) {
      if (!required) return Weight{};
      return fail(ErrorCode::kMissingTensor, where + "tensor '" + name + "' is missing");
    }
    const uint64_t t_rows = t->dims.size() > 1 ? t->dims[1] : 1;
    bool shape_ok = t->dims[0] == cols && t_rows == rows;
    for (size_t d = 2; d < t->dims.size(); ++d) shape_ok = shape_ok && t->dims[d] == 1;
    if (!shape_ok) {
      std::string dims;
      for (auto d : t->dims) dims += (dims.empty() ? "" : " x ") + std::to_string(d);
      return fail(ErrorCode::kMissingTensor, where + "tensor '" + name + "' has shape " + dims + ", expected " +
                                                 std::to_string(cols) + " x " + std::to_string(rows));
    }
    const TensorTypeInfo& info = tensor_type_info(t->type);
    Weight w;
    w.type = t->type;
    w.data = file.tensor_data(*t);
    w.rows = rows;
    w.cols = cols;
    w.row_bytes = row_bytes(info, cols);
    bytes += t->n_bytes;
    return w;
  }

  // Norm vectors and biases are read as F32 by the forward pass.
  Result<Weight> vector(const std::string& name, uint64_t n, bool required = true) {
    auto w = weight(name, n, 1, required);
    if (!w) return w;
    if (w->data && w->type != TensorType::kF32)
      return fail(ErrorCode::kUnsupported, where + "tensor '" + name + "' is " +
                                               std::string(tensor_type_info(w->type).name) + "; norms and biases must be F32");
    return w;
  }
};

Result<uint32_t> hparam(const GgufFile& f, const std::string& key, std::optional<uint32_t> fallback = std::nullopt) {
  const GgufValue* v = f.find(key);
  if (!v) {
    if (fallback) return *fallback;
    return fail(ErrorCode::kBadFormat, f.path() + ": metadata '" + key + "' is missing");
  }
  auto u = v->as_uint();
  if (!u || *u == 0 || *u > (1u << 30))
    return fail(ErrorCode::kBadFormat, f.path() + ": metadata '" + key + "' must be a positive integer");
  return static_cast<uint32_t>(*u);
}

}  // namespace

Model::~Model() = default;

Result<std::shared_ptr<const Model>> Model::load(const std::string& path) {
  auto file = GgufFile::open(path);
  if (!file) return Fail(file.error());
  return from_gguf(std::move(file).value());
}

Result<std::shared_ptr<const Model>> Model::from_gguf(std::unique_ptr<GgufFile> file) {
  std::shared_ptr<Model> m(new Model());
  const GgufFile& f = *file;
  const std::string where = f.path() + ": ";
  ModelHparams& hp = m->hp_;
  auto arch = f.get_string("general.architecture");
  if (!arch) return fail(ErrorCode::kBadFormat, where + "metadata 'general.architecture' is missing");
  hp.architecture = *arch;
  if (hp.architecture != "llama" && hp.architecture != "qwen2")
    return fail(ErrorCode::kUnsupported,
                where + "architecture '" + hp.architecture + "' is not supported (supported: llama, qwen2)");
  hp.name = f.get_string("general.name").value_or("");
  const std::string a = hp.architecture + ".";

  auto get = [&](const std::string& key, std::optional<uint32_t> fb, uint32_t& out) -> Result<void> {
    auto v = hparam(f, key, fb);
    if (!v) return Fail(v.error());
    out = v.value();
    return {};
  };
  for (auto r : {get(a + "embedding_length", {}, hp.n_embd), get(a + "block_count", {}, hp.n_layer),
                 get(a + "feed_forward_length", {}, hp.n_ff), get(a + "attention.head_count", {}, hp.n_head),
                 get(a + "context_length", 2048u, hp.n_ctx_train)}) {
    if (!r) return Fail(r.error());
  }
  if (auto r = get(a + "attention.head_count_kv", hp.n_head, hp.n_head_kv); !r) return Fail(r.error());
  if (hp.n_embd % hp.n_head != 0)
    return fail(ErrorCode::kBadFormat, where + "embedding length " + std::to_string(hp.n_embd) +
                                           " is not a multiple of the head count " + std::to_string(hp.n_head));
  if (hp.n_head % hp.n_head_kv != 0)
    return fail(ErrorCode::kBadFormat, where + "head count " + std::to_string(hp.n_head) +
                                           " is not a multiple of the KV head count " + std::to_string(hp.n_head_kv));
  hp.head_dim = hp.n_embd / hp.n_head;
  if (hp.head_dim % 2 != 0 || hp.head_dim > 512)
    return fail(ErrorCode::kUnsupported, where + "head size " + std::to_string(hp.head_dim) + " must be even and at most 512");
  if (auto kl = f.get_uint(a + "attention.key_length"); kl && *kl != hp.head_dim)
    return fail(ErrorCode::kUnsupported, where + "attention.key_length differs from embedding/heads");
  if (auto rd = f.get_uint(a + "rope.dimension_count"); rd && *rd != hp.head_dim)
    return fail(ErrorCode::kUnsupported, where + "partial rotary embeddings (rope.dimension_count " +
                                             std::to_string(*rd) + " < head size) are not supported");
  if (auto fb = f.get_float(a + "rope.freq_base")) hp.rope_freq_base = static_cast<float>(*fb);
  if (auto eps = f.get_float(a + "attention.layer_norm_rms_epsilon")) hp.rms_eps = static_cast<float>(*eps);
  if (!(hp.rope_freq_base > 0.0f) || !(hp.rms_eps > 0.0f))
    return fail(ErrorCode::kBadFormat, where + "rope.freq_base and the RMS epsilon must be positive");
  hp.rope_style = hp.architecture == "qwen2" ? RopeStyle::kNeox : RopeStyle::kNormal;
  hp.qkv_bias = hp.architecture == "qwen2";

  auto tok = Tokenizer::from_gguf(f);
  if (!tok) return Fail(tok.error());
  m->tokenizer_ = std::move(tok).value();
  hp.n_vocab = static_cast<uint32_t>(m->tokenizer_->n_vocab());

  Loader L{f, where};
  ModelWeights& w = m->w_;
  const uint64_t E = hp.n_embd, KV = hp.kv_dim(), F = hp.n_ff, V = hp.n_vocab;
  auto take = [](Result<Weight> r, Weight& out) -> Result<void> {
    if (!r) return Fail(r.error());
    out = r.value();
    return {};
  };
  if (auto r = take(L.weight("token_embd.weight", E, V), w.token_embd); !r) return Fail(r.error());
  // Every layer has at least nine tensors: refuse a block count the file cannot back before
  // allocating for it.
  if (static_cast<uint64_t>(hp.n_layer) * 9 > f.tensors().size())
    return fail(ErrorCode::kMissingTensor, where + "block_count is " + std::to_string(hp.n_layer) + " but the file has only " +
                                               std::to_string(f.tensors().size()) + " tensors");
  w.layers.resize(hp.n_layer);
  for (uint32_t i = 0; i < hp.n_layer; ++i) {
    const std::string p = "blk." + std::to_string(i) + ".";
    LayerWeights& l = w.layers[i];
    for (auto r : {take(L.vector(p + "attn_norm.weight", E), l.attn_norm), take(L.weight(p + "attn_q.weight", E, E), l.wq),
                   take(L.weight(p + "attn_k.weight", E, KV), l.wk), take(L.weight(p + "attn_v.weight", E, KV), l.wv),
                   take(L.weight(p + "attn_output.weight", E, E), l.wo), take(L.vector(p + "ffn_norm.weight", E), l.ffn_norm),
                   take(L.weight(p + "ffn_gate.weight", E, F), l.w_gate), take(L.weight(p + "ffn_up.weight", E, F), l.w_up),
                   take(L.weight(p + "ffn_down.weight", F, E), l.w_down)}) {
      if (!r) return Fail(r.error());
    }
    if (hp.qkv_bias) {
      for (auto r : {take(L.vector(p + "attn_q.bias", E), l.bq), take(L.vector(p + "attn_k.bias", KV), l.bk),
                     take(L.vector(p + "attn_v.bias", KV), l.bv)}) {
        if (!r) return Fail(r.error());
      }
    }
  }
  if (auto r = take(L.vector("output_norm.weight", E), w.output_norm); !r) return Fail(r.error());
  if (auto r = take(L.weight("output.weight", E, V, false), w.output); !r) return Fail(r.error());
  if (!w.output.data) {
    w.output = w.token_embd;
    hp.tied_output = true;
  }
  m->weight_bytes_ = L.bytes;
  m->file_ = std::move(file);
  m->copy_weights();
  return std::shared_ptr<const Model>(std::move(m));
}

void Model::copy_weights() {
  // Every tensor each token reads, in file order, so the mapping is read front to back. The
  // norms and biases are small, but a file the page cache holds in 2 MiB folios maps a whole
  // folio around each one touched: left in the mapping, 49 vectors of 500M kept 86 MiB of it
  // resident. A separate token embedding stays in the mapping (a token reads one row of it, and
  // rows never looked up need not be in memory); a tied one is the output matrix, copied once.
  std::vector<Weight*> weights;
  for (LayerWeights& l : w_.layers)
    for (Weight* w : {&l.attn_norm, &l.wq, &l.wk, &l.wv, &l.wo, &l.bq, &l.bk, &l.bv, &l.ffn_norm, &l.w_gate, &l.w_up,
                      &l.w_down})
      if (w->data) weights.push_back(w);
  weights.push_back(&w_.output_norm);
  weights.push_back(&w_.output);
  std::sort(weights.begin(), weights.end(), [](const Weight* a, const Weight* b) { return a->data < b->data; });
  constexpr size_t kAlign = 64;
  auto padded = [](const Weight* w) { return (w->rows * w->row_bytes + kAlign - 1) / kAlign * kAlign; };
  size_t total = 0;
  for (const Weight* w : weights) total += padded(w);
  auto memory = std::make_unique<WeightMemory>(WeightMemory::allocate(total));
  if (!memory->data()) return;  // not enough memory for it: the weights are read from the mapping
  uint8_t* dst = memory->data();
  for (Weight* w : weights) {
    const auto interleave = w->rows % 8 == 0 ? kernels_for(w->type).interleave : nullptr;
    // The mapping's copy is not read again: its pages leave memory as this one fills, a few
    // hundred kilobytes at a time.
    const uint64_t step = std::max<uint64_t>(8, (uint64_t{256} << 10) / w->row_bytes / 8 * 8);
    for (uint64_t r0 = 0; r0 < w->rows; r0 += step) {
      const uint64_t r1 = std::min(w->rows, r0 + step);
      if (interleave) {
        for (uint64_t r = r0; r < r1; r += 8) interleave(w->row(r), w->row_bytes, w->cols, dst + r * w->row_bytes);
      } else {
        std::memcpy(dst + r0 * w->row_bytes, w->row(r0), (r1 - r0) * w->row_bytes);
      }
      // From the tensor's start: a page shared with the previous piece is released here.
      file_->release(w->data, r1 * w->row_bytes);
    }
    w->data = dst;
    w->interleaved = interleave != nullptr;
    dst += padded(w);
  }
  if (hp_.tied_output) w_.token_embd = w_.output;
  weights_ = std::move(memory);
}

std::string Model::dominant_type() const {
  std::map<std::string, uint64_t> bytes;
  for (const auto& t : file_->tensors()) bytes[std::string(tensor_type_info(t.type).name)] += t.n_bytes;
  std::string best;
  uint64_t most = 0;
  for (const auto& [name, b] : bytes)
    if (b > most) {
      most = b;
      best = name;
    }
  return best;
}

}  // namespace hearth::engine
