// Xvfb for tests that open windows: a display of the test's own when DISPLAY is not set.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

namespace hearth {

// Starts Xvfb on a free display for the whole run when DISPLAY is not set.
class XvfbEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    if (const char* d = std::getenv("DISPLAY"); d && *d) return;
    // A display number of our own (ctest runs several of these processes at once): free of a
    // lock file, then up when its socket appears.
    for (int attempt = 0; attempt < 30; ++attempt) {
      const int n = 100 + static_cast<int>((::getpid() * 7 + attempt * 131) % 800);
      if (std::filesystem::exists("/tmp/.X" + std::to_string(n) + "-lock")) continue;
      const std::string display = ":" + std::to_string(n);
      pid_ = ::fork();
      ASSERT_GE(pid_, 0);
      if (pid_ == 0) {
        std::freopen("/dev/null", "w", stderr);
        ::execlp("Xvfb", "Xvfb", display.c_str(), "-screen", "0", "1280x800x24", "-nolisten", "tcp", nullptr);
        std::_Exit(127);
      }
      const std::string socket = "/tmp/.X11-unix/X" + std::to_string(n);
      for (int i = 0; i < 100; ++i) {
        if (std::filesystem::exists(socket)) {
          ::setenv("DISPLAY", display.c_str(), 1);
          return;
        }
        if (::waitpid(pid_, nullptr, WNOHANG) == pid_) break;  // lost the display to another
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
    FAIL() << "Xvfb did not start (is the xvfb package installed?)";
  }
  void TearDown() override {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
  }

 private:
  pid_t pid_ = -1;
};

}  // namespace hearth
