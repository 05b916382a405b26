// app/src/assistant.h — the one owner of the language understanding of a running hearth.
//
// Requests from the interactive prompt, the HTTP API and anything else are queued to the
// assistant's thread and answered in arrival order: it owns the intent parser (whose model
// context is not shareable), one conversation per session, the timers, and writes each turn to
// the history before the answer is handed back, so an acknowledged request is on disk. Device
// intents are carried out through the hub. Timers that ring, and what was said and done, go to
// the event bus.
#pragma once

#include <future>
#include <memory>
#include <string>

#include "config.h"
#include "events.h"
#include "hearth/devices/hub.h"
#include "hearth/nlu/home.h"
#include "hearth/nlu/conversation.h"
#include "hearth/nlu/heard.h"
#include "hearth/nlu/parser.h"
#include "hearth/storage/database.h"
#include "metrics.h"

namespace hearth::app {

struct SayRequest {
  std::string text;
  std::string area;     // the speaker's area; empty: the default_area preference
  std::string session;  // conversations are kept per session (follow-ups, clarifications)
  bool voice = false;   // heard, not typed (recorded so in the history)
  // Heard: the recognizer's sentences, best first (text is the best). The one that makes sense
  // in this home (nlu::choose_heard, with the devices' states) is answered instead of text.
  std::vector<nlu::HeardText> heard;
};

struct SayResult {
  nlu::Turn turn;
  std::string reply;
  int64_t latency_ms = 0;
  bool ok = true;       // false: the assistant was stopping and did not answer
};

class Assistant {
 public:
  // Loads the intent model of the config. hub may be null (no devices). The database, hub,
  // events and metrics must outlive the assistant.
  static Result<std::unique_ptr<Assistant>, std::string> start(const Config& config, storage::Database& db,
                                                               devices::DeviceHub* hub, nlu::Home layout, EventBus& events,
                                                               Metrics& metrics);
  ~Assistant();  // answers what is queued, then stops
  Assistant(const Assistant&) = delete;
  Assistant& operator=(const Assistant&) = delete;

  std::future<SayResult> say(SayRequest request);
  // Understanding only (nothing carried out, no history, no conversation): for the
  // OpenAI-compatible endpoint and other tools that want the hub's model.
  std::future<nlu::Result<nlu::Understanding>> understand(std::string text);
  // Whether a heard sentence does not make sense in the home as it is now (nlu::makes_sense):
  // then the recognizer's alternatives are worth asking for. False when it cannot tell.
  std::future<bool> in_doubt(std::string text);
  size_t queued() const;
  const std::string& model_path() const;

 private:
  struct Impl;
  explicit Assistant(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The JSON answer of `hearth say --json` and `POST /api/say`.
nlohmann::json say_result_json(const SayRequest& request, const SayResult& result);

}  // namespace hearth::app
