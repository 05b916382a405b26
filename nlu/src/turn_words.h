// Words that tell whether a turn stands on its own or leans on the previous one.
#pragma once

#include <string>

namespace hearth::nlu {

// "make it brighter", "turn them off", "the same in the kitchen", "what about the hall": words
// that point back at what came before. `norm`: normalize()d text.
bool points_back(const std::string& norm);

// A command or question word ("turn", "set", "open", "is", ...), or chat opening the turn
// ("thanks", "hello"): with nothing pointing back, such a turn is a new request, not a follow-up
// or an answer.
bool new_request(const std::string& norm);

// Whether the previous turn is context for this one: it points back, or it is not a new request
// on its own ("brighter", "50 percent", "the kitchen too", "the one in the office").
inline bool leans_on_previous(const std::string& norm) { return points_back(norm) || !new_request(norm); }

}  // namespace hearth::nlu
