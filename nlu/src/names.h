// Name comparison the way people mean names: case-, article- and plural-insensitive.
#pragma once

#include <string>

#include "hearth/fold.h"
#include "hearth/nlu/home.h"

namespace hearth::nlu {

using hearth::fold;  // lower-case ASCII, single spaces, no leading or trailing space
// fold(), then without a leading "the "/"my "/"a " and with each word's plural "s" dropped:
// "The Kitchen Lights" and "kitchen light" have the same key.
std::string name_key(const std::string& s);

// Whether the device's name or one of its aliases has this name_key().
bool name_matches(const Device& d, const std::string& key);

}  // namespace hearth::nlu
