#include "voice.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <system_error>
#include <vector>

#include "hearth/audio/capture.h"
#include "hearth/audio/player.h"
#include "hearth/audio/speech_out.h"
#include "hearth/audio/wav.h"

namespace hearth::app {

std::string wake_model_path(const Config& config, const std::string& phrase) {
  if (!config.audio.wake_model.empty()) return config.audio.wake_model;
  std::string file;
  for (char c : phrase) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) file += static_cast<char>(std::tolower(u));
    else if (!file.empty() && file.back() != '-') file += '-';
  }
  while (!file.empty() && file.back() == '-') file.pop_back();
  file += ".hww";
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::vector<std::filesystem::path> candidates;
  if (!ec) candidates.push_back(exe.parent_path().parent_path() / "share/hearth/models" / file);
  candidates.push_back(std::filesystem::path(HEARTH_SOURCE_DIR) / "audio/model" / file);
  for (const auto& c : candidates)
    if (std::filesystem::exists(c, ec)) return c.string();
  return candidates.back().string();
}

Result<std::shared_ptr<const audio::WakeWordModel>, std::string> load_wake_model(const Config& config, const std::string& phrase) {
  const std::string path = wake_model_path(config, phrase);
  std::error_code ec;
  if (config.audio.wake_model.empty() && !std::filesystem::exists(path, ec))
    return Fail<std::string>("no wake-word model for \"" + phrase + "\" (" + path +
                             "); train one with audio/training/reproduce.sh, or set the wake_word preference to \"hey computer\"");
  auto m = audio::WakeWordModel::load(path);
  if (!m) return Fail<std::string>(m.error().message);
  if (m->phrase() != phrase) spdlog::warn("the wake-word model {} is for \"{}\", not \"{}\"", path, m->phrase(), phrase);
  return std::shared_ptr<const audio::WakeWordModel>(std::make_shared<audio::WakeWordModel>(std::move(*m)));
}

audio::VoicePipelineOptions voice_options(const Config& config, std::shared_ptr<const audio::WakeWordModel> model) {
  audio::VoicePipelineOptions o;
  o.wake_model = std::move(model);
  o.wake.sensitivity = config.audio.wake_sensitivity_percent / 100.0;
  o.max_utterance_ms = config.audio.max_utterance_ms;
  o.suppress_noise = config.audio.noise_suppression == "on";
  return o;
}

// What the recognizer should listen for: the home's device and area names and aliases.
audio::Vocabulary vocabulary_of(const nlu::Home& home, const std::string& wake_word) {
  audio::Vocabulary v;
  for (const auto& d : home.devices) {
    if (!d.expose) continue;
    const size_t first = v.device_names.size();
    v.device_names.push_back(d.name);
    for (const auto& a : d.aliases) v.device_names.push_back(a);
    // A device whose name leaves out its room is often named with it: "the kids room blind".
    // Only these pairs, not every area with every device: a larger grammar is heard worse in
    // noise (the cross product cost 8 points at 10 dB SNR on the voice bench).
    if (!d.area.empty() && d.name.find(d.area) == std::string::npos) v.device_names.push_back(d.area + " " + d.name);
    const audio::DeviceKind kind = audio::device_kind_of_domain(d.domain);
    for (size_t i = first; i < v.device_names.size(); ++i) v.kinds.emplace_back(v.device_names[i], kind);
  }
  for (const auto& a : home.areas) {
    v.area_names.push_back(a.name);
    for (const auto& al : a.aliases) v.area_names.push_back(al);
  }
  v.wake_phrase = wake_word;
  return v;
}

std::string without_wake(const std::string& text, const std::string& wake) {
  if (wake.empty() || text.rfind(wake, 0) != 0) return text;
  return text.substr(std::min(text.size(), wake.size() + 1));
}

std::string without_wake(const audio::Hypothesis& heard, const std::string& wake) {
  if (!heard.open || wake.empty() || heard.text.rfind(wake, 0) == 0) return without_wake(heard.text, wake);
  // The general model heard the whole request, the wake phrase included, and often not as
  // itself ("a computer call my sister"): up to its last word, found where the phrase could
  // have been (no further than one word past its length), is the phrase.
  auto words_of = [](const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string w; in >> w;) out.push_back(w);
    return out;
  };
  const std::vector<std::string> wake_words = words_of(wake), words = words_of(heard.text);
  if (wake_words.empty()) return heard.text;
  for (size_t i = 0; i < words.size() && i <= wake_words.size(); ++i)
    if (words[i] == wake_words.back()) {
      std::string rest;
      for (size_t j = i + 1; j < words.size(); ++j) rest += (rest.empty() ? "" : " ") + words[j];
      return rest;
    }
  return heard.text;
}

std::vector<nlu::HeardText> heard_texts(const std::vector<audio::Hypothesis>& hyps, const std::string& wake) {
  std::vector<nlu::HeardText> out;
  for (const auto& h : hyps) {
    std::string text = without_wake(h, wake);
    if (text.empty()) continue;
    if (std::any_of(out.begin(), out.end(), [&](const nlu::HeardText& t) { return t.text == text; })) continue;
    out.push_back({std::move(text), h.below});
  }
  return out;
}

std::string pick_hypothesis(nlu::IntentParser& parser, const std::vector<audio::Hypothesis>& hyps, const std::string& wake,
                            const nlu::StateOf& state_of) {
  const auto heard = heard_texts(hyps, wake);
  if (heard.empty()) return "";
  auto chosen = nlu::choose_heard(parser, heard, state_of);
  return chosen ? heard[chosen->index].text : heard.front().text;
}

Result<Heard, ListenError> listen_once(const Config& config, storage::Preferences& prefs, nlu::IntentParser& parser,
                                       const ListenRequest& request) {
  std::unique_ptr<audio::AudioSource> source;
  audio::Pcm recording;
  if (!request.wav.empty()) {
    auto pcm = audio::read_wav_16k(request.wav);
    if (!pcm) return Fail<ListenError>({pcm.error().message, pcm.error().code == audio::ErrorCode::kBadWav});
    recording = std::move(*pcm);
    // As from a microphone: a moment of quiet before, and enough after for the end of speech.
    std::vector<int16_t> fed(audio::kSpeechRate * 3 / 10, 0);
    fed.insert(fed.end(), recording.samples.begin(), recording.samples.end());
    fed.insert(fed.end(), audio::kSpeechRate, 0);
    source = std::make_unique<audio::RecordingSource>(std::move(fed), false, request.wav);
  } else {
    audio::CaptureOptions co;
    co.device = config.audio.input_device;
    auto c = audio::Capture::open(co);
    if (!c) return Fail<ListenError>({"no microphone: " + c.error().message, false});
    source = std::move(*c);
  }
  auto recognizer = audio::Recognizer::create();
  if (!recognizer) return Fail<ListenError>({recognizer.error().message, false});
  const std::string wake_word = prefs.get_string("wake_word");
  const audio::Vocabulary vocab = vocabulary_of(parser.home(), wake_word);
  if (auto r = (*recognizer)->set_vocabulary(vocab); !r) return Fail<ListenError>({r.error().message, false});
  for (const auto& d : (*recognizer)->dropped()) spdlog::debug("not in the speech dictionary: {}", d);
  std::shared_ptr<const audio::WakeWordModel> model;
  if (request.wait_for_wake) {
    auto m = load_wake_model(config, wake_word);
    if (!m) return Fail<ListenError>({m.error(), false});
    model = *m;
  }
  Heard heard;
  heard.info = {{"seconds", recording.seconds()}, {"hypotheses", nlohmann::json::array()}, {"stages", nlohmann::json::array()}};
  std::vector<audio::Hypothesis> hyps;
  bool done = false;
  std::unique_ptr<audio::Player> chime_player;
  audio::VoicePipeline* pipeline_ptr = nullptr;
  auto on_event = [&](const audio::VoiceEvent& e) {
    if (e.stage == audio::VoiceStage::kLevel) return;
    heard.info["stages"].push_back({{"stage", audio::to_string(e.stage)}, {"at", e.at_seconds}, {"text", e.text}});
    if (e.open && request.print_stages) std::cout << "not a request the grammar holds; the general model heard it" << std::endl;
    if (e.stage == audio::VoiceStage::kWake) {
      if (request.print_stages) std::cout << (e.push_to_talk ? "listening" : "wake word heard, listening") << std::endl;
      if (request.wav.empty()) {  // a real microphone: the chime says hearth is listening
        audio::PlayerOptions po;
        po.device = config.audio.output_device;
        if (auto p = audio::Player::open(po)) {
          chime_player = std::move(*p);
          (void)chime_player->play(audio::listening_chime());
        }
      }
    } else if (e.stage == audio::VoiceStage::kPartial) {
      if (request.print_stages) std::cout << "... " << e.text << std::endl;
    } else if (e.stage == audio::VoiceStage::kFinal || e.stage == audio::VoiceStage::kNothingHeard) {
      if (e.stage == audio::VoiceStage::kFinal) hyps = e.hypotheses;
      if (!e.message.empty()) heard.info["rejected"] = e.message;
      if (!e.message.empty() && request.print_stages) std::cout << e.message << std::endl;
      done = true;
      pipeline_ptr->stop();
    }
  };
  audio::VoicePipelineOptions options = voice_options(config, model);
  options.in_doubt = [&](const audio::Hypothesis& best) {  // no device states here: names and sense only
    const std::string text = without_wake(best, wake_word);
    auto sense = nlu::makes_sense(parser, text, {});
    return !text.empty() && sense && !*sense;
  };
  audio::VoicePipeline pipeline(std::move(*recognizer), options, on_event);
  pipeline_ptr = &pipeline;
  if (!request.wait_for_wake) pipeline.push_to_talk();
  auto r = pipeline.run(*source);
  if (!done && !r) {
    if (r.error().code == audio::ErrorCode::kEndOfStream)
      return Fail<ListenError>({request.wait_for_wake ? "no wake word heard in " + request.wav : "no speech heard in " + request.wav, false});
    return Fail<ListenError>({r.error().message, false});
  }
  for (const auto& h : hyps)
    heard.info["hypotheses"].push_back({{"text", h.text}, {"score", h.score}, {"margin", h.margin}, {"open", h.open}});
  heard.text = pick_hypothesis(parser, hyps, wake_word);
  heard.info["text"] = heard.text;
  if (request.print_stages) std::cout << "heard: " << (heard.text.empty() ? "(nothing)" : heard.text) << std::endl;
  return heard;
}

}  // namespace hearth::app
