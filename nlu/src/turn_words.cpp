#include "turn_words.h"

#include <set>
#include <sstream>

namespace hearth::nlu {

namespace {

bool has_any(const std::string& norm, const std::set<std::string>& words) {
  std::istringstream in(norm);
  for (std::string w; in >> w;)
    if (words.count(w)) return true;
  return false;
}

}  // namespace

bool points_back(const std::string& norm) {
  static const std::set<std::string> words = {"it", "them", "that", "those", "same", "too", "also", "again", "about"};
  return has_any(norm, words);
}

bool new_request(const std::string& norm) {
  static const std::set<std::string> words = {"turn", "switch", "set", "make", "open", "close", "lock", "unlock", "dim",
                                              "brighten", "play", "start", "stop", "add", "put", "toggle", "pause",
                                              "resume", "cancel", "activate", "run", "what", "what's", "is", "are",
                                              "change", "flip", "shut", "kill", "power", "raise", "lower", "heat",
                                              "cool", "tell", "check", "when", "which", "who", "where", "does", "can",
                                              "could", "would"};
  // Chat stands on its own too, when it opens the turn: "thanks", "hello there"; "the office
  // blind thank you" is a follow-up said politely.
  static const std::set<std::string> chat = {"thanks", "thank", "hello", "hi", "bye", "goodbye", "cheers"};
  return has_any(norm, words) || chat.count(norm.substr(0, norm.find(' '))) > 0;
}

}  // namespace hearth::nlu
