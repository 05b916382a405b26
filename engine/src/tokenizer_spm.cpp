// SentencePiece-style tokenisation over a scored vocabulary, as llama.cpp's SPM tokenizer does it:
// start from UTF-8 characters, repeatedly merge the adjacent pair whose concatenation is the
// highest-scoring vocabulary entry (leftmost on ties), then emit each symbol as its token, or
// split it back along its merges, or as byte tokens <0xXX> when nothing matches.
#include <cstdio>
#include <queue>
#include <unordered_map>

#include "tokenizer_impl.h"

namespace hearth::engine {

namespace {

struct Symbol {
  int prev;
  int next;
  const char* text;
  size_t n;
};

struct Bigram {
  int left;
  int right;
  float score;
  size_t size;
};

struct BigramOrder {
  bool operator()(const Bigram& l, const Bigram& r) const {
    return l.score < r.score || (l.score == r.score && l.left > r.left);
  }
};

size_t utf8_len(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c & 0xe0) == 0xc0) return 2;
  if ((c & 0xf0) == 0xe0) return 3;
  if ((c & 0xf8) == 0xf0) return 4;
  return 1;  // a stray continuation byte stands alone
}

class Session {
 public:
  Session(const Tokenizer::Impl& vocab, std::vector<int32_t>& out) : vocab_(vocab), out_(out) {}

  void run(const std::string& text) {
    for (size_t offs = 0; offs < text.size();) {
      size_t len = std::min(utf8_len(static_cast<unsigned char>(text[offs])), text.size() - offs);
      const int index = static_cast<int>(symbols_.size());
      symbols_.push_back({index - 1, offs + len == text.size() ? -1 : index + 1, text.data() + offs, len});
      offs += len;
    }
    for (size_t i = 1; i < symbols_.size(); ++i) try_add_bigram(static_cast<int>(i) - 1, static_cast<int>(i));
    while (!queue_.empty()) {
      Bigram b = queue_.top();
      queue_.pop();
      Symbol& left = symbols_[b.left];
      Symbol& right = symbols_[b.right];
      if (left.n == 0 || right.n == 0 || left.n + right.n != b.size) continue;  // stale
      left.n += right.n;
      right.n = 0;
      left.next = right.next;
      if (right.next >= 0) symbols_[right.next].prev = b.left;
      try_add_bigram(left.prev, b.left);
      try_add_bigram(b.left, left.next);
    }
    for (int i = symbols_.empty() ? -1 : 0; i != -1; i = symbols_[i].next) resegment(symbols_[i]);
  }

 private:
  void try_add_bigram(int left, int right) {
    if (left == -1 || right == -1) return;
    std::string text(symbols_[left].text, symbols_[left].n + symbols_[right].n);
    const int32_t id = vocab_.lookup(text);
    if (id < 0) return;
    queue_.push({left, right, vocab_.scores[id], text.size()});
    rev_merge_[std::move(text)] = {left, right};
  }

  void resegment(const Symbol& s) {
    std::string text(s.text, s.n);
    if (int32_t id = vocab_.lookup(text); id >= 0) {
      out_.push_back(id);
      return;
    }
    auto it = rev_merge_.find(text);
    if (it == rev_merge_.end()) {
      for (unsigned char c : text) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "<0x%02X>", c);
        int32_t id = vocab_.lookup(buf);
        if (id < 0) id = vocab_.unk;
        if (id >= 0) out_.push_back(id);
      }
      return;
    }
    resegment(symbols_[it->second.first]);
    resegment(symbols_[it->second.second]);
  }

  const Tokenizer::Impl& vocab_;
  std::vector<int32_t>& out_;
  std::vector<Symbol> symbols_;
  std::priority_queue<Bigram, std::vector<Bigram>, BigramOrder> queue_;
  std::unordered_map<std::string, std::pair<int, int>> rev_merge_;
};

}  // namespace

void spm_tokenize(const Tokenizer::Impl& vocab, const std::string& text, std::vector<int32_t>& out) {
  Session(vocab, out).run(text);
}

}  // namespace hearth::engine
