// The registry: one map of devices under one mutex, listeners told after each change.
#include "hearth/devices/registry.h"

#include "state.h"

namespace hearth::devices {

const char* to_string(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kAdded: return "added";
    case ChangeKind::kUpdated: return "updated";
    case ChangeKind::kRemoved: return "removed";
    case ChangeKind::kState: return "state";
    case ChangeKind::kAvailability: return "availability";
  }
  return "change";
}

// Changes are numbered under mu_ and announced in that order without holding it, so a listener
// may read the registry (find, snapshot) but must not change it.
void Registry::notify(uint64_t turn, const std::vector<Change>& changes) {
  std::unique_lock lock(listeners_mu_);
  turn_cv_.wait(lock, [&] { return served_turn_ == turn; });
  for (const auto& c : changes)
    for (auto& [token, l] : listeners_) l(c);
  ++served_turn_;
  lock.unlock();
  turn_cv_.notify_all();
}

void Registry::set_expose_discovered(bool expose) {
  std::lock_guard lock(mu_);
  expose_discovered_ = expose;
}

Device Registry::merge_configured_locked(Device d) const {
  auto it = configured_.find(d.id);
  if (it == configured_.end()) {
    d.expose = expose_discovered_;
    return d;
  }
  const Device& c = it->second;
  d.name = c.name;
  d.aliases = c.aliases;
  if (!c.area.empty()) d.area = c.area;
  if (!c.device_class.empty()) d.device_class = c.device_class;
  d.expose = c.expose;
  if (c.domain == "climate" && d.domain == "climate") {
    d.min_temp_c = c.min_temp_c;
    d.max_temp_c = c.max_temp_c;
  }
  for (const auto& f : c.features)
    if (!d.has_feature(f)) d.features.push_back(f);
  return d;
}

void Registry::index_locked() {
  by_topic_.clear();
  for (const auto& [id, d] : devices_)
    for (const std::string& topic : topics_read_by(d)) by_topic_.emplace(topic, id);
}

void Registry::set_configured(std::vector<Device> devices) {
  std::vector<Change> changes;
  std::unique_lock lock(mu_);
  std::map<std::string, Device> old_configured = std::move(configured_);
  configured_.clear();
  for (Device& d : devices) {
    if (d.source.empty()) d.source = "config";
    configured_[d.id] = d;
  }
  // Devices only the old file listed go away; discovered ones fall back to their own names.
  for (const auto& [id, old] : old_configured) {
    auto it = devices_.find(id);
    if (it == devices_.end() || configured_.count(id)) continue;
    if (it->second.source == "config") {
      changes.push_back({ChangeKind::kRemoved, it->second});
      devices_.erase(it);
    }
  }
  for (const auto& [id, c] : configured_) {
    auto it = devices_.find(id);
    if (it == devices_.end()) {
      devices_[id] = c;
      changes.push_back({ChangeKind::kAdded, c});
    } else {
      Device merged = merge_configured_locked(it->second);
      merged.state = it->second.state;
      merged.available = it->second.available;
      it->second = merged;
      changes.push_back({ChangeKind::kUpdated, merged});
    }
  }
  ++layout_version_;
  index_locked();
  const uint64_t turn = next_turn_++;
  lock.unlock();
  notify(turn, changes);
}

void Registry::upsert(Device d) {
  std::unique_lock lock(mu_);
  d = merge_configured_locked(std::move(d));
  Change change;
  auto it = devices_.find(d.id);
  if (it == devices_.end()) {
    change.kind = ChangeKind::kAdded;
    devices_[d.id] = d;
  } else {
    // A repeated announcement keeps what is known of the state.
    DeviceState state = it->second.state;
    for (auto s = d.state.begin(); s != d.state.end(); ++s) state[s.key()] = s.value();
    d.state = state;
    d.state_updated_ms = it->second.state_updated_ms;
    if (d.transport.availability.empty()) d.available = true;
    else if (it->second.transport.availability.size() == d.transport.availability.size()) d.available = it->second.available;
    change.kind = ChangeKind::kUpdated;
    it->second = d;
  }
  change.device = d;
  ++layout_version_;
  index_locked();
  const uint64_t turn = next_turn_++;
  lock.unlock();
  notify(turn, {change});
}

bool Registry::remove(const std::string& id) {
  std::unique_lock lock(mu_);
  auto it = devices_.find(id);
  if (it == devices_.end()) return false;
  Change change;
  auto conf = configured_.find(id);
  if (conf != configured_.end()) {
    // The user still lists it: it stays, without a way to reach it.
    change.kind = ChangeKind::kUpdated;
    it->second = conf->second;
    change.device = it->second;
  } else {
    change.kind = ChangeKind::kRemoved;
    change.device = it->second;
    devices_.erase(it);
  }
  ++layout_version_;
  index_locked();
  const uint64_t turn = next_turn_++;
  lock.unlock();
  notify(turn, {change});
  return true;
}

void Registry::replace_source(const std::string& source, std::vector<Device> devices) {
  std::vector<std::string> gone;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, d] : devices_) {
      if (d.source != source) continue;
      bool kept = false;
      for (const auto& n : devices) kept = kept || n.id == id;
      if (!kept) gone.push_back(id);
    }
  }
  for (const auto& id : gone) remove(id);
  for (auto& d : devices) upsert(std::move(d));
}

Result<int> Registry::apply_message(const std::string& topic, const std::string& payload) {
  std::vector<Change> changes;
  std::string first_error;
  std::unique_lock lock(mu_);
  auto [lo, hi] = by_topic_.equal_range(topic);
  for (auto it = lo; it != hi; ++it) {
    auto dev = devices_.find(it->second);
    if (dev == devices_.end()) continue;
    const bool was_available = dev->second.available;
    auto r = apply_state_message(dev->second, topic, payload);
    if (!r) {
      if (first_error.empty()) first_error = r.error().message;
      continue;
    }
    if (r.value())
      changes.push_back({was_available != dev->second.available ? ChangeKind::kAvailability : ChangeKind::kState, dev->second});
  }
  const uint64_t turn = next_turn_++;
  lock.unlock();
  notify(turn, changes);
  if (!first_error.empty() && changes.empty()) return fail(ErrorCode::kBadMessage, first_error);
  return static_cast<int>(changes.size());
}

void Registry::apply_optimistic(const std::string& id, const DeviceState& delta) {
  std::unique_lock lock(mu_);
  auto it = devices_.find(id);
  if (it == devices_.end()) return;
  DeviceState before = it->second.state;
  for (auto s = delta.begin(); s != delta.end(); ++s) {
    // Expected states may list alternatives ("open" or "opening"): assume the final one.
    it->second.state[s.key()] = s.value().is_array() && s.key() != "rgb" ? s.value().front() : s.value();
  }
  if (it->second.state == before) return;
  it->second.state_updated_ms = now_ms();
  Change change{ChangeKind::kState, it->second};
  const uint64_t turn = next_turn_++;
  lock.unlock();
  notify(turn, {change});
}

std::optional<Device> Registry::find(const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = devices_.find(id);
  if (it == devices_.end()) return std::nullopt;
  return it->second;
}

std::vector<Device> Registry::snapshot() const {
  std::lock_guard lock(mu_);
  std::vector<Device> out;
  out.reserve(devices_.size());
  for (const auto& [id, d] : devices_) out.push_back(d);
  return out;
}

size_t Registry::size() const {
  std::lock_guard lock(mu_);
  return devices_.size();
}

std::set<std::string> Registry::state_topics() const {
  std::lock_guard lock(mu_);
  std::set<std::string> out;
  for (const auto& [topic, id] : by_topic_) out.insert(topic);
  return out;
}

uint64_t Registry::layout_version() const {
  std::lock_guard lock(mu_);
  return layout_version_;
}

int Registry::add_listener(Listener listener) {
  std::lock_guard lock(listeners_mu_);
  const int token = next_token_++;
  listeners_[token] = std::move(listener);
  return token;
}

void Registry::remove_listener(int token) {
  std::lock_guard lock(listeners_mu_);
  listeners_.erase(token);
}

}  // namespace hearth::devices
