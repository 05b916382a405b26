// Waiting for something another thread or process does: polls a condition until it holds.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace hearth::test {

// True as soon as pred() holds; false when it still does not after the timeout.
inline bool eventually(const std::function<bool()>& pred, std::chrono::milliseconds timeout = std::chrono::seconds(15)) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return pred();
}

}  // namespace hearth::test
