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

// The timer as a reply names it: {"timer", "the pasta timer"} (and {Timer} at a sentence's start).
std::pair<std::string_view, std::string> label(const Timers::Timer& t, const Messages& m) {
  return {"timer", t.name.empty() ? m.say(Msg::kTimerLabel) : m.say(Msg::kTimerLabelNamed, {{"name", t.name}})};
}

milliseconds left_of(const Timers::Timer& t, Timers::Clock::time_point now) {
  if (t.paused) return t.left;
  return std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(t.ends - now));
}

}  // namespace

std::optional<std::string> Timers::handle(const Intent& intent, Clock::time_point now) {
  const std::string& n = intent.name;
  const std::string name = fold(intent.slots.value("name", std::string()));
  const milliseconds d = duration_of(intent);
  const Messages& m = *words_;
  auto spoken = [&](milliseconds x) { return m.duration(x); };
  if (n == "HassStartTimer") {
    if (d.count() <= 0) return m.say(Msg::kTimerHowLong);
    if (d > std::chrono::hours(24)) return m.say(Msg::kTimerTooLong);
    Timer t;
    t.id = next_id_++;
    t.name = name;
    t.duration = d;
    t.ends = now + d;
    timers_.push_back(t);
    return m.say(Msg::kTimerSet, {label(t, m), {"duration", spoken(d)}});
  }
  if (n == "HassCancelAllTimers") {
    const size_t count = timers_.size();
    timers_.clear();
    if (count == 0) return m.say(Msg::kNoTimers);
    return count == 1 ? m.say(Msg::kTimerCancelledOne) : m.say(Msg::kTimersCancelledAll, {{"count", std::to_string(count)}});
  }
  if (n != "HassCancelTimer" && n != "HassIncreaseTimer" && n != "HassDecreaseTimer" && n != "HassPauseTimer" &&
      n != "HassUnpauseTimer" && n != "HassTimerStatus")
    return std::nullopt;
  if (timers_.empty()) return m.say(Msg::kNoTimers);
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
  if (match.empty()) return m.say(Msg::kNoSuchTimer, {{"name", name.empty() ? spoken(d) : name}});
  if (match.size() > 1) {
    if (n == "HassTimerStatus") {
      std::string out;
      for (const Timer* t : match)
        out += (out.empty() ? "" : " ") + m.say(Msg::kTimerLeft, {label(*t, m), {"duration", spoken(left_of(*t, now))}});
      return out;
    }
    std::vector<std::string> names;
    for (const Timer* t : match)
      names.push_back(t->name.empty() ? m.say(Msg::kTimerOfDuration, {{"duration", spoken(t->duration)}}) : t->name);
    return m.say(Msg::kWhichTimer, {{"options", m.join_or(names)}});
  }
  Timer& t = *match[0];
  if (n == "HassCancelTimer") {
    const std::string reply = m.say(Msg::kTimerCancelled, {label(t, m)});
    timers_.erase(std::remove_if(timers_.begin(), timers_.end(), [&](const Timer& x) { return x.id == t.id; }), timers_.end());
    return reply;
  }
  if (n == "HassTimerStatus")
    return m.say(t.paused ? Msg::kTimerLeftPaused : Msg::kTimerLeft, {label(t, m), {"duration", spoken(left_of(t, now))}});
  if (n == "HassPauseTimer") {
    if (t.paused) return m.say(Msg::kTimerAlreadyPaused, {label(t, m)});
    t.left = left_of(t, now);
    t.paused = true;
    return m.say(Msg::kTimerPaused, {label(t, m)});
  }
  if (n == "HassUnpauseTimer") {
    if (!t.paused) return m.say(Msg::kTimerRunning, {label(t, m)});
    t.paused = false;
    t.ends = now + t.left;
    return m.say(Msg::kTimerResumed, {label(t, m)});
  }
  if (d.count() <= 0) return m.say(Msg::kByHowMuch);
  const bool more = n == "HassIncreaseTimer";
  milliseconds left = left_of(t, now);
  left = more ? left + d : std::max(milliseconds(0), left - d);
  t.duration = more ? t.duration + d : std::max(milliseconds(0), t.duration - d);
  if (t.paused) t.left = left;
  else t.ends = now + left;
  return m.say(more ? Msg::kTimerAdded : Msg::kTimerTookOff, {{"duration", spoken(d)}, label(t, m), {"left", capitalized(spoken(left))}});
}

std::vector<std::string> Timers::due(Clock::time_point now) {
  std::vector<std::string> out;
  for (auto it = timers_.begin(); it != timers_.end();) {
    if (!it->paused && it->ends <= now) {
      out.push_back(words_->say(Msg::kTimerDone, {label(*it, *words_)}));
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
