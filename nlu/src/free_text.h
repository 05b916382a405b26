// Free text (a list item, a song to play) as the whole phrase it was said in.
#pragma once

#include <string>

namespace hearth::nlu {

// The small intent model copies unseen words badly: it writes "sauce" for "put soy sauce on the
// list", "purple" for "play purple rain", "charcoal from" for "tick off charcoal from my list".
// This returns `value` widened over the words said next to it up to the words that frame a
// request (verbs such as "add" and "play", "on", "to", "my", "list", joiners, fillers and
// punctuation), with "the", "a", "of" and "by" kept only between two words of the phrase
// ("walk the dog", "here comes the sun", "bag of rice"), and without a framing word the model
// carried past the end ("charcoal from" -> "charcoal").
//
// `value` is returned unchanged (bar the trimming) when it was not said as whole words in `text`,
// or was said more than once (there is no telling which place was meant). Widening never drops a
// word the model wrote.
std::string widen_free_text(const std::string& value, const std::string& text);

}  // namespace hearth::nlu
