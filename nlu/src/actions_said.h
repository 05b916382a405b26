// Actions as said: on or off, open or closed, a timer started, lengthened or shortened; small talk.
#pragma once

#include <string>
#include <vector>

#include "hearth/nlu/home.h"
#include "hearth/nlu/intent.h"

namespace hearth::nlu {

// The small model sometimes writes the opposite switch ("power up the downstairs thermostat" came
// out as turn off). A request read as one HassTurnOn or HassTurnOff, of no domain whose on and off
// mean open/close or lock/unlock (covers, valves, locks), that says a way of switching the other
// way ("power up", "switch on", a closing "on") and no word of its own way, becomes the other.
// `said`: the request's normalize()d words.
void on_off_said(std::vector<Intent>& intents, const std::vector<std::string>& said);

// Opening and closing, locking and unlocking as said: "open the driveway gate" came out as
// closing it, "and unlock it" as locking. A lone HassTurnOn or HassTurnOff of a cover or valve
// (its domain written, or the named device's in `home`) that says only opening words ("open",
// "raise", "lift") or only closing ones ("close", "shut", "lower") is on (open) or off (close); of
// a lock, "unlock" said is off, "lock" as the first word is on.
void open_close_said(std::vector<Intent>& intents, const std::vector<std::string>& said, const Home& home);

// The one timer intent of a request (its name holds "Timer"), or null when there are none or more.
Intent* only_timer(std::vector<Intent>& intents);

// Timer changes as said: the model mixes up starting, lengthening and shortening a timer ("an
// hour and thirty minutes timer" came out as adding to the timer, "remove three hours from the
// timer" as adding). A HassIncreaseTimer or HassDecreaseTimer with no word of its change said
// ("add", "more", "extend"; "less", "remove", "take", ...) becomes the other change when a word of
// that one was said, or else HassStartTimer when the duration was said right before "timer".
// A request with more than one timer intent is left alone.
void timer_change_said(std::vector<Intent>& intents, const std::vector<std::string>& said);

// Adding to a list or checking off as said: "put renew passport on my list" came out as checking
// it off. A lone HassListAddItem or HassListCompleteItem with no word of its own said ("add",
// "put", "need"; "cross", "tick", "done", "bought", ...) becomes the other when a word of that one
// was said.
void list_action_said(std::vector<Intent>& intents, const std::vector<std::string>& said);

// Small talk as said: "hello hello hearth" came out as asking for help, "hello there real quick"
// as goodbye. A lone chat reply of greeting, thanks, goodbye or help, where the turn opens with a
// word of one of greeting, thanks or goodbye, says no word of the others and asks nothing ("what",
// "how", "can", "help", ...), is that one ("hey" is how people address hearth, not a greeting).
void chat_topic_said(std::vector<Intent>& intents, const std::vector<std::string>& said);

// Toggling as said: "ok change light in maya's room" came out as a brighter light, "switch on
// lamps in the lower level" as toggling them. A HassLightSet whose only level is a brightness step,
// in a turn that says "change", "toggle" or "flip" and no word of a direction or level ("brighter",
// "up", "dim", "more", ...), is HassToggle of the same target; a lone HassToggle in a turn that
// says a way of switching on ("switch on", "turn on", ...) and no word of switching off (or the
// other way round), and not "toggle" or "flip", is that switch.
void toggle_said(std::vector<Intent>& intents, const std::vector<std::string>& said);

// Toggling as said: "ok change light in maya's room" came out as a brighter light, "switch on
// lamps in the lower level" as toggling them. A HassLightSet whose only level is a brightness step,
// in a turn that says "change", "toggle" or "flip" and no word of a direction or level ("brighter",
// "up", "dim", "more", ...), is HassToggle of the same target; a lone HassToggle in a turn that
// says a way of switching on ("switch on", "turn on", ...) and no word of switching off (or the
// other way round), and not "change", "toggle" or "flip", is that switch.
void toggle_said(std::vector<Intent>& intents, const std::vector<std::string>& said);

// The temperature of a room asked as said: "how warm is the second bedroom" came out as asking the
// time, the weather or a sensor's state. Where the turn says "how warm" (cold, hot, chilly) "is"
// and right after it ("it in", "the") an area of the home, and no intent asks a temperature, the
// first intent that asks the time, the date, the weather, a timer's status or the state of the
// sensors of a place asks the temperature of that area.
void temperature_asked(std::vector<Intent>& intents, const std::vector<std::string>& said, const Home& home);

// The shortest requests as said, with only politeness around them: "uh cancel" came out as
// goodbye, "louder thank you" as goodbye, "never mind for for me" as setting a light. A turn
// whose words are one of a few fixed requests ("never mind", "cancel", "forget it"; "louder";
// "quieter", "keep it down") and otherwise only fillers (only_fillers() of follow_up.h: "um",
// "please", "thank you", "for me", "right now", ...) is that request, unless the model read it as that intent (which may carry a
// target from the previous turn).
void short_request_said(std::vector<Intent>& intents, const std::vector<std::string>& said);

}  // namespace hearth::nlu
