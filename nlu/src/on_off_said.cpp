#include "on_off_said.h"

#include <set>

#include "names.h"

namespace hearth::nlu {
namespace {

bool says_any(const std::vector<std::string>& said, const std::vector<std::string>& phrases) {
  for (const auto& p : phrases)
    if (says(said, p)) return true;
  return false;
}

}  // namespace

void on_off_said(std::vector<Intent>& intents, const std::vector<std::string>& said) {
  if (intents.size() != 1 || said.empty()) return;
  Intent& i = intents[0];
  if (i.name != "HassTurnOn" && i.name != "HassTurnOff") return;
  const std::string domain = i.slots.value("domain", "");
  if (domain == "cover" || domain == "valve" || domain == "lock") return;
  static const std::vector<std::string> on_ways = {"power up", "power on", "switch on", "turn on", "turn it on",
                                                   "switch it on", "turn them on", "switch them on"};
  static const std::vector<std::string> on_words = {"on", "up", "start", "enable", "activate", "open"};
  static const std::vector<std::string> off_ways = {"power down", "power off", "switch off", "turn off", "shut down",
                                                    "shut off", "turn it off", "switch it off", "turn them off"};
  static const std::vector<std::string> off_words = {"off", "shut", "stop", "kill", "down", "disable", "deactivate",
                                                     "cut", "close"};
  if (i.name == "HassTurnOff" && (says_any(said, on_ways) || said.back() == "on") && !says_any(said, off_words))
    i.name = "HassTurnOn";
  else if (i.name == "HassTurnOn" && (says_any(said, off_ways) || said.back() == "off") && !says_any(said, on_words))
    i.name = "HassTurnOff";
}

}  // namespace hearth::nlu
