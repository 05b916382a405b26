// app/src/voice.h — the voice side of the app: the wake-word model, the recognizer's vocabulary
// from the home, choosing among the recognizer's hypotheses, and hearing one request.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "config.h"
#include "hearth/audio/recognizer.h"
#include "hearth/audio/voice_pipeline.h"
#include "hearth/audio/wake_word.h"
#include "hearth/nlu/heard.h"
#include "hearth/nlu/parser.h"
#include "hearth/result.h"
#include "hearth/storage/preferences.h"

namespace hearth::app {

// audio.wake_model when set; else the embedded model for `phrase` ("hey computer" ->
// hey-computer.hww, installed under share/hearth/models or in the source tree's audio/model).
std::string wake_model_path(const Config& config, const std::string& phrase);

// The wake-word model for the wake_word preference; an error names the file and, when no
// model exists for the phrase, says how to train one.
Result<std::shared_ptr<const audio::WakeWordModel>, std::string> load_wake_model(const Config& config, const std::string& phrase);

// Pipeline settings from the config (sensitivity, longest request) with this model.
audio::VoicePipelineOptions voice_options(const Config& config, std::shared_ptr<const audio::WakeWordModel> model);

// What the recognizer should listen for: the home's device and area names and aliases.
audio::Vocabulary vocabulary_of(const nlu::Home& home, const std::string& wake_word);

// A transcript without the wake phrase it may start with (the grammar allows it as a prefix).
std::string without_wake(const std::string& text, const std::string& wake);
// The same for a recognizer's hypothesis: from the general model (Hypothesis::open), whose
// transcript starts with the wake phrase as it was heard ("a computer", "the computer"), the
// words up to the phrase's last word are dropped too when they stand where the phrase was.
std::string without_wake(const audio::Hypothesis& heard, const std::string& wake);

// The recognizer's hypotheses (best first) as the NLU takes them: without the wake phrase, each
// text once, empty ones left out.
std::vector<nlu::HeardText> heard_texts(const std::vector<audio::Hypothesis>& hyps, const std::string& wake);

// Of the recognizer's hypotheses (best first), the one that makes sense in this home
// (nlu::choose_heard; state_of, when given, says what each device is doing now), without the
// wake phrase. Empty when there is none.
std::string pick_hypothesis(nlu::IntentParser& parser, const std::vector<audio::Hypothesis>& hyps, const std::string& wake,
                            const nlu::StateOf& state_of = {});

struct ListenRequest {
  std::string wav;             // empty: the microphone (audio.input_device)
  bool wait_for_wake = false;  // else listen at once (push to talk)
  bool print_stages = false;   // "listening", partial words, "heard: ..." on stdout
};
struct Heard {
  std::string text;            // empty: nothing understood was heard
  nlohmann::json info;         // seconds, hypotheses, text, stages
};
struct ListenError {
  std::string message;
  bool usage = false;          // the input was wrong (a bad WAV file), not the machine
};
// Hears one request through the voice pipeline.
Result<Heard, ListenError> listen_once(const Config& config, storage::Preferences& prefs, nlu::IntentParser& parser,
                                       const ListenRequest& request);

}  // namespace hearth::app
