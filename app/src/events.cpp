#include "events.h"

namespace hearth::app {

std::optional<Event> EventBus::Subscription::next(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return closed_ || !queue_.empty(); });
  if (queue_.empty()) return std::nullopt;
  Event e = std::move(queue_.front());
  queue_.pop_front();
  return e;
}

bool EventBus::Subscription::closed() const {
  std::lock_guard lock(mu_);
  return closed_;
}

void EventBus::publish(const std::string& type, nlohmann::json data) {
  std::lock_guard lock(mu_);
  if (closed_) return;
  Event e{next_id_++, type, std::move(data)};
  for (auto it = subs_.begin(); it != subs_.end();) {
    auto s = it->second.first.lock();
    if (!s) {
      it = subs_.erase(it);
      continue;
    }
    {
      std::lock_guard sl(s->mu_);
      if (s->queue_.size() >= it->second.second) s->queue_.pop_front();
      s->queue_.push_back(e);
    }
    s->cv_.notify_all();
    ++it;
  }
}

std::shared_ptr<EventBus::Subscription> EventBus::subscribe(size_t capacity) {
  auto s = std::make_shared<Subscription>();
  std::lock_guard lock(mu_);
  if (closed_) s->closed_ = true;
  subs_[s.get()] = {s, capacity};
  return s;
}

void EventBus::unsubscribe(const std::shared_ptr<Subscription>& s) {
  std::lock_guard lock(mu_);
  subs_.erase(s.get());
}

void EventBus::close() {
  std::lock_guard lock(mu_);
  closed_ = true;
  for (auto& [raw, entry] : subs_)
    if (auto s = entry.first.lock()) {
      {
        std::lock_guard sl(s->mu_);
        s->closed_ = true;
      }
      s->cv_.notify_all();
    }
  subs_.clear();
}

size_t EventBus::subscribers() const {
  std::lock_guard lock(mu_);
  return subs_.size();
}

}  // namespace hearth::app
