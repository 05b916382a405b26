// The words people use for a kind of device: "lamp" for a light, "telly" for a tv.
#pragma once

#include <string>
#include <vector>

namespace hearth::nlu {

// The words and two-word phrases that say a device class ("speaker", "garage door") or, with no
// class, a domain ("lamp", "air con"), fold()ed; the class or domain's own name among them. Empty
// for a kind with no such words (sensor, person).
std::vector<std::string> kind_words(const std::string& domain, const std::string& device_class);

// Whether `word` (one fold()ed word) says some kind of device on its own: a one-word device
// name that is such a word ("lamp", "tv") means the kind when said, never the device alone.
bool is_kind_word(const std::string& word);

}  // namespace hearth::nlu
