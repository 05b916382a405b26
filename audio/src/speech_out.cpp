// espeak-ng and flite behind one synthesize().
#include "hearth/audio/speech_out.h"

#include "speech_libs.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <mutex>

namespace hearth::audio {
namespace {

constexpr double kPi = 3.14159265358979323846;

// ---- flite ----------------------------------------------------------------------------------

// A registered voice with its own duration and pitch, read once: styles multiply these, never
// each other.
struct FliteVoice {
  cst_voice* voice = nullptr;
  float stretch = 1.0f, f0 = 100.0f;
};
std::mutex g_flite_mu;
std::map<std::string, FliteVoice> g_flite_voices;  // registered once, kept for the process

// The voice `name`, registered on first use (flite and the voice's library opened then).
Result<const FliteVoice*> flite_voice(const speech_libs::Flite& lib, const std::string& name) {
  static bool started = false;
  if (!started) {
    lib.init();
    started = true;
  }
  auto it = g_flite_voices.find(name);
  if (it != g_flite_voices.end()) return &it->second;
  auto reg = speech_libs::flite_voice(name);
  if (!reg) return fail(reg.error().code, reg.error().message);
  FliteVoice v;
  v.voice = (*reg)(nullptr);
  if (!v.voice) return fail(ErrorCode::kSpeech, "flite could not load the voice \"" + name + "\"");
  v.stretch = lib.get_param_float(v.voice->features, "duration_stretch", 1.0f);
  v.f0 = lib.get_param_float(v.voice->features, "int_f0_target_mean", 100.0f);
  return &(g_flite_voices[name] = v);
}

Result<Pcm> flite_speak(const std::string& text, const std::string& name, const SpeechStyle& style) {
  std::lock_guard<std::mutex> lock(g_flite_mu);
  auto loaded = speech_libs::flite();
  if (!loaded) return fail(loaded.error().code, loaded.error().message);
  const speech_libs::Flite& lib = **loaded;
  auto fv = flite_voice(lib, name);
  if (!fv) return fail(fv.error().code, fv.error().message);
  cst_voice* v = (*fv)->voice;
  lib.feat_set_float(v->features, "duration_stretch", static_cast<float>((*fv)->stretch / style.speed));
  lib.feat_set_float(v->features, "int_f0_target_mean", static_cast<float>((*fv)->f0 * style.pitch));
  cst_wave* w = lib.text_to_wave(text.c_str(), v);
  if (!w) return fail(ErrorCode::kSpeech, "flite could not speak the text");
  Pcm pcm;
  pcm.sample_rate = w->sample_rate;
  pcm.samples.assign(w->samples, w->samples + w->num_samples * std::max(1, w->num_channels));
  lib.free_wave(w);
  return pcm;
}

// ---- espeak-ng ------------------------------------------------------------------------------

std::mutex g_espeak_mu;
int g_espeak_rate = 0;

int on_espeak_audio(short* wav, int n, espeak_EVENT* events) {
  if (wav && n > 0 && events && events->user_data)
    static_cast<std::vector<int16_t>*>(events->user_data)->insert(static_cast<std::vector<int16_t>*>(events->user_data)->end(), wav, wav + n);
  return 0;
}

Result<Pcm> espeak_speak(const std::string& text, const std::string& name, const SpeechStyle& style) {
  std::lock_guard<std::mutex> lock(g_espeak_mu);
  auto loaded = speech_libs::espeak();
  if (!loaded) return fail(loaded.error().code, loaded.error().message);
  const speech_libs::Espeak& lib = **loaded;
  if (g_espeak_rate <= 0) {
    g_espeak_rate = lib.initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, 0);
    if (g_espeak_rate <= 0) return fail(ErrorCode::kSpeech, "espeak-ng could not start (is espeak-ng-data installed?)");
    lib.set_synth_callback(on_espeak_audio);
  }
  // espeak-ng takes an unknown "+variant" silently (and speaks with the plain voice): the
  // variant's file is looked for first.
  if (const auto plus = name.find('+'); plus != std::string::npos) {
    const char* data = nullptr;
    lib.info(&data);
    const std::string variant = name.substr(plus + 1);
    std::error_code ec;
    if (variant.empty() || variant.find('/') != std::string::npos || !data ||
        !std::filesystem::exists(std::filesystem::path(data) / "voices" / "!v" / variant, ec))
      return fail(ErrorCode::kSpeech, "espeak-ng has no voice variant \"" + variant + "\"");
  }
  if (lib.set_voice_by_name(name.c_str()) != EE_OK) return fail(ErrorCode::kSpeech, "espeak-ng has no voice \"" + name + "\"");
  lib.set_parameter(espeakRATE, static_cast<int>(std::lround(175 * style.speed)), 0);
  lib.set_parameter(espeakPITCH, std::clamp(static_cast<int>(std::lround(50 * style.pitch)), 0, 99), 0);
  std::vector<int16_t> samples;
  const espeak_ERROR err = lib.synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr, &samples);
  if (err != EE_OK) return fail(ErrorCode::kSpeech, "espeak-ng could not speak the text");
  Pcm pcm;
  pcm.sample_rate = g_espeak_rate;
  pcm.samples = std::move(samples);
  return pcm;
}

}  // namespace

std::vector<std::string> speech_voices() {
  return {"flite:slt", "flite:rms", "flite:awb", "flite:kal", "flite:kal16",
          "espeak-ng:en-us", "espeak-ng:en", "espeak-ng:en+f3", "espeak-ng:en-us+m3", "espeak-ng:en+f2", "espeak-ng:en-gb-x-rp"};
}

Result<Pcm> synthesize(const std::string& text, const std::string& voice, const SpeechStyle& style) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return fail(ErrorCode::kInvalidInput, "nothing to say");
  if (text.size() > 4000) return fail(ErrorCode::kInvalidInput, "text to speak is longer than 4,000 bytes");
  if (!(style.speed >= 0.5 && style.speed <= 2.0) || !(style.pitch >= 0.5 && style.pitch <= 2.0))
    return fail(ErrorCode::kInvalidInput, "speech speed and pitch must be between 0.5 and 2.0");
  const auto colon = voice.find(':');
  const std::string engine = colon == std::string::npos ? "" : voice.substr(0, colon);
  const std::string name = colon == std::string::npos ? voice : voice.substr(colon + 1);
  Result<Pcm> pcm = fail(ErrorCode::kSpeech, "unknown speech engine \"" + engine + "\" (flite or espeak-ng)");
  if (engine == "flite" || (engine.empty() && speech_libs::is_flite_voice(name))) pcm = flite_speak(text, name, style);
  else if (engine == "espeak-ng" || engine == "espeak" || engine.empty()) pcm = espeak_speak(text, name, style);
  if (!pcm) return pcm;
  if (pcm->samples.empty()) return fail(ErrorCode::kSpeech, "the voice \"" + voice + "\" produced no sound");
  return pcm->sample_rate == kSpeechRate ? std::move(*pcm) : resample(*pcm, kSpeechRate);
}

Result<void> check_voice(const std::string& voice) {
  auto pcm = synthesize("ok", voice);
  if (!pcm) return fail(pcm.error().code, pcm.error().message);
  return {};
}

Pcm listening_chime() {
  Pcm p;
  const double tones[2] = {660.0, 880.0};
  for (double f : tones) {
    const int n = kSpeechRate * 90 / 1000;
    for (int i = 0; i < n; ++i) {
      const double t = static_cast<double>(i) / kSpeechRate;
      // 10 ms raised-cosine edges keep the tone from clicking.
      const double edge = std::min(1.0, std::min(i, n - 1 - i) / (0.010 * kSpeechRate));
      const double env = 0.5 - 0.5 * std::cos(kPi * edge);
      p.samples.push_back(static_cast<int16_t>(std::lround(0.3 * 32767 * env * std::sin(2 * kPi * f * t))));
    }
    p.samples.insert(p.samples.end(), kSpeechRate * 20 / 1000, 0);
  }
  return p;
}

}  // namespace hearth::audio
