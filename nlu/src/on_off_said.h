// Turning on or off as said.
#pragma once

#include <string>
#include <vector>

#include "hearth/nlu/intent.h"

namespace hearth::nlu {

// The small model sometimes writes the opposite switch ("power up the downstairs thermostat" came
// out as turn off). A request read as one HassTurnOn or HassTurnOff, of no domain whose on and off
// mean open/close or lock/unlock (covers, valves, locks), that says a way of switching the other
// way ("power up", "switch on", a closing "on") and no word of its own way, becomes the other.
// `said`: the request's normalize()d words.
void on_off_said(std::vector<Intent>& intents, const std::vector<std::string>& said);

}  // namespace hearth::nlu
