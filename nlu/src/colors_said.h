// Colours and whites said that the model read as something else.
#pragma once

#include <string>
#include <vector>

#include "hearth/nlu/home.h"
#include "hearth/nlu/intent.h"

namespace hearth::nlu {

// The colours of the contract said in `said` (a request's words), each once, without a colour said
// only inside a longer one said ("yellow" in "warm yellow").
std::vector<std::string> colors_said(const std::vector<std::string>& said);

// The small intent model reads a colour name it rarely saw before a device ("lime the headboard
// spotlight", "navy the corner fairy lights") as a brightness change. When the request says
// exactly one colour that no intent carries, and exactly one HassLightSet writes no colour or
// colour temperature but a brightness that nothing said supports (a level with no number or
// level word said, a step with no word of change such as "brighter" or "down"), that brightness
// is the colour. With no such HassLightSet, one HassTurnOn of lights only (by name or domain)
// becomes a HassLightSet of the colour ("turn the tv backlight orange" came out as turn it on).
void color_said_for_brightness(std::vector<Intent>& intents, const std::vector<std::string>& said, const Home& home);

// Whites and colours as said: the model reads "warm yellow" as a warm white (2700 K), "cold white"
// as the colour white, and "make the corner light warm" as dimming it. With one HassLightSet, one
// white said by its warmth ("warm white", "cool", "candlelight") and no other colour: a colour
// written that is a word of that white, or a brightness step with no word of change said, is the
// white's colour temperature. With no white said and one colour said, a colour temperature
// written (and no colour) is that colour.
void white_said(std::vector<Intent>& intents, const std::vector<std::string>& said);

}  // namespace hearth::nlu
