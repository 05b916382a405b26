// hearth/audio/speech_out.h — text to speech with espeak-ng or flite, and the listening chime.
//
// A voice is named "<engine>:<voice>": "flite:slt", "flite:rms", "flite:awb", "flite:kal",
// "flite:kal16" (flite's built-in US English voices), or "espeak-ng:<voice>[+<variant>]" such as
// "espeak-ng:en-us" or "espeak-ng:en+f3". A bare name is looked for in both. Speech comes back
// as 16 kHz mono; playing it is player.h's job. Both engines keep global state, so calls are
// serialised inside; espeak-ng speaks a short reply in ~1-2 ms, flite in 1-30 ms by voice.
#pragma once

#include <string>
#include <vector>

#include "hearth/audio/error.h"
#include "hearth/audio/wav.h"

namespace hearth::audio {

constexpr const char* kDefaultVoice = "flite:slt";

struct SpeechStyle {
  double speed = 1.0;  // 0.5-2.0, words per minute relative to the voice's own
  double pitch = 1.0;  // 0.5-2.0, relative to the voice's own
};

// The voices that can be named (flite's, then a selection of espeak-ng's English ones).
std::vector<std::string> speech_voices();

// Speaks `text` (UTF-8, at most 4,000 bytes). kSpeech for an unknown voice or an engine failure,
// kInvalidInput for empty or oversized text or a style outside its range.
Result<Pcm> synthesize(const std::string& text, const std::string& voice = kDefaultVoice, const SpeechStyle& style = {});

// Whether `voice` names a voice that can speak here (it says a word and throws the sound away):
// kSpeech, with the engine's reason, when not. For checking the `voice` preference as it is set.
Result<void> check_voice(const std::string& voice);

// The "I am listening" sound: two short rising sine tones with soft edges, made here (16 kHz).
Pcm listening_chime();

}  // namespace hearth::audio
