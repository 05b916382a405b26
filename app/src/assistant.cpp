#include "assistant.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <mutex>
#include <thread>

#include "cli.h"
#include "device_link.h"
#include "hearth/nlu/timers.h"
#include "hearth/storage/preferences.h"
#include "local_actions.h"

namespace hearth::app {

namespace {
constexpr size_t kMaxSessions = 256;  // oldest conversation forgotten beyond this
constexpr size_t kMaxQueued = 1000;   // requests waiting; more are refused
}  // namespace

struct Assistant::Impl {
  Config config;
  storage::Database& db;
  devices::DeviceHub* hub;
  nlu::Home layout;
  EventBus& events;
  Metrics& metrics;
  std::unique_ptr<nlu::IntentParser> parser;
  std::unique_ptr<nlu::CloudClient> cloud;
  uint64_t home_version = ~0ULL;
  // Conversations by session, most recently used first.
  std::list<std::pair<std::string, std::unique_ptr<nlu::Conversation>>> sessions;
  nlu::Timers timers;

  mutable std::mutex mu;
  std::condition_variable cv;
  std::deque<std::function<void()>> queue;  // tasks run on the worker, in order
  bool stopping = false;
  std::thread worker;

  Impl(const Config& c, storage::Database& d, devices::DeviceHub* h, nlu::Home l, EventBus& e, Metrics& m)
      : config(c), db(d), hub(h), layout(std::move(l)), events(e), metrics(m) {}

  void refresh_home() {
    if (hub) follow_registry(*parser, layout, *hub, home_version);
  }

  nlu::Conversation& conversation(const std::string& session) {
    for (auto it = sessions.begin(); it != sessions.end(); ++it)
      if (it->first == session) {
        sessions.splice(sessions.begin(), sessions, it);
        return *sessions.front().second;
      }
    storage::Preferences prefs(db);
    nlu::ConversationOptions co = conversation_options(config, &prefs);
    if (co.cloud_mode != nlu::CloudMode::kOff && !cloud) {
      cloud = make_cloud_client(config);
      if (!cloud) spdlog::warn("cloud_fallback is on, but cloud.base_url and cloud.model are not set");
    }
    co.cloud = cloud.get();
    sessions.emplace_front(session, std::make_unique<nlu::Conversation>(*parser, co));
    if (sessions.size() > kMaxSessions) sessions.pop_back();
    return *sessions.front().second;
  }

  // The devices' states as the registry knows them ("" for one it has no state of yet).
  nlu::StateOf state_of() {
    if (!hub) return {};
    return [this](const std::string& id) -> std::string {
      const auto d = hub->registry().find(id);
      if (!d || d->state_updated_ms == 0 || !d->state.contains("state") || !d->state["state"].is_string()) return "";
      return d->state["state"].get<std::string>();
    };
  }

  // What to answer of a request: its text, or of what was heard the sentence that makes sense
  // in this home as it is now.
  std::string heard_text(const SayRequest& r, const std::string& area) {
    if (r.heard.size() < 2) return r.text;
    nlu::HeardOptions o;
    o.speaker_area = area;
    auto chosen = nlu::choose_heard(*parser, r.heard, state_of(), o);
    if (!chosen || chosen->index == 0) return r.text;
    spdlog::info("heard \"{}\" rather than \"{}\" (the best {})", r.heard[chosen->index].text, r.heard.front().text, chosen->why);
    return r.heard[chosen->index].text;
  }

  // False when stopping or when too many requests wait.
  bool enqueue(std::function<void()> task) {
    {
      std::lock_guard lock(mu);
      if (stopping || queue.size() >= kMaxQueued) return false;
      queue.push_back(std::move(task));
    }
    cv.notify_all();
    return true;
  }

  SayResult answer(const SayRequest& r) {
    SayResult out;
    refresh_home();
    storage::Preferences prefs(db);
    const auto t0 = std::chrono::steady_clock::now();
    nlu::Conversation& conv = conversation(r.session);
    conv.set_language(prefs.get_string("language"));  // a change in settings applies from the next turn
    const std::string area = r.area.empty() ? prefs.get_string("default_area") : r.area;
    out.turn = conv.handle(heard_text(r, area), area);
    const auto t1 = std::chrono::steady_clock::now();
    const int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(t1 - t0).count();
    out.reply = answer_turn(out.turn, parser->home(), timers, db, ms, hub, r.voice ? storage::InputKind::kVoice : storage::InputKind::kText);
    const auto t2 = std::chrono::steady_clock::now();
    out.latency_ms = std::chrono::duration_cast<std::chrono::milliseconds>(t2 - t0).count();
    metrics.observe("hearth_stage_seconds", "stage=\"understand\"", std::chrono::duration<double>(t1 - t0).count());
    metrics.observe("hearth_stage_seconds", "stage=\"act\"", std::chrono::duration<double>(t2 - t1).count());
    metrics.count("hearth_requests_understood_total", "source=\"" + (out.turn.source.empty() ? std::string("none") : out.turn.source) + "\"");
    events.publish("say", say_result_json(r, out));
    return out;
  }

  void run() {
    std::unique_lock lock(mu);
    while (true) {
      auto due = timers.next_due();
      auto ready = [&] { return stopping || !queue.empty(); };
      if (due) cv.wait_until(lock, *due, ready);
      else cv.wait(lock, ready);
      lock.unlock();
      for (const std::string& announcement : timers.due()) {
        spdlog::info("{}", announcement);
        events.publish("timer", {{"text", announcement}});
      }
      lock.lock();
      if (queue.empty()) {
        if (stopping) return;
        continue;
      }
      auto task = std::move(queue.front());
      queue.pop_front();
      lock.unlock();
      task();
      lock.lock();
    }
  }
};

Result<std::unique_ptr<Assistant>, std::string> Assistant::start(const Config& config, storage::Database& db,
                                                                  devices::DeviceHub* hub, nlu::Home layout, EventBus& events,
                                                                  Metrics& metrics) {
  auto impl = std::make_unique<Impl>(config, db, hub, std::move(layout), events, metrics);
  auto p = make_intent_parser(config);
  if (!p) return Fail<std::string>(p.error().message);
  impl->parser = std::move(p).value();
  impl->refresh_home();
  Impl* raw = impl.get();
  impl->worker = std::thread([raw] { raw->run(); });
  return std::unique_ptr<Assistant>(new Assistant(std::move(impl)));
}

Assistant::Assistant(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Assistant::~Assistant() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  impl_->worker.join();
}

std::future<SayResult> Assistant::say(SayRequest request) {
  auto promise = std::make_shared<std::promise<SayResult>>();
  auto future = promise->get_future();
  Impl* impl = impl_.get();
  const bool queued = impl_->enqueue([impl, promise, request = std::move(request)] {
    try {
      promise->set_value(impl->answer(request));
    } catch (const std::exception& e) {
      spdlog::error("request failed: {}", e.what());
      SayResult failed;
      failed.ok = false;
      failed.reply = nlu::Messages::for_language(storage::Preferences(impl->db).get_string("language")).say(nlu::Msg::kSomethingWrong);
      promise->set_value(failed);
    }
  });
  if (!queued) {
    SayResult busy;
    busy.ok = false;
    busy.reply = "hearth is busy or stopping; try again in a moment.";
    promise->set_value(busy);
  }
  return future;
}

std::future<nlu::Result<nlu::Understanding>> Assistant::understand(std::string text) {
  auto promise = std::make_shared<std::promise<nlu::Result<nlu::Understanding>>>();
  auto future = promise->get_future();
  Impl* impl = impl_.get();
  const bool queued = impl_->enqueue([impl, promise, text = std::move(text)] {
    impl->refresh_home();
    promise->set_value(impl->parser->understand(text));
  });
  if (!queued) promise->set_value(nlu::fail(nlu::ErrorCode::kModel, "hearth is busy or stopping"));
  return future;
}

std::future<bool> Assistant::in_doubt(std::string text) {
  auto promise = std::make_shared<std::promise<bool>>();
  auto future = promise->get_future();
  Impl* impl = impl_.get();
  const bool queued = impl_->enqueue([impl, promise, text = std::move(text)] {
    impl->refresh_home();
    nlu::HeardOptions o;
    o.speaker_area = storage::Preferences(impl->db).get_string("default_area");
    auto sense = nlu::makes_sense(*impl->parser, text, impl->state_of(), o);
    promise->set_value(sense && !*sense);
  });
  if (!queued) promise->set_value(false);
  return future;
}

size_t Assistant::queued() const {
  std::lock_guard lock(impl_->mu);
  return impl_->queue.size();
}

const std::string& Assistant::model_path() const { return impl_->parser->model_path(); }

nlohmann::json say_result_json(const SayRequest& r, const SayResult& s) {
  return {{"text", r.text},
          {"session", r.session},
          {"intents", nlu::intents_to_json(s.turn.intents)},
          {"reply", s.reply},
          {"confidence", s.turn.confidence},
          {"source", s.turn.source},
          {"latency_ms", s.latency_ms},
          {"clarification", s.turn.clarification},
          {"needs_confirmation", s.turn.needs_confirmation},
          {"choices", s.turn.choices},
          {"left_device", s.turn.left_device}};
}

}  // namespace hearth::app
