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

// A device named in full that the model read as only its kind, or as a kind and a place: "shut
// the gas valve" came out as every valve, "turn on the speaker plug" as every speaker, "turn off
// the downstairs thermostat" as the heating downstairs. When `said` (the request's words) holds
// the whole name or an alias of exactly one exposed device that fits an intent naming nothing,
// the intent names it. A name fits when no other intent holds it, it is of a domain the intent
// acts on, and:
//  - it is not one word that says a kind ("lamp"): said, that means the kind;
//  - the kind the model wrote is its own, or was said only inside the name or not at all; a
//    device class written exactly that is the device's own ("is the garage door open") stays
//    the kind;
//  - a floor written was said only inside the name (then it is dropped, as is an area said only
//    there); an area written elsewhere prefers the devices in it, else the one named is kept
//    with the area as said.
void name_said_devices(std::vector<Intent>& intents, const std::vector<std::string>& said, const Home& home);

// A scene or a script named carries its domain, as the intent contract writes it: "apply
// concentrate" came out naming "concentrate" alone. An intent that names only scenes, or only
// scripts, of the home and writes no domain gets theirs.
void scene_or_script_domain(std::vector<Intent>& intents, const Home& home);

// A sensor asked about is read with HassGetState: "what's current pm2.5" came out as asking the
// temperature of "pm2.5". A HassClimateGetTemperature (which names no device in the intent
// contract) naming sensors only becomes HassGetState of them, domain sensor.
void sensor_asked_as_temperature(std::vector<Intent>& intents, const Home& home);

// A sensor named in a question that the model took for small talk: "what's the current
// electricity price" came out as a question hearth cannot answer. A lone chat reply of that kind,
// where the turn asks ("what", "what's", "how", "is", ...) and `said` holds the whole name of a
// sensor or binary sensor of the home and of no other device, becomes HassGetState of it, with
// its domain.
void sensor_named_in_question(std::vector<Intent>& intents, const std::vector<std::string>& said, const Home& home);

// "the whole garden", "switch off the whole ben's room": everything there. An intent that acts on
// devices, names nothing and has an area said right after "whole" names "all" there, with no
// domain unless a word of it was said.
void whole_area_is_all(std::vector<Intent>& intents, const std::vector<std::string>& said);

// A place said that the model left out: "heat the cellar to 24" came out as the heating here. When
// `said` holds exactly one area of the home (by name or alias) that no intent's name, area or
// floor holds, and exactly one intent acts on devices with no name and no place, that intent
// gets the area; not when the area's words are the device class the intent wrote ("close the
// garage").
void place_said_area(std::vector<Intent>& intents, const std::vector<std::string>& said, const Home& home);

// "the bird feeder in maya's room": the device there. The model named the device and dropped the
// place said right after it, or wrote a place made of said words that was never said as one
// ("julia's lamp in clara's room" came out in "julia's room"). An intent that names a device (not
// "all") and no floor, where `said` holds the name followed by "in" ("in the") and an area of the
// home, gets that area: added, or in place of an area written that was not said.
void area_said_after_name(std::vector<Intent>& intents, const std::vector<std::string>& said, const Home& home);

}  // namespace hearth::nlu
