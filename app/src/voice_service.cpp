#include "voice_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "device_link.h"
#include "hearth/audio/capture.h"
#include "hearth/audio/player.h"
#include "hearth/audio/speech_out.h"
#include "hearth/storage/learned.h"
#include "hearth/storage/preferences.h"
#include "voice.h"

namespace hearth::app {

struct VoiceService::Impl {
  VoiceServiceDeps deps;
  std::unique_ptr<audio::VoicePipeline> pipeline;
  std::thread thread;
  std::mutex player_mu;
  std::unique_ptr<audio::Player> player;  // opened on first use; dropped when it fails
  std::string wake_word;
  uint64_t seen_layout = ~0ULL;

  explicit Impl(VoiceServiceDeps d) : deps(std::move(d)) {}

  audio::Player* speaker() {
    if (!player) {
      audio::PlayerOptions po;
      po.device = deps.config.audio.output_device;
      auto p = audio::Player::open(po);
      if (!p) {
        spdlog::debug("no speaker: {}", p.error().message);
        return nullptr;
      }
      player = std::move(*p);
    }
    return player.get();
  }

  void play(const audio::Pcm& pcm) {
    std::lock_guard lock(player_mu);
    if (auto* p = speaker(); p && !p->play(pcm)) player.reset();
  }

  void stop_speaking() {
    std::lock_guard lock(player_mu);
    if (player) player->stop();
  }

  // The names to listen for, when the registry's layout changed.
  void follow_names() {
    if (!deps.hub) return;
    const uint64_t v = deps.hub->registry().layout_version();
    if (v == seen_layout) return;
    seen_layout = v;
    pipeline->set_vocabulary(vocabulary_of(home_from_registry(deps.layout, deps.hub->registry().snapshot()), wake_word));
  }

  void on_event(const audio::VoiceEvent& e) {
    if (deps.on_event) deps.on_event(e);
    if (e.stage == audio::VoiceStage::kLevel) {
      follow_names();
      return;
    }
    nlohmann::json data = {{"stage", audio::to_string(e.stage)}, {"at", e.at_seconds}};
    if (!e.text.empty()) data["text"] = e.text;
    if (!e.message.empty()) data["message"] = e.message;
    deps.events.publish("voice", data);
    switch (e.stage) {
      case audio::VoiceStage::kWake:
        stop_speaking();  // barge-in
        play(audio::listening_chime());
        if (deps.hermes && !e.push_to_talk) deps.hermes->hotword_detected(hermes_id(wake_word), "default", "hearth");
        break;
      case audio::VoiceStage::kSourceLost:
        spdlog::warn("voice input is off: {} (trying again every 5 s; typing still works)", e.message);
        deps.events.publish("notice", {{"text", "Voice input is off: " + e.message}});
        break;
      case audio::VoiceStage::kFinal:
        keep_channel(e.channel);
        heard(e);
        break;
      case audio::VoiceStage::kNothingHeard: keep_channel(e.channel); break;
      default: break;
    }
  }

  // The recognizer's channel normalization is learned from the requests it hears; kept per
  // microphone, so that after a restart the first request is heard like the later ones.
  std::string channel_key() const {
    return "voice.channel:" + (deps.config.audio.input_device.empty() ? std::string("default") : deps.config.audio.input_device);
  }
  void keep_channel(const std::vector<float>& mean) {
    if (mean.empty()) return;
    if (auto r = storage::Learned(deps.db).put(channel_key(), mean); !r)
      spdlog::warn("cannot keep the microphone's channel normalization: {}", r.error().message);
  }
  void restore_channel(audio::Recognizer& recognizer) {
    auto stored = storage::Learned(deps.db).get(channel_key());
    if (!stored || !stored->has_value()) return;
    std::vector<float> mean;
    if (const auto& v = **stored; v.is_array())
      for (const auto& x : v) {
        if (!x.is_number()) {  // not ours: refused below for its length
          mean.clear();
          break;
        }
        mean.push_back(x.get<float>());
      }
    if (auto r = recognizer.set_channel(mean); !r)
      spdlog::warn("ignoring the kept channel normalization of {}: {}", channel_key(), r.error().message);
    else
      spdlog::info("speech recognizer: channel normalization restored ({})", channel_key());
  }

  static std::string hermes_id(const std::string& phrase) {
    std::string id;
    for (char c : phrase) id += c == ' ' ? '_' : c;
    return id;
  }

  void heard(const audio::VoiceEvent& e) {
    // Of the hypotheses, the first the assistant understands (the recognizer's order decides).
    std::string text;
    double margin = 0;
    for (const auto& h : e.hypotheses)
      if (text = without_wake(h, wake_word); !text.empty()) {
        margin = h.margin;
        break;
      }
    // Hermes' likelihood (0-1) from the out-of-grammar margin: 1 for a request the grammar holds
    // as well as free speech, falling to 0 at the margin below which nothing is acted on.
    const double min_margin = audio::VoicePipelineOptions().min_margin;
    // The general model's transcript of speech the grammar could not hold: a guess, half way.
    const double likelihood = e.open ? 0.5 : margin >= 0 ? 1.0 : std::clamp(1.0 - margin / min_margin, 0.0, 1.0);
    if (deps.hermes && !text.empty()) deps.hermes->text_captured(text, likelihood, e.request_seconds, "default", "");
    if (text.empty()) return;
    SayRequest r{text, "", "voice", true, e.open ? std::vector<nlu::HeardText>{} : heard_texts(e.hypotheses, wake_word)};
    SayResult result = deps.assistant.say(r).get();
    if (!result.ok) return;
    if (deps.on_reply) deps.on_reply(text, result);
    // The general model also transcribes talk that was never meant for hearth (after a false
    // wake): what it heard is answered aloud only when it was understood as something to do or a
    // confident answer, not with "sorry, say that again" to a conversation in the room.
    if (e.open && result.turn.intents.empty() &&
        (result.turn.clarification || result.turn.confidence * 100 < deps.config.nlu.confidence_threshold_percent)) {
      spdlog::info("not answering aloud what the general model heard: \"{}\"", text);
      return;
    }
    storage::Preferences prefs(deps.db);
    if (!prefs.get_bool("speech_replies") || result.reply.empty()) return;
    auto speech = audio::synthesize(result.reply, prefs.get_string("voice"));
    if (!speech) {
      spdlog::warn("cannot speak the reply: {}", speech.error().message);
      return;
    }
    play(*speech);
  }
};

Result<std::unique_ptr<VoiceService>, std::string> VoiceService::start(VoiceServiceDeps deps) {
  auto impl = std::make_unique<Impl>(std::move(deps));
  storage::Preferences prefs(impl->deps.db);
  impl->wake_word = prefs.get_string("wake_word");
  auto model = load_wake_model(impl->deps.config, impl->wake_word);
  if (!model) return Fail<std::string>(model.error());
  auto recognizer = audio::Recognizer::create();
  if (!recognizer) return Fail<std::string>(recognizer.error().message);
  impl->restore_channel(**recognizer);
  Impl* raw = impl.get();
  audio::VoicePipelineOptions options = voice_options(impl->deps.config, *model);
  options.in_doubt = [raw](const audio::Hypothesis& best) {
    const std::string text = without_wake(best, raw->wake_word);
    return !text.empty() && raw->deps.assistant.in_doubt(text).get();
  };
  impl->pipeline = std::make_unique<audio::VoicePipeline>(std::move(*recognizer), options,
                                                          [raw](const audio::VoiceEvent& e) { raw->on_event(e); });
  impl->pipeline->set_vocabulary(vocabulary_of(impl->deps.hub ? home_from_registry(impl->deps.layout, impl->deps.hub->registry().snapshot())
                                                              : impl->deps.layout,
                                               impl->wake_word));
  if (impl->deps.hub) impl->seen_layout = impl->deps.hub->registry().layout_version();
  impl->thread = std::thread([raw] {
    const std::string device = raw->deps.config.audio.input_device;
    raw->pipeline->run_forever([device, phrase = raw->wake_word]() -> audio::Result<std::unique_ptr<audio::AudioSource>> {
      audio::CaptureOptions co;
      co.device = device;
      auto c = audio::Capture::open(co);
      if (!c) return Fail<audio::Error>(c.error());
      spdlog::info("listening for \"{}\" on {}", phrase, (*c)->name());
      return std::unique_ptr<audio::AudioSource>(std::move(*c));
    });
  });
  std::unique_ptr<VoiceService> s(new VoiceService());
  s->impl_ = std::move(impl);
  return s;
}

VoiceService::~VoiceService() {
  if (!impl_) return;
  impl_->pipeline->stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

void VoiceService::push_to_talk() { impl_->pipeline->push_to_talk(); }
void VoiceService::stop_speaking() { impl_->stop_speaking(); }

}  // namespace hearth::app
