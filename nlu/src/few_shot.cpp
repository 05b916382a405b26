#include "few_shot.h"

#include "hearth/nlu/contract.h"

namespace hearth::nlu {

std::string few_shot_instructions() {
  std::string s =
      "You turn what a person says to their smart home into Home Assistant intents. Answer with a JSON list of "
      "intents only, no other text: each is an object with \"intent\" first and then its slots; text values begin "
      "with a space. Use name for a device's name, area and floor for places, domain and device_class for kinds of "
      "device, \"all\" as the name for every matching device. Locks: HassTurnOn locks, HassTurnOff unlocks. Covers: "
      "HassTurnOn opens. Anything that is not a home request: [{\"intent\":\"chat\",\"topic\":\" unsupported\"}].\n"
      "Intents and their slots:\n";
  for (const IntentSpec& spec : intent_specs()) {
    s += spec.name + ":";
    for (const SlotSpec& slot : spec.slots) s += " " + slot.key;
    s += "\n";
  }
  return s;
}

const std::vector<std::pair<std::string, std::string>>& few_shot_examples() {
  static const std::vector<std::pair<std::string, std::string>> examples = {
      {"turn on the reading lamp", R"([{"intent":"HassTurnOn","name":" reading lamp"}])"},
      {"switch off the lights in the hall", R"([{"intent":"HassTurnOff","area":" hall","domain":" light"}])"},
      {"dim the lounge lights to 30 percent", R"([{"intent":"HassLightSet","area":" lounge","domain":" light","brightness":30}])"},
      {"it's cold in here", R"([{"intent":"HassClimateSetTemperature","temperature_step":1}])"},
      {"unlock the back door and open the garage",
       R"([{"intent":"HassTurnOff","name":" back door","domain":" lock"},{"intent":"HassTurnOn","domain":" cover","device_class":" garage"}])"},
      {"is the patio light on", R"([{"intent":"HassGetState","name":" patio light","state":" on"}])"},
      {"set a pizza timer for 12 minutes", R"([{"intent":"HassStartTimer","name":" pizza","minutes":12}])"},
      {"put oat milk on the shopping list", R"([{"intent":"HassListAddItem","item":" oat milk"}])"},
      {"(previous request: [{\"intent\":\"HassTurnOn\",\"name\":\" reading lamp\",\"domain\":\" light\"}]) make it brighter",
       R"([{"intent":"HassLightSet","name":" reading lamp","domain":" light","brightness_step":25}])"},
      {"who wrote hamlet", R"([{"intent":"chat","topic":" unsupported"}])"},
  };
  return examples;
}

}  // namespace hearth::nlu
