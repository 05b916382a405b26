#include "hearth/nlu/prompt.h"

namespace hearth::nlu {

namespace {
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool dropped(char c) {
  switch (c) {
    case ',': case '!': case '?': case ';': case '"': case '(': case ')': case '[': case ']': case '{': case '}':
      return true;
    default:
      return false;
  }
}
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
}  // namespace

std::string normalize(std::string_view text) {
  std::string t(text);
  for (char& c : t) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (dropped(c)) c = ' ';
  }
  std::string kept = t;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '.' || t[i] == ':') {
      const bool between = i > 0 && i + 1 < t.size() && is_digit(t[i - 1]) && is_digit(t[i + 1]);
      if (!between) kept[i] = ' ';
    }
  }
  std::string out;
  bool pending_space = false;
  for (char c : kept) {
    if (is_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

std::string make_prompt(std::string_view text, std::string_view prev_json) {
  std::string p;
  if (!prev_json.empty()) {
    p += "prev: ";
    p += prev_json;
    p += ' ';
  }
  p += "user: ";
  p += normalize(text);
  p += " intent:";
  return p;
}

}  // namespace hearth::nlu
