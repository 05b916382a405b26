#include "hearth/nlu/intent.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "hearth/color_names.h"
#include "hearth/nlu/contract.h"

namespace hearth::nlu {

namespace {

Result<Intent> check(const nlohmann::json& obj, size_t index) {
  const std::string where = "intent " + std::to_string(index + 1) + ": ";
  if (!obj.is_object()) return fail(ErrorCode::kBadOutput, where + "is not an object");
  auto it = obj.find("intent");
  if (it == obj.end() || !it->is_string()) return fail(ErrorCode::kBadOutput, where + "has no intent name");
  Intent out;
  out.name = it->get<std::string>();
  const IntentSpec* spec = find_intent(out.name);
  if (!spec) return fail(ErrorCode::kBadOutput, where + "unknown intent '" + out.name + "'");
  for (auto kv = obj.begin(); kv != obj.end(); ++kv) {
    if (kv.key() == "intent") continue;
    const auto s = std::find_if(spec->slots.begin(), spec->slots.end(), [&](const SlotSpec& x) { return x.key == kv.key(); });
    if (s == spec->slots.end()) return fail(ErrorCode::kBadOutput, where + out.name + " has no slot '" + kv.key() + "'");
    const nlohmann::json& v = kv.value();
    const std::string slot = out.name + "." + kv.key();
    switch (s->kind) {
      case SlotKind::kInteger:
      case SlotKind::kNumber: {
        if (!v.is_number()) return fail(ErrorCode::kBadOutput, where + slot + " must be a number");
        const double d = v.get<double>();
        if (s->kind == SlotKind::kInteger && d != std::floor(d))
          return fail(ErrorCode::kBadOutput, where + slot + " must be a whole number");
        if (!(d >= s->min && d <= s->max))
          return fail(ErrorCode::kBadOutput, where + slot + " is " + v.dump() + ", allowed " + std::to_string(int(s->min)) + " to " +
                                                 std::to_string(int(s->max)));
        break;
      }
      default: {
        if (!v.is_string()) return fail(ErrorCode::kBadOutput, where + slot + " must be a text");
        // The model writes text values after a space (see encode_intents).
        std::string text = v.get<std::string>();
        if (!text.empty() && text[0] == ' ') text.erase(0, 1);
        if (text.empty()) return fail(ErrorCode::kBadOutput, where + slot + " must be a non-empty text");
        bool allowed = true;
        if (s->kind == SlotKind::kEnum) allowed = std::find(s->values.begin(), s->values.end(), text) != s->values.end();
        if (s->kind == SlotKind::kColor) {
          std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
          allowed = std::any_of(color_names().begin(), color_names().end(), [&](const ColorName& c) { return c.name == text; });
        }
        if (!allowed) return fail(ErrorCode::kBadOutput, where + slot + " '" + text + "' is not an allowed value");
        out.slots[kv.key()] = text;
        continue;
      }
    }
    out.slots[kv.key()] = v;
  }
  return out;
}

}  // namespace

Result<std::vector<Intent>> decode_intents(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) return fail(ErrorCode::kBadOutput, "the model's output is not JSON: " + text.substr(0, 200));
  if (!j.is_array()) return fail(ErrorCode::kBadOutput, "the model's output is not a list of intents");
  std::vector<Intent> out;
  for (size_t i = 0; i < j.size(); ++i) {
    auto r = check(j[i], i);
    if (!r) return Fail(r.error());
    out.push_back(std::move(r).value());
  }
  return out;
}

std::string encode_intents(const std::vector<Intent>& intents) {
  std::string out = "[";
  for (size_t i = 0; i < intents.size(); ++i) {
    if (i) out += ",";
    out += "{\"intent\":" + nlohmann::json(intents[i].name).dump();
    for (const std::string& key : slot_order()) {
      auto it = intents[i].slots.find(key);
      if (it == intents[i].slots.end()) continue;
      // Text values after a space, so they tokenize as the same words in the utterance do.
      const nlohmann::json v = it->is_string() ? nlohmann::json(" " + it->get<std::string>()) : *it;
      out += "," + nlohmann::json(key).dump() + ":" + v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    out += "}";
  }
  return out + "]";
}

nlohmann::json intents_to_json(const std::vector<Intent>& intents, bool with_targets) {
  nlohmann::json arr = nlohmann::json::array();
  for (const Intent& i : intents) {
    nlohmann::json o = {{"intent", i.name}, {"slots", i.slots}};
    if (with_targets) o["targets"] = i.targets;
    arr.push_back(std::move(o));
  }
  return arr;
}

Result<std::vector<Intent>> intents_from_json(const nlohmann::json& j) {
  if (!j.is_array()) return fail(ErrorCode::kInvalidInput, "'intents' must be a list");
  nlohmann::json flat = nlohmann::json::array();
  for (const auto& o : j) {
    if (!o.is_object() || !o.contains("intent")) return fail(ErrorCode::kInvalidInput, "each intent needs an 'intent' name");
    nlohmann::json f = {{"intent", o["intent"]}};
    if (o.contains("slots")) {
      if (!o["slots"].is_object()) return fail(ErrorCode::kInvalidInput, "'slots' must be an object");
      for (auto kv = o["slots"].begin(); kv != o["slots"].end(); ++kv) f[kv.key()] = kv.value();
    }
    flat.push_back(std::move(f));
  }
  auto r = decode_intents(flat.dump());
  if (!r) return fail(ErrorCode::kInvalidInput, r.error().message);
  return r;
}

}  // namespace hearth::nlu
