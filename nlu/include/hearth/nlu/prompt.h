// hearth/nlu/prompt.h — the text format the intent model was trained on.
//
// The same functions exist in Python (nlu/training/hearth_format.py); tests/nlu checks that both
// give the same prompt for every utterance of the evaluation sets. Changing the format means
// retraining the model (its GGUF carries hearth.prompt_format = kPromptFormat).
//
//   prev: [{"intent":"HassTurnOn","name":"desk lamp","domain":"light"}] user: make it brighter intent:
//
// and the model answers " [...intents...]" then end-of-sequence.
#pragma once

#include <string>
#include <string_view>

namespace hearth::nlu {

inline constexpr const char* kPromptFormat = "hearth-intents-1";

// Lower-case ASCII letters, drop , ! ? ; " ( ) [ ] { }, keep '.' and ':' only between digits,
// collapse white space. Other bytes (other scripts) pass unchanged.
std::string normalize(std::string_view text);
// The prompt for an utterance; prev_json is the previous turn's intents as the model writes them
// (empty: no previous turn).
std::string make_prompt(std::string_view text, std::string_view prev_json);

}  // namespace hearth::nlu
