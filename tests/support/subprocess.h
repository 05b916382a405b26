// Runs the hearth binary (or any command) in a child process for CLI tests.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <initializer_list>
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

// Runs a Python script of a reference check (the training pipeline's twins of the C++ audio
// code) with `args`, with audio/training importable; HEARTH_PYTHON and HEARTH_SOURCE_DIR come from
// the test build.
inline Output run_training_python(const std::string& script, const std::string& work_dir,
                                  std::initializer_list<std::string> args) {
  const std::string path = work_dir + "/check.py";
  if (FILE* f = std::fopen(path.c_str(), "w")) {
    const std::string text = "import sys\nsys.path.insert(0, '" HEARTH_SOURCE_DIR "/audio/training')\n" + script;
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  }
  std::string command = std::string(HEARTH_PYTHON) + " " + shell_quote(path);
  for (const auto& a : args) command += " " + shell_quote(a);
  return run_shell(command);
}

// Whether a failed reference check failed only for want of python3-numpy (the test then skips).
inline bool lacks_numpy(const Output& r) { return r.exit_code != 0 && r.text.find("numpy") != std::string::npos; }

}  // namespace hearth::test
