// The command grammar: how people ask a home for things, over this home's names.
#include <algorithm>
#include <cctype>
#include <set>

#include "hearth/audio/recognizer.h"

namespace hearth::audio {

namespace {

// Lower-case words of letters, digits and apostrophes; anything else separates words.
std::string clean(const std::string& name) {
  std::string out;
  for (char c : name) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '\'') out += static_cast<char>(std::tolower(u));
    else if (!out.empty() && out.back() != ' ') out += ' ';
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string alternatives(const std::vector<std::string>& names) {
  std::set<std::string> seen;
  std::string out;
  for (const auto& n : names) {
    const std::string c = clean(n);
    if (c.empty() || !seen.insert(c).second) continue;
    out += (out.empty() ? "" : " | ") + c;
  }
  return out;
}

}  // namespace

std::string command_grammar(const Vocabulary& v) {
  const std::string devices = alternatives(v.device_names);
  const std::string areas = alternatives(v.area_names);
  std::string g = "#JSGF V1.0;\ngrammar hearth;\n";
  const std::string wake = clean(v.wake_phrase);
  g += "public <utterance> = " + std::string(wake.empty() ? "" : "[<wake>] ") + "[please] <request> [please];\n";
  if (!wake.empty()) g += "<wake> = " + wake + ";\n";
  std::string things = devices.empty() ? "" : "<device>";
  if (!areas.empty()) things += std::string(things.empty() ? "" : " | ") + "<area> (light | lights | lamp | lamps) | all the lights";
  if (things.empty()) things = "lights | light";
  g += "<thing> = " + things + ";\n";
  if (!devices.empty()) g += "<device> = " + devices + ";\n";
  if (!areas.empty()) g += "<area> = " + areas + ";\n";
  g += "<number> = one | two | three | four | five | ten | fifteen | twenty | twenty five | thirty | forty | fifty | sixty"
       " | seventy | seventy five | eighty | ninety | one hundred | eighteen | nineteen | twenty one | twenty two"
       " | twenty three | seventeen | sixteen;\n";
  g += "<request> = (turn | switch) (on | off) [the] <thing> | (turn | switch) [the] <thing> (on | off)"
       " | (open | close | lock | unlock | toggle) [the] <thing>"
       " | (set | dim) [the] <thing> to <number> [percent | degrees]"
       " | set the temperature to <number> [degrees]"
       " | is [the] <thing> (on | off | open | closed | locked | unlocked)"
       " | what is the temperature" + std::string(areas.empty() ? "" : " [in the <area>]") +
       " | (start | stop) the (vacuum | robot vacuum)"
       " | set a timer for <number> (minute | minutes | second | seconds)"
       " | what time is it | never mind | thank you;\n";
  return g;
}

}  // namespace hearth::audio
