// hearth/nlu/heard.h — of the sentences speech recognition heard, the one that makes sense here.
//
// The recognizer hands on its best sentence and a few others the audio could be, each with how
// much worse it fits (per 10 ms frame). Acoustics alone confuse "turn on" and "turn off", or two
// lamps with similar names; the home can tell them apart: a request must be understood, must
// name devices this home has, and a switch request should change something (asking to turn on
// a lamp that is already on is rarely what was said when "turn off" fitted almost as well).
//
// Alternatives are understood one at a time and only while the best is in doubt, so a clear
// request costs one understanding, as a typed one does; the recognizer is asked for them only
// then too (makes_sense()).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "hearth/nlu/parser.h"

namespace hearth::nlu {

struct HeardText {
  std::string text;
  double below = 0;  // how much worse than the best it fits the audio, per frame (0: the best)
};

struct HeardOptions {
  // Alternatives fitting the audio worse than this (per frame) are never taken over the best.
  double max_below = 2.0;
  double min_confidence = 0.3;  // below this a sentence is not understood
  std::string speaker_area;     // for resolving "the light"
};

struct HeardChoice {
  size_t index = 0;            // into the sentences given
  Understanding understanding;  // of that sentence (empty intents when none was understood)
  // Why not the best: "" when it is the best; "not understood", "names nothing here",
  // "changes nothing" when an alternative was taken over it.
  std::string why;
};

// A device's state as the registry knows it ("on", "off", "open", "closed", ...); "" unknown.
using StateOf = std::function<std::string(const std::string& device_id)>;

// Whether a sentence makes sense here: understood, naming devices this home has, changing
// something. When the best sentence does not, the recognizer's alternatives are worth their cost.
Result<bool> makes_sense(IntentParser& parser, const std::string& text, const StateOf& state_of,
                         const HeardOptions& options = {});

// The sentence to act on: the first (best first) within options.max_below that is understood,
// resolves to this home's devices and changes something; failing that, the first understood that
// resolves; failing that, the best. An error only when understanding the best failed.
Result<HeardChoice> choose_heard(IntentParser& parser, const std::vector<HeardText>& heard, const StateOf& state_of,
                                 const HeardOptions& options = {});

}  // namespace hearth::nlu
