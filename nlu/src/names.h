// Name comparison the way people mean names: case-, article- and plural-insensitive.
#pragma once

#include <string>
#include <vector>

#include "hearth/fold.h"
#include "hearth/nlu/home.h"

namespace hearth::nlu {

using hearth::fold;  // lower-case ASCII, single spaces, no leading or trailing space
// fold(), then without a leading "the "/"my "/"a " and with each word's plural "s" dropped:
// "The Kitchen Lights" and "kitchen light" have the same key.
std::string name_key(const std::string& s);

// Whether the device's name or one of its aliases has this name_key().
bool name_matches(const Device& d, const std::string& key);

// The longest of `known` that holds `value` and was said as a whole where `value` was said
// (`said`: the request's words): "what fans are off in third bedroom", read with the area
// "bedroom", means "third bedroom" when the home has both. Only when every place `value` was
// said lies inside such a phrase ("the bedroom lamp in the second bedroom" keeps "bedroom").
// Returns `value` otherwise.
std::string widen_to_said(const std::string& value, const std::vector<std::string>& known,
                          const std::vector<std::string>& said);

}  // namespace hearth::nlu
