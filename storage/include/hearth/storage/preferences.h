// hearth/storage/preferences.h — the user's typed, validated preferences.
//
// Every preference has a type, a default and a validation rule (kSpecs). Unset preferences read as
// their default. Values are stored as JSON per user; a value that fails validation is refused with
// kInvalidValue and a message saying what is allowed, and nothing stored changes.
// Thread-safe (through Database).
#pragma once

#include <nlohmann/json.hpp>

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hearth/storage/database.h"

namespace hearth::storage {

enum class PrefType { kString, kChoice, kBool, kInt };

struct PreferenceSpec {
  std::string_view key;
  PrefType type;
  std::string_view description;
  std::string_view default_text;             // the default, written as a user would type it
  std::vector<std::string_view> choices;     // kChoice: allowed values
  int64_t min = 0, max = 0;                  // kInt: inclusive range
  size_t max_length = 0;                     // kString: longest accepted value in bytes
};

// All preferences, in display order.
std::span<const PreferenceSpec> preference_specs();
// nullptr when the key does not exist.
const PreferenceSpec* find_preference(std::string_view key);

struct PreferenceValue {
  std::string key;
  nlohmann::json value;   // typed: string, bool or integer
  bool is_default = true; // not set by the user
  int64_t updated_at_ms = 0;
};

class Preferences {
 public:
  // user: whose preferences; the hub's single household uses "default".
  explicit Preferences(Database& db, std::string user = "default");

  // The effective value (stored, else the default). kUnknownKey for a key not in the specs.
  Result<nlohmann::json> get(std::string_view key);
  // Typed shortcuts for consumers; they fall back to the default on any storage error.
  std::string get_string(std::string_view key);
  bool get_bool(std::string_view key);
  int64_t get_int(std::string_view key);

  // Parses text as a user types it ("on", "21", "F") and stores it. kUnknownKey / kInvalidValue.
  Result<void> set(std::string_view key, std::string_view text);
  // Stores a JSON value of the preference's type (for the HTTP API and imports).
  Result<void> set_json(std::string_view key, const nlohmann::json& value);
  // Back to the default. Unsetting an unset preference is fine.
  Result<void> unset(std::string_view key);

  // Every preference with its effective value, in spec order.
  Result<std::vector<PreferenceValue>> list();
  // {"key": value, ...} of every effective value, for `prefs export`.
  Result<nlohmann::json> export_json();

  // Validates a JSON value for key and returns it normalised (e.g. "F" for "f").
  static Result<nlohmann::json> validate(std::string_view key, const nlohmann::json& value);
  // Parses text into the preference's JSON type, then validates.
  static Result<nlohmann::json> parse(std::string_view key, std::string_view text);

 private:
  Database& db_;
  std::string user_;
};

}  // namespace hearth::storage
