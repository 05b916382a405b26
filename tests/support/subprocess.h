// Runs the hearth binary (or any command) in a child process for CLI tests.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace hearth::test {

struct Output {
  int exit_code = -1;
  std::string text;  // stdout and stderr together
};

// Runs `command` through /bin/sh with stderr merged into stdout.
inline Output run_shell(const std::string& command) {
  Output out;
  FILE* p = ::popen(("{ " + command + "\n} 2>&1").c_str(), "r");
  if (!p) return out;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.text.append(buf.data(), n);
  int status = ::pclose(p);
  out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return out;
}

// Quotes s for /bin/sh.
inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'') q += "'\\''";
    else q += c;
  }
  return q + "'";
}

}  // namespace hearth::test
