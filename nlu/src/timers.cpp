#include "hearth/nlu/timers.h"

#include <algorithm>

#include "names.h"

namespace hearth::nlu {

namespace {

using std::chrono::milliseconds;

milliseconds duration_of(const Intent& i) {
  auto part = [&](const char* key) -> long long {
    auto it = i.slots.find(key);
    return it != i.slots.end() && it->is_number() ? it->get<long long>() : 0;
  };
  return milliseconds((part("hours") * 3600 + part("minutes") * 60 + part("seconds")) * 1000);
}

std::string label(const Timers::Timer& t) { return t.name.empty() ? "the timer" : "the " + t.name + " timer"; }
std::string Label(const Timers::Timer& t) { return t.name.empty() ? "The timer" : "The " + t.name + " timer"; }

milliseconds left_of(const Timers::Timer& t, Timers::Clock::time_point now) {
  if (t.paused) return t.left;
  return std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(t.ends - now));
}

}  // namespace

std::string Timers::spoken(milliseconds d) {
  long long s = (d.count() + 500) / 1000;
  const long long h = s / 3600, m = (s % 3600) / 60;
  s %= 60;
  std::vector<std::string> parts;
  if (h) parts.push_back(std::to_string(h) + (h == 1 ? " hour" : " hours"));
  if (m) parts.push_back(std::to_string(m) + (m == 1 ? " minute" : " minutes"));
  if (s || parts.empty()) parts.push_back(std::to_string(s) + (s == 1 ? " second" : " seconds"));
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? (i + 1 == parts.size() ? " and " : ", ") : "") + parts[i];
  return out;
}

std::optional<std::string> Timers::handle(const Intent& intent, Clock::time_point now) {
  const std::string& n = intent.name;
  const std::string name = fold(intent.slots.value("name", std::string()));
  const milliseconds d = duration_of(intent);
  if (n == "HassStartTimer") {
    if (d.count() <= 0) return std::string("How long should the timer run?");
    if (d > std::chrono::hours(24)) return std::string("Timers can run for at most a day.");
    Timer t;
    t.id = next_id_++;
    t.name = name;
    t.duration = d;
    t.ends = now + d;
    timers_.push_back(t);
    return Label(t) + " is set for " + spoken(d) + ".";
  }
  if (n == "HassCancelAllTimers") {
    const size_t count = timers_.size();
    timers_.clear();
    if (count == 0) return std::string("There are no timers.");
    return count == 1 ? std::string("Cancelled the timer.") : "Cancelled all " + std::to_string(count) + " timers.";
  }
  if (n != "HassCancelTimer" && n != "HassIncreaseTimer" && n != "HassDecreaseTimer" && n != "HassPauseTimer" &&
      n != "HassUnpauseTimer" && n != "HassTimerStatus")
    return std::nullopt;
  if (timers_.empty()) return std::string("There are no timers.");
  // Which timer: by name, else by its set duration (for cancel), else the only one.
  std::vector<Timer*> match;
  for (Timer& t : timers_) {
    if (!name.empty()) {
      if (name_key(t.name) == name_key(name)) match.push_back(&t);
    } else if (n == "HassCancelTimer" && d.count() > 0) {
      if (t.duration == d) match.push_back(&t);
    } else {
      match.push_back(&t);
    }
  }
  if (match.empty()) return "There is no " + (name.empty() ? spoken(d) : name) + " timer.";
  if (match.size() > 1) {
    if (n == "HassTimerStatus") {
      std::string out;
      for (const Timer* t : match) out += (out.empty() ? "" : " ") + Label(*t) + " has " + spoken(left_of(*t, now)) + " left.";
      return out;
    }
    std::string names;
    for (size_t i = 0; i < match.size(); ++i)
      names += (i ? (i + 1 == match.size() ? " or " : ", ") : "") +
               (match[i]->name.empty() ? "the " + spoken(match[i]->duration) + " one" : match[i]->name);
    return "Which timer: " + names + "?";
  }
  Timer& t = *match[0];
  if (n == "HassCancelTimer") {
    const std::string what = Label(t);
    timers_.erase(std::remove_if(timers_.begin(), timers_.end(), [&](const Timer& x) { return x.id == t.id; }), timers_.end());
    return what + " is cancelled.";
  }
  if (n == "HassTimerStatus") return Label(t) + " has " + spoken(left_of(t, now)) + " left" + (t.paused ? ", paused." : ".");
  if (n == "HassPauseTimer") {
    if (t.paused) return Label(t) + " is already paused.";
    t.left = left_of(t, now);
    t.paused = true;
    return "Paused " + label(t) + ".";
  }
  if (n == "HassUnpauseTimer") {
    if (!t.paused) return Label(t) + " is running.";
    t.paused = false;
    t.ends = now + t.left;
    return "Resumed " + label(t) + ".";
  }
  if (d.count() <= 0) return std::string("By how much?");
  const bool more = n == "HassIncreaseTimer";
  milliseconds left = left_of(t, now);
  left = more ? left + d : std::max(milliseconds(0), left - d);
  t.duration = more ? t.duration + d : std::max(milliseconds(0), t.duration - d);
  if (t.paused) t.left = left;
  else t.ends = now + left;
  return (more ? "Added " : "Took ") + spoken(d) + (more ? " to " : " off ") + label(t) + ". " + spoken(left) + " left.";
}

std::vector<std::string> Timers::due(Clock::time_point now) {
  std::vector<std::string> out;
  for (auto it = timers_.begin(); it != timers_.end();) {
    if (!it->paused && it->ends <= now) {
      out.push_back(Label(*it) + " is done.");
      it = timers_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

std::optional<Timers::Clock::time_point> Timers::next_due() const {
  std::optional<Clock::time_point> best;
  for (const Timer& t : timers_)
    if (!t.paused && (!best || t.ends < *best)) best = t.ends;
  return best;
}

}  // namespace hearth::nlu
