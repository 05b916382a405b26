// `hearth audio devices`, `hearth speak` and `hearth audio wake`: the sound side from the shell.
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "cli.h"
#include "hearth/audio/capture.h"
#include "hearth/audio/player.h"
#include "hearth/audio/speech_out.h"
#include "hearth/audio/noise_suppressor.h"
#include "hearth/audio/wake_word.h"
#include "voice.h"

namespace hearth::app {
namespace {

struct AudioOptions {
  bool json = false;
  std::string text, voice, wav, batch, model;
  double speed = 1.0, pitch = 1.0;
  bool chime = false;
  int sensitivity = -1;
};

void devices(CliContext& ctx, const AudioOptions& o) {
  auto list = audio::list_audio_devices();
  if (!list) return ctx.error(kExitFailure, list.error().message);
  if (o.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& d : *list)
      out.push_back({{"index", d.index}, {"name", d.name}, {"host_api", d.host_api}, {"input_channels", d.input_channels},
                     {"output_channels", d.output_channels}, {"default_rate", d.default_rate},
                     {"default_input", d.default_input}, {"default_output", d.default_output}});
    std::cout << out.dump(2) << "\n";
    return;
  }
  if (list->empty()) std::cout << "No sound devices. hearth works by text without them.\n";
  for (const auto& d : *list) {
    std::string kind = d.input_channels > 0 && d.output_channels > 0 ? "in/out" : d.input_channels > 0 ? "in" : "out";
    std::cout << d.index << "  " << d.name << "  (" << d.host_api << ", " << kind << ", "
              << static_cast<int>(d.default_rate) << " Hz" << (d.default_input ? ", default input" : "")
              << (d.default_output ? ", default output" : "") << ")\n";
  }
}

// One line of `speak --batch`: {"text", "voice"?, "speed"?, "pitch"?, "out"}.
bool speak_line(const std::string& line, const std::string& where, const AudioOptions& o) {
  nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
  if (!j.is_object() || !j.contains("text") || !j["text"].is_string() || !j.contains("out") || !j["out"].is_string()) {
    std::cerr << "hearth: " << where << ": need an object with text and out\n";
    return false;
  }
  audio::SpeechStyle style;
  style.speed = j.value("speed", o.speed);
  style.pitch = j.value("pitch", o.pitch);
  auto pcm = audio::synthesize(j["text"].get<std::string>(), j.value("voice", o.voice), style);
  if (!pcm) {
    std::cerr << "hearth: " << where << ": " << pcm.error().message << "\n";
    return false;
  }
  std::ofstream f(j["out"].get<std::string>(), std::ios::binary);
  f << audio::encode_wav(*pcm);
  if (!f) {
    std::cerr << "hearth: " << where << ": cannot write " << j["out"].get<std::string>() << "\n";
    return false;
  }
  return true;
}

void speak(CliContext& ctx, const AudioOptions& o) {
  if (!o.batch.empty()) {
    std::ifstream in(o.batch);
    if (!in) return ctx.error(kExitFailure, "cannot read " + o.batch);
    int n = 0, bad = 0;
    for (std::string line; std::getline(in, line);) {
      ++n;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      if (!speak_line(line, o.batch + ":" + std::to_string(n), o)) ++bad;
    }
    if (bad) ctx.exit_code = kExitFailure;
    return;
  }
  if (o.text.empty()) return ctx.error(kExitUsage, "nothing to say (give the text, or --batch FILE)");
  auto config = ctx.config();
  if (!config) return;
  audio::SpeechStyle style{o.speed, o.pitch};
  auto pcm = o.chime ? Result<audio::Pcm, audio::Error>(audio::listening_chime()) : audio::synthesize(o.text, o.voice, style);
  if (!pcm) return ctx.error(pcm.error().code == audio::ErrorCode::kInvalidInput ? kExitUsage : kExitFailure, pcm.error().message);
  if (!o.wav.empty()) {
    std::ofstream f(o.wav, std::ios::binary);
    f << audio::encode_wav(*pcm);
    if (!f) return ctx.error(kExitFailure, "cannot write " + o.wav);
    return;
  }
  audio::PlayerOptions po;
  po.device = config->audio.output_device;
  auto player = audio::Player::open(po);
  if (!player) return ctx.error(kExitFailure, player.error().message);
  if (auto r = (*player)->play(*pcm); !r) return ctx.error(kExitFailure, r.error().message);
  const auto ms = static_cast<long>(pcm->seconds() * 1000) + 2000;
  if (!(*player)->wait_idle(std::chrono::milliseconds(ms))) return ctx.error(kExitFailure, "the speaker did not play the sound");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the device's own buffer
}

// Runs the wake-word detector over a recording: each wake's time, and the score trace.
void wake(CliContext& ctx, const AudioOptions& o) {
  auto config = ctx.config();
  if (!config) return;
  auto db = ctx.open_database(*config);
  if (!db) return;
  storage::Preferences prefs(*db);
  auto pcm = audio::read_wav_16k(o.wav);
  if (!pcm) return ctx.error(pcm.error().code == audio::ErrorCode::kBadWav ? kExitUsage : kExitFailure, pcm.error().message);
  // --model names a file; without it, the model of the wake_word preference (as `hearth run`).
  Config chosen = *config;
  if (!o.model.empty()) chosen.audio.wake_model = o.model;
  auto model = load_wake_model(chosen, prefs.get_string("wake_word"));
  if (!model) return ctx.error(kExitFailure, model.error());
  audio::WakeOptions wo;
  wo.sensitivity = (o.sensitivity >= 0 ? o.sensitivity : config->audio.wake_sensitivity_percent) / 100.0;
  audio::WakeWordDetector detector(*model, wo);
  nlohmann::json wakes = nlohmann::json::array();
  float peak = -1e9f;
  // The detector hears what it hears in `hearth run`: with audio.noise_suppression on, a noisy
  // room's steady noise taken out (that output lags by NoiseSuppressor::kDelay samples).
  const bool suppress = config->audio.noise_suppression == "on";
  audio::NoiseSuppressor suppressor;
  std::vector<int16_t> heard;
  const auto& s = pcm->samples;
  for (size_t at = 0; at < s.size(); at += 1600) {
    const size_t n = std::min<size_t>(1600, s.size() - at);
    heard.clear();
    if (suppress) suppressor.process(s.data() + at, n, heard);
    // As in the pipeline: a noisy room's audio denoised, a quiet room's as it is.
    const bool denoised = suppress && suppressor.noisy();
    if (!denoised) heard.assign(s.begin() + static_cast<long>(at), s.begin() + static_cast<long>(at + n));
    if (heard.empty()) continue;
    if (auto w = detector.feed(heard.data(), heard.size())) {
      const uint64_t sample = *w - (denoised ? std::min<uint64_t>(*w, audio::NoiseSuppressor::kDelay) : 0);
      wakes.push_back(std::round(static_cast<double>(sample) / 16.0) / 1000.0);
    }
    peak = std::max(peak, detector.last_score());
  }
  if (o.json) {
    std::cout << nlohmann::json{{"wakes", wakes}, {"seconds", pcm->seconds()}, {"peak_score", peak},
                                {"threshold", detector.threshold()}}.dump() << "\n";
    return;
  }
  if (wakes.empty()) std::cout << "no wake (peak score " << peak << ", threshold " << detector.threshold() << ")\n";
  for (const auto& w : wakes) std::cout << "wake at " << w.get<double>() << " s\n";
}

}  // namespace

void add_audio_commands(CLI::App& app, CliContext& ctx) {
  auto o = std::make_shared<AudioOptions>();
  o->voice = audio::kDefaultVoice;
  auto* a = app.add_subcommand("audio", "Sound devices and the wake word");
  a->require_subcommand(1);
  auto* d = a->add_subcommand("devices", "List the microphones and speakers PortAudio sees");
  d->add_flag("--json", o->json, "print JSON");
  d->callback([&ctx, o] { devices(ctx, *o); });
  auto* w = a->add_subcommand("wake", "Find the wake word in a recording");
  w->add_option("--wav", o->wav, "the recording")->required();
  w->add_option("--model", o->model, "wake-word model (default: audio.wake_model or the embedded one)");
  w->add_option("--sensitivity", o->sensitivity, "0-100 (default: audio.wake_sensitivity_percent)")->check(CLI::Range(0, 100));
  w->add_flag("--json", o->json, "print JSON");
  w->callback([&ctx, o] { wake(ctx, *o); });

  auto* s = app.add_subcommand("speak", "Say a text aloud (or into a WAV file)");
  s->add_option("text", o->text, "what to say");
  s->add_option("--voice", o->voice, "flite:slt, flite:rms, flite:awb, flite:kal, espeak-ng:en-us, ... (default flite:slt)");
  s->add_option("--speed", o->speed, "0.5-2.0")->check(CLI::Range(0.5, 2.0));
  s->add_option("--pitch", o->pitch, "0.5-2.0")->check(CLI::Range(0.5, 2.0));
  s->add_option("--wav", o->wav, "write a WAV file instead of playing");
  s->add_option("--batch", o->batch, "JSONL of {text, voice?, speed?, pitch?, out}: one WAV file each");
  s->add_flag("--chime", o->chime, "the listening chime instead of speech");
  s->callback([&ctx, o] { speak(ctx, *o); });
}

}  // namespace hearth::app
