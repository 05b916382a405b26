// hearth/nlu/timers.h — the timers hearth runs itself (HassStartTimer and friends).
//
// Timers live in memory (a restart ends them, as on other assistants). handle() carries out one
// timer intent and returns the reply; due() returns the announcements of timers that ended.
// A timer intent names its timer by name ("the pasta timer"), by duration ("the 10 minute
// timer"), or not at all, which means the only one; several candidates give a question.
// Not thread-safe: one owner (the app's main loop).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "hearth/nlu/intent.h"
#include "hearth/nlu/messages.h"

namespace hearth::nlu {

class Timers {
 public:
  using Clock = std::chrono::steady_clock;
  struct Timer {
    int id = 0;
    std::string name;                       // may be empty
    std::chrono::milliseconds duration{0};  // as set (plus changes)
    Clock::time_point ends{};               // when running
    std::chrono::milliseconds left{0};      // when paused
    bool paused = false;
  };

  // The language of replies and announcements (a code Messages knows; others give English).
  void set_language(const std::string& code) { words_ = &Messages::for_language(code); }

  // For the Hass*Timer intents; returns the reply. Other intents: std::nullopt.
  std::optional<std::string> handle(const Intent& intent, Clock::time_point now = Clock::now());
  // Timers that ended by now, removed, as announcements ("The pasta timer is done.").
  std::vector<std::string> due(Clock::time_point now = Clock::now());
  // When the next running timer ends.
  std::optional<Clock::time_point> next_due() const;
  const std::vector<Timer>& timers() const { return timers_; }

 private:
  const Messages* words_ = &Messages::for_language("en");
  std::vector<Timer> timers_;
  int next_id_ = 1;
};

}  // namespace hearth::nlu
