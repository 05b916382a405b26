// Numbers as people say them: "37", "thirty seven", "twenty seven hundred".
#pragma once

#include <string>
#include <vector>

#include "hearth/nlu/intent.h"

namespace hearth::nlu {

// Whether `word` (one fold()ed word) is a cardinal number word: "zero" to "nineteen", the tens,
// "hundred", "thousand".
bool is_number_word(const std::string& word);

// The whole numbers said in `words` (fold()ed words of one utterance), in order: digits ("37",
// ":05" is 5) and runs of number words ("thirty seven" is 37, "one hundred and five" 105,
// "twenty seven hundred" 2,700; "two twenty" is 2 and 20, as a unit after a unit or a ten after
// a unit starts a new number).
struct SaidNumbers {
  std::vector<long long> values;
  // False when some quantity was said in a way these values do not hold: a fraction or a vague
  // amount ("half", "a quarter", "a couple", "an hour", "few") or a decimal ("1.5").
  bool exact = true;
};
SaidNumbers numbers_said(const std::vector<std::string>& words);

// Durations as said: the model, under the said-numbers grammar, still puts a number said in the
// wrong unit or drops one ("six minutes 20 seconds" came out as 20 minutes, "10 minutes 10
// seconds" as 10 minutes). A request with one timer start, lengthening or shortening that carries
// a duration, where every quantity was said as a whole number and each unit once right after its
// number, gets the durations said: hours, minutes and seconds as said, the others dropped. A
// duration right before "timer" names the timer changed ("5 more minutes on the 10 minute timer"),
// not the change, unless one is started. `said`: the request's normalize()d words.
void durations_said(std::vector<Intent>& intents, const std::vector<std::string>& said);

// Levels as said: the model sometimes writes a level that was never said ("twelve per cent" came
// out as 2, "100 percent" as 10, "75 percent" after a turn at 100 as 100). A brightness, fan
// percentage, volume or position that is neither a whole number said nor the value of a level said
// by name ("half", "max", "low", ...) becomes the one number said that no slot holds, when there is
// exactly one (0-100). A light's brightness that was never said, where one number is said in
// kelvin, is that colour temperature ("twenty seven hundred kelvin" came out as brightness 27);
// a colour temperature never said, with no white said by name and one number said in percent, is
// that brightness ("twenty percent" came out as 2000 K). `said`: the request's normalize()d words.
void levels_said(std::vector<Intent>& intents, const std::vector<std::string>& said);

}  // namespace hearth::nlu
