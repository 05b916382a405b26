// hearth/nlu/intent.h — one understood intent, and the model output that holds them.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "hearth/nlu/error.h"

namespace hearth::nlu {

struct Intent {
  std::string name;                                  // "HassTurnOn", ..., or "chat"
  nlohmann::json slots = nlohmann::json::object();   // slot key -> string or number
  std::vector<std::string> targets;                  // device ids, once resolved

  bool is_chat() const { return name == "chat"; }
  bool operator==(const Intent& o) const { return name == o.name && slots == o.slots; }
};

// Parses the model's output (" [{...},...]") and checks it against the contract: known intent,
// known slots for it, value types, numeric ranges. kBadOutput names the intent and slot.
Result<std::vector<Intent>> decode_intents(const std::string& model_output);
// The compact JSON the model writes for these intents (slots in slot_order(), every text value
// after a space: "name":" desk lamp"), without the leading space of the answer: what the
// prompt's prev part holds. decode_intents() takes the spaces off again.
std::string encode_intents(const std::vector<Intent>& intents);
// {"intent","slots","targets"} objects, as `hearth parse` prints them.
nlohmann::json intents_to_json(const std::vector<Intent>& intents, bool with_targets = true);
// The reverse of intents_to_json for evaluation sets ({"intent","slots"} objects).
Result<std::vector<Intent>> intents_from_json(const nlohmann::json& j);

}  // namespace hearth::nlu
