#include "hearth/engine/tokenizer.h"

#include <sentencepiece_processor.h>

#include <algorithm>

#include "hearth/engine/gguf.h"
#include "tokenizer_impl.h"

namespace hearth::engine {

namespace {

const std::string kSpaceMarker = "\xe2\x96\x81";  // U+2581, SentencePiece's visible space

std::string escape_spaces(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 2);
  for (char c : text) {
    if (c == ' ') out += kSpaceMarker;
    else out += c;
  }
  return out;
}

std::string unescape_spaces(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (text.compare(i, kSpaceMarker.size(), kSpaceMarker) == 0) {
      out += ' ';
      i += kSpaceMarker.size();
    } else {
      out += text[i++];
    }
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Longest first, so "<|im_start|>" wins over a shorter special token it begins with.
void sort_special_tokens(Tokenizer::Impl& impl) {
  std::stable_sort(impl.special_ids.begin(), impl.special_ids.end(),
                   [&](int32_t a, int32_t b) { return impl.texts[a].size() > impl.texts[b].size(); });
}

}  // namespace

Tokenizer::Tokenizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Tokenizer::~Tokenizer() = default;

Result<std::unique_ptr<Tokenizer>> Tokenizer::from_gguf(const GgufFile& file) {
  auto impl = std::make_unique<Impl>();
  const std::string where = file.path() + ": ";
  auto model = file.get_string("tokenizer.ggml.model");
  if (!model) return fail(ErrorCode::kBadFormat, where + "no tokenizer in the file (tokenizer.ggml.model is missing)");
  impl->model = *model;
  if (impl->model != "llama" && impl->model != "gpt2")
    return fail(ErrorCode::kUnsupported,
                where + "tokenizer.ggml.model '" + impl->model + "' is not supported (supported: llama, gpt2)");
  const bool bpe = impl->model == "gpt2";
  const GgufArray* tokens = file.get_array("tokenizer.ggml.tokens");
  if (!tokens || tokens->element_type != GgufValueType::kString || tokens->strings.empty())
    return fail(ErrorCode::kBadFormat, where + "tokenizer.ggml.tokens is missing or not a list of strings");
  const size_t n = tokens->strings.size();
  if (n > static_cast<size_t>(INT32_MAX)) return fail(ErrorCode::kBadFormat, where + "vocabulary is too large");
  impl->texts = tokens->strings;
  impl->scores.assign(n, 0.0f);
  impl->kinds.assign(n, TokenKind::kNormal);
  if (const GgufArray* scores = file.get_array("tokenizer.ggml.scores")) {
    if (scores->size() != n || scores->element_type == GgufValueType::kString)
      return fail(ErrorCode::kBadFormat, where + "tokenizer.ggml.scores has " + std::to_string(scores->size()) +
                                             " entries for " + std::to_string(n) + " tokens");
    for (size_t i = 0; i < n; ++i) impl->scores[i] = static_cast<float>(scores->numbers[i]);
  }
  if (const GgufArray* types = file.get_array("tokenizer.ggml.token_type")) {
    if (types->size() != n || types->element_type == GgufValueType::kString)
      return fail(ErrorCode::kBadFormat, where + "tokenizer.ggml.token_type has " + std::to_string(types->size()) +
                                             " entries for " + std::to_string(n) + " tokens");
    for (size_t i = 0; i < n; ++i) {
      const double t = types->numbers[i];
      impl->kinds[i] = (t >= 0 && t <= 6) ? static_cast<TokenKind>(static_cast<int32_t>(t)) : TokenKind::kNormal;
    }
  }
  for (size_t i = 0; i < n; ++i) impl->ids.emplace(impl->texts[i], static_cast<int32_t>(i));

  auto special = [&](const char* key, int32_t fallback) -> Result<int32_t> {
    const GgufValue* v = file.find(key);
    if (!v) return fallback;
    auto id = v->as_int();
    if (!id || *id < 0 || *id >= static_cast<int64_t>(n))
      return fail(ErrorCode::kBadFormat, where + key + " is not a token id below " + std::to_string(n));
    return static_cast<int32_t>(*id);
  };
  auto bos = special("tokenizer.ggml.bos_token_id", !bpe && n > 1 ? 1 : -1);
  auto eos = special("tokenizer.ggml.eos_token_id", !bpe && n > 2 ? 2 : -1);
  auto eot = special("tokenizer.ggml.eot_token_id", -1);
  auto unk = special("tokenizer.ggml.unknown_token_id", bpe ? -1 : 0);
  for (auto* r : {&bos, &eos, &eot, &unk})
    if (!*r) return Fail(r->error());
  impl->bos = bos.value();
  impl->eos = eos.value();
  impl->eot = eot.value();
  impl->unk = unk.value();
  impl->add_bos = !bpe;  // SentencePiece models start with BOS; byte-level BPE ones say so if they do
  if (const GgufValue* v = file.find("tokenizer.ggml.add_bos_token"); v && std::holds_alternative<bool>(v->value))
    impl->add_bos = std::get<bool>(v->value);
  if (bpe) {
    impl->add_space_prefix = false;
    const GgufArray* merges = file.get_array("tokenizer.ggml.merges");
    if (!merges || merges->element_type != GgufValueType::kString)
      return fail(ErrorCode::kBadFormat, where + "a gpt2 tokenizer needs tokenizer.ggml.merges (a list of strings)");
    for (size_t i = 0; i < merges->strings.size(); ++i) {
      if (merges->strings[i].find(' ') == std::string::npos)
        return fail(ErrorCode::kBadFormat, where + "merge " + std::to_string(i) + " is not two symbols separated by a space");
      impl->merge_ranks.emplace(merges->strings[i], static_cast<int>(i));
    }
    impl->bpe_max_digits = file.get_string("tokenizer.ggml.pre").value_or("") == "qwen2" ? 1 : 3;
  }
  if (const GgufValue* v = file.find("tokenizer.ggml.add_space_prefix"); v && std::holds_alternative<bool>(v->value))
    impl->add_space_prefix = std::get<bool>(v->value);

  for (size_t i = 0; i < n; ++i)
    if ((impl->kinds[i] == TokenKind::kControl || impl->kinds[i] == TokenKind::kUserDefined) && !impl->texts[i].empty())
      impl->special_ids.push_back(static_cast<int32_t>(i));
  sort_special_tokens(*impl);
  return std::unique_ptr<Tokenizer>(new Tokenizer(std::move(impl)));
}

Result<std::unique_ptr<Tokenizer>> Tokenizer::from_sentencepiece(const std::string& model_path) {
  auto sp = std::make_shared<sentencepiece::SentencePieceProcessor>();
  const auto status = sp->Load(model_path);
  if (!status.ok()) return fail(ErrorCode::kBadFormat, model_path + ": not a SentencePiece model: " + status.ToString());
  auto impl = std::make_unique<Impl>();
  impl->model = "llama";
  const int n = sp->GetPieceSize();
  for (int i = 0; i < n; ++i) {
    impl->texts.push_back(sp->IdToPiece(i));
    impl->scores.push_back(sp->GetScore(i));
    impl->kinds.push_back(sp->IsControl(i)   ? TokenKind::kControl
                          : sp->IsUnknown(i) ? TokenKind::kUnknown
                          : sp->IsByte(i)    ? TokenKind::kByte
                          : sp->IsUnused(i)  ? TokenKind::kUnused
                                             : TokenKind::kNormal);
    impl->ids.emplace(impl->texts.back(), i);
  }
  impl->bos = sp->bos_id();
  impl->eos = sp->eos_id();
  impl->unk = sp->unk_id();
  for (int32_t i = 0; i < n; ++i)
    if (impl->kinds[i] == TokenKind::kControl && !impl->texts[i].empty()) impl->special_ids.push_back(i);
  sort_special_tokens(*impl);
  impl->sp = std::move(sp);
  return std::unique_ptr<Tokenizer>(new Tokenizer(std::move(impl)));
}

std::vector<int32_t> Tokenizer::encode(std::string_view text, bool add_bos, bool parse_special) const {
  const Impl& v = *impl_;
  std::vector<int32_t> out;
  if (add_bos && v.add_bos && v.bos >= 0) out.push_back(v.bos);
  if (text.empty()) return out;

  // Split out special tokens: user-defined always, control tokens only when asked.
  bool prev_special = true;  // the first fragment gets the space prefix
  size_t start = 0, pos = 0;
  auto flush_text = [&](size_t end) {
    if (end <= start) return;
    std::string fragment(text.substr(start, end - start));
    if (v.model == "gpt2") {
      bpe_tokenize(v, fragment, out);
    } else if (v.sp) {
      std::vector<int> ids;
      (void)v.sp->Encode(fragment, &ids);  // cannot fail on a loaded model
      out.insert(out.end(), ids.begin(), ids.end());
    } else {
      if (v.add_space_prefix && prev_special) fragment.insert(fragment.begin(), ' ');
      spm_tokenize(v, escape_spaces(fragment), out);
    }
    prev_special = false;
  };
  while (pos < text.size()) {
    int32_t match = -1;
    for (int32_t id : v.special_ids) {
      if (v.kinds[id] == TokenKind::kControl && !parse_special) continue;
      const std::string& t = v.texts[id];
      if (text.compare(pos, t.size(), t) == 0) {
        match = id;
        break;
      }
    }
    if (match < 0) {
      ++pos;
      continue;
    }
    flush_text(pos);
    out.push_back(match);
    prev_special = true;
    pos += v.texts[match].size();
    start = pos;
  }
  flush_text(text.size());
  return out;
}

std::vector<int32_t> Tokenizer::encode_continuation(std::string_view text) const {
  std::vector<int32_t> out;
  if (text.empty()) return out;
  if (impl_->model == "gpt2") bpe_tokenize(*impl_, text, out);
  else spm_tokenize(*impl_, escape_spaces(text), out);
  return out;
}

std::string Tokenizer::piece(int32_t id, bool show_special) const {
  const Impl& v = *impl_;
  if (id < 0 || id >= static_cast<int32_t>(v.texts.size())) return {};
  const std::string& t = v.texts[id];
  switch (v.kinds[id]) {
    case TokenKind::kByte:
      if (t.size() == 6 && t.rfind("<0x", 0) == 0 && t[5] == '>') {
        int hi = hex_value(t[3]), lo = hex_value(t[4]);
        if (hi >= 0 && lo >= 0) return std::string(1, static_cast<char>(hi * 16 + lo));
      }
      return t;
    case TokenKind::kControl:
      return show_special ? t : std::string();
    case TokenKind::kUnknown:
      return show_special ? t : std::string("\xe2\x96\x85");  // ▅, as llama.cpp shows unknown tokens
    case TokenKind::kUserDefined:
      return t;
    default:
      return v.model == "gpt2" ? bpe_decode_token(t) : unescape_spaces(t);
  }
}

std::string Tokenizer::decode(std::span<const int32_t> ids, bool show_special) const {
  std::string out;
  for (int32_t id : ids) out += piece(id, show_special);
  return out;
}

int32_t Tokenizer::n_vocab() const { return static_cast<int32_t>(impl_->texts.size()); }
int32_t Tokenizer::bos() const { return impl_->bos; }
int32_t Tokenizer::eos() const { return impl_->eos; }
int32_t Tokenizer::eot() const { return impl_->eot; }
bool Tokenizer::is_end_of_generation(int32_t id) const { return id >= 0 && (id == impl_->eos || id == impl_->eot); }
const std::string& Tokenizer::token_text(int32_t id) const {
  static const std::string kEmpty;
  return id >= 0 && id < n_vocab() ? impl_->texts[id] : kEmpty;
}
TokenKind Tokenizer::token_kind(int32_t id) const {
  return id >= 0 && id < n_vocab() ? impl_->kinds[id] : TokenKind::kUndefined;
}
int32_t Tokenizer::find(std::string_view token_text) const { return impl_->lookup(std::string(token_text)); }
const std::string& Tokenizer::model_kind() const { return impl_->model; }

}  // namespace hearth::engine
