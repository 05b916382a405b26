// Name comparison the way people mean names: case-, article- and plural-insensitive.
#pragma once

#include <string>
#include <vector>

#include "hearth/fold.h"
#include "hearth/nlu/home.h"
#include "hearth/nlu/intent.h"

namespace hearth::nlu {

using hearth::fold;  // lower-case ASCII, single spaces, no leading or trailing space
// fold(), then without a leading "the "/"my "/"a " and with each word's plural "s" dropped:
// "The Kitchen Lights" and "kitchen light" have the same key.
std::string name_key(const std::string& s);

// The words of s (split at spaces).
std::vector<std::string> words_of(const std::string& s);

// Whether `said` (a request's words) holds phrase's fold()ed words one after another.
bool says(const std::vector<std::string>& said, const std::string& phrase);

// Whether the device's name or one of its aliases has this name_key().
bool name_matches(const Device& d, const std::string& key);

// The longest of `known` that holds `value` and was said as a whole where `value` was said
// (`said`: the request's words): "what fans are off in third bedroom", read with the area
// "bedroom", means "third bedroom" when the home has both. Only when every place `value` was
// said lies inside such a phrase ("the bedroom lamp in the second bedroom" keeps "bedroom").
// Returns `value` otherwise.
std::string widen_to_said(const std::string& value, const std::vector<std::string>& known,
                          const std::vector<std::string>& said);

// A device named in full that the model read as only its kind: "shut the gas valve" came out as
// every valve, "set the downstairs thermostat to 67" as the thermostat here. When `said` (the
// request's words) holds the whole name of exactly one exposed device of an intent's kind (a name
// or alias of two words or more, so never a bare kind), no intent names or places it, and the
// intent names nothing and no floor, the intent names it. A kind the model wrote exactly (the
// device's class: "is the garage door open") stays the kind.
void name_said_devices(std::vector<Intent>& intents, const std::vector<std::string>& said, const Home& home);

// A place said that the model left out: "heat the cellar to 24" came out as the heating here. When
// `said` holds exactly one area of the home (by name or alias) that no intent's name, area or
// floor holds, and exactly one intent acts on devices with no name and no place, that intent
// gets the area; not when the area's words are the device class the intent wrote ("close the
// garage").
void place_said_area(std::vector<Intent>& intents, const std::vector<std::string>& said, const Home& home);

}  // namespace hearth::nlu
