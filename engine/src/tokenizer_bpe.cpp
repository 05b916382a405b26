// Byte-level BPE (tokenizer.ggml.model = "gpt2": Qwen2, Llama-3 and GPT-2 family files).
//
// Text is split into pre-tokens by the pattern of the model family, each pre-token's bytes are
// written in GPT-2's printable byte alphabet, and adjacent symbols are merged in the order of
// tokenizer.ggml.merges until no listed pair is left.
//
// Pre-tokenizer: the Llama-3 / Qwen2 pattern
//   's|'t|'re|'ve|'m|'ll|'d (any case) | [^\r\n\p{L}\p{N}]?\p{L}+ | \p{N}{1,n} | ?[^\s\p{L}\p{N}]+[\r\n]*
//   | \s*[\r\n]+ | \s+(?!\S) | \s+
// with n = 3 (Llama-3) or 1 (Qwen2). \p{L} and \p{N} are approximated without Unicode tables:
// ASCII exactly; beyond ASCII, code points are letters except the common punctuation, symbol and
// space blocks, and fullwidth digits are numbers.
#include <array>
#include <climits>

#include "tokenizer_impl.h"

namespace hearth::engine {

namespace {

// GPT-2's byte -> code point mapping: printable bytes stand for themselves, the others are moved
// to 256 and up, so every token is printable text.
const std::array<uint32_t, 256>& byte_to_cp() {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    uint32_t next = 256;
    for (uint32_t b = 0; b < 256; ++b) {
      const bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
      t[b] = printable ? b : next++;
    }
    return t;
  }();
  return table;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

// Decodes one UTF-8 sequence at s[i]; invalid bytes come out as themselves (as code points
// 0xDC80+byte would in Python; here simply the byte value with length 1).
uint32_t next_cp(std::string_view s, size_t i, size_t* len) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 1;
  if (i + n > s.size()) n = 1;
  uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1f) : n == 3 ? (c & 0x0f) : (c & 0x07);
  for (size_t k = 1; k < n; ++k) {
    const unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xc0) != 0x80) {
      *len = 1;
      return c;
    }
    cp = (cp << 6) | (cc & 0x3f);
  }
  *len = n;
  return cp;
}

bool is_space(uint32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' || cp == 0x85 ||
         cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 ||
         cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

bool is_number(uint32_t cp) { return (cp >= '0' && cp <= '9') || (cp >= 0xff10 && cp <= 0xff19); }

bool is_letter(uint32_t cp) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  if (is_space(cp) || is_number(cp)) return false;
  // Punctuation, symbols and marks blocks that are not letters.
  if (cp <= 0xbf) return cp == 0xaa || cp == 0xb5 || cp == 0xba;  // Latin-1 symbols, but ª µ º
  if (cp == 0xd7 || cp == 0xf7) return false;                     // × ÷
  if (cp >= 0x2000 && cp <= 0x2bff) return false;                  // punctuation, arrows, math, shapes
  if (cp >= 0x3000 && cp <= 0x303f) return false;                  // CJK punctuation
  if (cp >= 0xfe30 && cp <= 0xfe6f) return false;
  if (cp >= 0xff00 && cp <= 0xff20) return false;                  // fullwidth punctuation
  if (cp >= 0x1f000 && cp <= 0x1faff) return false;                // emoji and symbols
  if (cp >= 0xe000 && cp <= 0xf8ff) return false;                  // private use
  return true;
}

// One pre-token's length at text[i].
size_t pretoken_length(std::string_view t, size_t i, int max_digits) {
  size_t len;
  auto cp_at = [&](size_t at, size_t* l) { return next_cp(t, at, l); };
  const uint32_t c = cp_at(i, &len);
  // Contractions.
  if (c == '\'' && i + 1 < t.size()) {
    auto lower = [](char x) { return static_cast<char>(x >= 'A' && x <= 'Z' ? x + 32 : x); };
    const char a = lower(t[i + 1]), b = i + 2 < t.size() ? lower(t[i + 2]) : 0;
    if (a == 's' || a == 't' || a == 'm' || a == 'd') return 2;
    if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return 3;
  }
  // [^\r\n\p{L}\p{N}]?\p{L}+
  {
    size_t j = i;
    if (!is_letter(c) && c != '\r' && c != '\n' && !is_number(c)) j += len;
    size_t k = j, l2;
    while (k < t.size() && is_letter(cp_at(k, &l2))) k += l2;
    if (k > j) return k - i;
  }
  // \p{N}{1,max}
  if (is_number(c)) {
    size_t k = i, l2;
    for (int d = 0; d < max_digits && k < t.size() && is_number(cp_at(k, &l2)); ++d) k += l2;
    return k - i;
  }
  // ' '?[^\s\p{L}\p{N}]+[\r\n]*
  {
    size_t j = i;
    if (c == ' ') j += 1;
    size_t k = j, l2;
    while (k < t.size()) {
      const uint32_t x = cp_at(k, &l2);
      if (is_space(x) || is_letter(x) || is_number(x)) break;
      k += l2;
    }
    if (k > j) {
      while (k < t.size() && (t[k] == '\r' || t[k] == '\n')) ++k;
      return k - i;
    }
  }
  // \s*[\r\n]+ : the longest whitespace run that ends in a newline.
  {
    size_t k = i, l2, last_newline_end = 0;
    while (k < t.size()) {
      const uint32_t x = cp_at(k, &l2);
      if (!is_space(x)) break;
      k += l2;
      if (x == '\r' || x == '\n') last_newline_end = k;
    }
    if (last_newline_end > i) return last_newline_end - i;
    // \s+(?!\S): all of the run if it reaches the end, else all but its last character.
    if (k > i) {
      if (k == t.size()) return k - i;
      size_t last_start = i, p = i;
      while (p < k) {
        last_start = p;
        cp_at(p, &l2);
        p += l2;
      }
      return last_start > i ? last_start - i : k - i;  // \s+ when the run is one character
    }
  }
  return len;  // unreachable for valid input; one character as a token
}

}  // namespace

void bpe_tokenize(const Tokenizer::Impl& v, std::string_view text, std::vector<int32_t>& out) {
  const auto& to_cp = byte_to_cp();
  for (size_t i = 0; i < text.size();) {
    const size_t n = pretoken_length(text, i, v.bpe_max_digits);
    // Symbols: one per byte, in GPT-2's alphabet.
    std::vector<std::string> symbols;
    for (size_t k = i; k < i + n; ++k) {
      std::string s;
      append_utf8(s, to_cp[static_cast<unsigned char>(text[k])]);
      symbols.push_back(std::move(s));
    }
    i += n;
    // Merge the lowest-ranked adjacent pair until none is listed.
    while (symbols.size() > 1) {
      int best_rank = INT_MAX;
      size_t best = 0;
      for (size_t k = 0; k + 1 < symbols.size(); ++k) {
        auto it = v.merge_ranks.find(symbols[k] + " " + symbols[k + 1]);
        if (it != v.merge_ranks.end() && it->second < best_rank) {
          best_rank = it->second;
          best = k;
        }
      }
      if (best_rank == INT_MAX) break;
      symbols[best] += symbols[best + 1];
      symbols.erase(symbols.begin() + static_cast<long>(best) + 1);
    }
    for (const auto& s : symbols) {
      const int32_t id = v.lookup(s);
      if (id >= 0) {
        out.push_back(id);
      } else if (v.unk >= 0) {
        out.push_back(v.unk);
      }
    }
  }
}

std::string bpe_decode_token(const std::string& token_text) {
  static const std::array<int, 512> from_cp = [] {
    std::array<int, 512> t{};
    t.fill(-1);
    const auto& to = byte_to_cp();
    for (int b = 0; b < 256; ++b) t[to[b]] = b;
    return t;
  }();
  std::string out;
  for (size_t i = 0; i < token_text.size();) {
    size_t len;
    const uint32_t cp = next_cp(token_text, i, &len);
    if (cp < from_cp.size() && from_cp[cp] >= 0) out += static_cast<char>(from_cp[cp]);
    else out.append(token_text, i, len);  // not in the byte alphabet: keep as is
    i += len;
  }
  return out;
}

}  // namespace hearth::engine
