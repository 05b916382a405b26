// app/src/voice_service.h — hands-free voice inside `hearth run`.
//
// One thread runs the voice pipeline over the microphone (audio.input_device) for as long as
// hearth runs: a missing or failing microphone leaves hearth working by text, says so once, and
// is tried again every 5 s. A heard request goes to the Assistant like a typed one (recorded as
// voice in the history); its reply is spoken when the speech_replies preference is on, in the
// voice preference's voice. Saying the wake word during a reply stops the reply (barge-in).
// Every stage is published on the event bus ("voice" events), to Hermes
// (hermes/hotword/<id>/detected, hermes/asr/textCaptured) and to an optional listener (the GUI).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "assistant.h"
#include "config.h"
#include "events.h"
#include "hearth/audio/voice_pipeline.h"
#include "hearth/devices/hermes.h"
#include "hearth/devices/hub.h"
#include "hearth/nlu/home.h"
#include "hearth/storage/database.h"

namespace hearth::app {

struct VoiceServiceDeps {
  const Config& config;
  storage::Database& db;
  Assistant& assistant;
  EventBus& events;
  devices::DeviceHub* hub = nullptr;          // the names to listen for follow its registry
  devices::HermesBridge* hermes = nullptr;
  nlu::Home layout;
  // Called on the voice thread for every stage (levels included) and with each reply.
  std::function<void(const audio::VoiceEvent&)> on_event;
  std::function<void(const std::string& heard, const SayResult&)> on_reply;
};

class VoiceService {
 public:
  // Fails (with the reason) when voice cannot work at all: no recognizer model, no wake-word
  // model for the phrase. A missing microphone is not a failure: it is retried.
  static Result<std::unique_ptr<VoiceService>, std::string> start(VoiceServiceDeps deps);
  ~VoiceService();
  VoiceService(const VoiceService&) = delete;
  VoiceService& operator=(const VoiceService&) = delete;

  void push_to_talk();  // any thread
  void stop_speaking();  // any thread

 private:
  VoiceService() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hearth::app
