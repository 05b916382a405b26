// Follow-ups: a new target for the same action, or a new action on the same target.
#pragma once

#include <string>
#include <vector>

#include "hearth/nlu/intent.h"

namespace hearth::nlu {

// Whether every word is one that neither acts nor names: joiners, fillers, politeness ("ok",
// "um", "and", "please", "in the", ...). Such a stretch is not a request of its own.
bool only_fillers(const std::vector<std::string>& words);

// "and in the dining room", "the office blind thank you", "electric blanket?" after a command:
// the previous action, on what is named now. The small model flips such turns' action (turn off
// came back as turn on) or carries the previous target's place along. When the previous turn was
// one intent acting on devices and this turn says nothing but target words (the names, areas and
// floors the model wrote that were said now, words of a kind of device) and fillers, the result
// is that intent with its target replaced: the names and places said now; the kind said now, or
// else the previous domain, and the previous device class when no name is said now.
// `said`: this turn's normalize()d words. Returns `intents` unchanged otherwise.
std::vector<Intent> same_action_new_target(std::vector<Intent> intents, const std::vector<std::string>& said,
                                           const std::vector<Intent>& prev);

// "and off", "switch it off", "a bit brighter please" after a command: the same devices. The model
// keeps part of the previous target and drops the rest (the name, or the area it was in). When
// the previous turn was one intent acting on devices, this turn is one that switches or sets them
// (turn on/off, toggle, light, position, fan speed) with a target,
// and none of that target was said now (no name, area or floor of it, no word of a kind of device,
// no "all"), the target is the previous one, whole.
std::vector<Intent> same_target_as_before(std::vector<Intent> intents, const std::vector<std::string>& said,
                                          const std::vector<Intent>& prev);

}  // namespace hearth::nlu
