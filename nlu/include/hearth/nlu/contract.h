// hearth/nlu/contract.h — the intent contract: Home Assistant's intent names and slot names, what
// each slot may hold, and the grammar the model's output is decoded under.
//
// The model writes a JSON array of flat objects, the intent first and then its slots in
// slot_order(): [{"intent":"HassLightSet","area":"kitchen","domain":"light","brightness":40}].
// hearth extensions to Home Assistant's slots: brightness_step, temperature_step, volume_step
// (signed relative changes, made absolute from the device's state by the resolver), and the
// pseudo-intent "chat" with a topic, which means no device action.
#pragma once

#include <string>
#include <vector>

namespace hearth::nlu {

enum class SlotKind {
  kDeviceName,   // a device name or alias from the home, or "all"
  kArea,         // an area name or alias
  kFloor,        // a floor name or alias
  kDomain,       // one of known_domains()
  kDeviceClass,  // one of known_device_classes()
  kState,        // on, off, open, closed, locked, unlocked, home, away, playing, paused
  kInteger,      // within [min, max]
  kNumber,       // decimal, within [min, max]
  kText,         // copied text (timer names, list items, search queries): a phrase said
  kColor,        // a colour name of hearth/color_names.h that was said
  kListName,     // words said right before "list" (SaidWords::list_names)
  kEnum,         // one of `values`
};

struct SlotSpec {
  std::string key;
  SlotKind kind;
  double min = 0, max = 0;          // for numbers
  std::vector<std::string> values;  // for kEnum
};

struct IntentSpec {
  std::string name;
  std::vector<SlotSpec> slots;  // in slot_order()
  bool targets_devices = false;  // resolved to devices of the home
  std::vector<std::string> domains;  // domains it may act on when none is named (empty: any)
};

// Every intent of the contract, "chat" last.
const std::vector<IntentSpec>& intent_specs();
const IntentSpec* find_intent(const std::string& name);
const std::vector<std::string>& slot_order();
const std::vector<std::string>& states();

// The GBNF grammar of the model's output (see engine/grammar.h). Names, areas and floors are
// the value sets "names", "areas" and "floors", filled from the home at run time; text slots
// are the value set "said" (phrases of the utterance).
// `without` leaves out the slots of these kinds (bits of 1 << SlotKind), for a request where
// their value set is empty: a key must not be offered when no value can follow it.
// With kDurationsSaid set too, the duration slots (hours, minutes, seconds) take only the value
// set "numbers": the numbers said in digits (SaidWords::numbers).
constexpr unsigned kDurationsSaid = 1u << 31;
std::string output_grammar(unsigned without = 0);

}  // namespace hearth::nlu
