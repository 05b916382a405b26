// Free text (a list item, a song to play) as the whole phrase it was said in.
#pragma once

#include <string>
#include <vector>

#include "hearth/nlu/intent.h"

namespace hearth::nlu {

// The small intent model copies unseen words badly: it writes "sauce" for "put soy sauce on the
// list", "purple" for "play purple rain", "charcoal from" for "tick off charcoal from my list".
// This returns `value` widened over the words said next to it up to the words that frame a
// request (verbs such as "add" and "play", "on", "to", "my", "list", joiners, fillers and
// punctuation), with "the", "a", "of" and "by" kept only between two words of the phrase
// ("walk the dog", "here comes the sun", "bag of rice"), and without a framing word the model
// carried past the end ("charcoal from" -> "charcoal"). A value of framing words only ("some" for
// "play some here comes the sun") is the phrase said right after it.
//
// `value` is returned unchanged (bar the trimming) when it was not said as whole words in `text`,
// or was said more than once (there is no telling which place was meant). Widening never drops a
// word the model wrote.
std::string widen_free_text(const std::string& value, const std::string& text);

// The name said before each "timer" of `text`, in order: "nap" for "kill the nap timer", "screen
// time" for "screen time timer for an hour"; empty for a timer said with no name ("the timer",
// "a ten minute timer", "every timer"). A name is one or two words right before "timer", none of
// them a framing word, a number or a unit of time.
std::vector<std::string> timer_names_said(const std::string& text);

// Timer intents named as said: the model often leaves out a timer's name it has not seen ("soup
// timer for 20 seconds"), writes part of it ("time" for "screen time") or a framing word ("and").
// A name of framing words only, or said nowhere a timer's name goes (before "timer", after
// "called" or "named", before "done" or "ready"), is dropped; then, when the request says "timer" as many times as
// there are timer intents (all timers aside), the k-th timer intent takes the name said before
// the k-th "timer" where it has none or has some of that name's words.
void name_said_timers(std::vector<Intent>& intents, const std::string& text);

// "play radiohead on the kitchen speaker" came out naming the speaker with nothing to play. A
// HassMediaSearchAndPlay with no search query gets the phrase said right after "play" (or "hear",
// "listen to"), framing words skipped, up to the next framing word; none when a preposition comes
// first ("play music on the kitchen speaker": "music" frames, and "on" leads to the player).
void search_query_said(std::vector<Intent>& intents, const std::string& text);

// "something by kendrick lamar", "songs by abba": an artist. A HassMediaSearchAndPlay whose
// search query was said right after "something by" (or anything, songs, music, stuff, tracks)
// gets the media class artist.
void artist_said(std::vector<Intent>& intents, const std::string& text);

}  // namespace hearth::nlu
