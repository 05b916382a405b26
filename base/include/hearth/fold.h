// hearth/fold.h — how names typed or spoken by people are compared everywhere: ASCII letters
// lower-cased, runs of white space made one space, none at the ends. Other bytes (other
// scripts) are kept as they are.
#pragma once

#include <string>
#include <string_view>

namespace hearth {

inline std::string fold(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

}  // namespace hearth
