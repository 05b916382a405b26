// Whether a request is in a language hearth does not understand yet.
#pragma once

#include <string>

namespace hearth::nlu {

// Whether `norm` (normalize()d text) reads as German, French, Spanish, Italian, Dutch, Portuguese
// or Polish rather than English: mostly words of those languages' everyday requests ("mach bitte
// das licht aus", "pon un temporizador de cinco minutos"), at least one of them a word English
// never uses, and fewer English request words than foreign ones. A home's own names in another
// language ("turn on the deckenlicht in the küche") do not make an English request foreign.
//
// The model is English-only: read as English, "mach bitte das licht aus" came out as a dimming
// of every light with fair confidence, and "pon un temporizador" as unlocking.
bool other_language(const std::string& norm);

}  // namespace hearth::nlu
