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
                                              // chat stands on its own too
                                              "thanks", "thank", "hello", "hi", "bye", "goodbye", "cheers"};
  return has_any(norm, words);
}

}  // namespace hearth::nlu
