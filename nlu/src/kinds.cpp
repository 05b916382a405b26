#include "kinds.h"

#include <map>
#include <set>

namespace hearth::nlu {
namespace {

// The same words the intent model's corpus uses for kinds (nlu/training/corpus.py DOMAIN_WORDS,
// CLASS_WORDS), with the plural of each and the domain's own name.
const std::map<std::string, std::vector<std::string>>& domain_words() {
  static const std::map<std::string, std::vector<std::string>> words = {
      {"light", {"light", "lights", "lamp", "lamps", "lighting", "bulb", "bulbs"}},
      {"fan", {"fan", "fans"}},
      {"switch", {"switch", "switches", "plug", "plugs", "outlet", "outlets", "socket", "sockets"}},
      {"media_player", {"media player", "music player", "speaker", "speakers", "tv", "television", "telly"}},
      {"climate", {"heating", "heater", "ac", "air conditioning", "thermostat", "thermostats", "heat", "air con"}},
      {"valve", {"valve", "valves", "water valve", "sprinkler", "sprinklers", "water"}},
      {"cover", {"cover", "covers", "blind", "blinds", "curtain", "curtains", "drapes", "shade", "shades", "shutter",
                 "shutters", "garage", "garage door", "gate", "gates", "awning", "window", "windows", "door", "doors"}},
      {"lock", {"lock", "locks"}},
      {"vacuum", {"vacuum", "robot vacuum", "hoover"}},
      {"scene", {"scene", "scenes"}},
      {"script", {"script", "scripts"}},
  };
  return words;
}

const std::map<std::string, std::vector<std::string>>& class_words() {
  static const std::map<std::string, std::vector<std::string>> words = {
      {"blind", {"blind", "blinds"}},       {"curtain", {"curtain", "curtains", "drapes"}},
      {"shade", {"shade", "shades"}},       {"shutter", {"shutter", "shutters"}},
      {"garage", {"garage", "garage door", "garage doors"}},
      {"gate", {"gate", "gates"}},          {"awning", {"awning", "awnings"}},
      {"window", {"window", "windows"}},    {"door", {"door", "doors"}},
      {"outlet", {"outlet", "outlets", "socket", "sockets", "power outlet"}},
      {"tv", {"tv", "tvs", "television", "telly"}},
      {"speaker", {"speaker", "speakers"}},
  };
  return words;
}

}  // namespace

std::vector<std::string> kind_words(const std::string& domain, const std::string& device_class) {
  if (!device_class.empty())
    if (auto c = class_words().find(device_class); c != class_words().end()) return c->second;
  if (auto d = domain_words().find(domain); d != domain_words().end()) return d->second;
  return {};
}

bool is_kind_word(const std::string& word) {
  static const std::set<std::string> words = [] {
    std::set<std::string> out;
    for (const auto* table : {&domain_words(), &class_words()})
      for (const auto& [kind, ws] : *table)
        for (const auto& w : ws)
          if (w.find(' ') == std::string::npos) out.insert(w);
    return out;
  }();
  return words.count(word) > 0;
}

}  // namespace hearth::nlu
