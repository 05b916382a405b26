// app/src/events.h — the hub's event stream: pipeline stages, device changes, timers, notices.
//
// Producers on any thread publish(); each subscriber has its own bounded queue (a slow reader
// loses its oldest events, never blocks a producer). Used by `GET /api/events` (server-sent
// events) and by the interactive prompt of `hearth run`.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace hearth::app {

struct Event {
  uint64_t id = 0;
  std::string type;      // say, device, timer, notice
  nlohmann::json data;
};

class EventBus {
 public:
  class Subscription {
   public:
    // The next event, or nullopt when none came within the timeout or the bus is closed.
    std::optional<Event> next(std::chrono::milliseconds timeout);
    bool closed() const;

   private:
    friend class EventBus;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::deque<Event> queue_;
    bool closed_ = false;
  };

  void publish(const std::string& type, nlohmann::json data);
  std::shared_ptr<Subscription> subscribe(size_t capacity = 256);
  void unsubscribe(const std::shared_ptr<Subscription>& s);
  // Wakes every subscriber for good (shutdown).
  void close();
  size_t subscribers() const;

 private:
  mutable std::mutex mu_;
  std::map<Subscription*, std::pair<std::weak_ptr<Subscription>, size_t>> subs_;
  uint64_t next_id_ = 1;
  bool closed_ = false;
};

}  // namespace hearth::app
