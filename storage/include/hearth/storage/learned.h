// hearth/storage/learned.h — what hearth has learned about this home on its own.
//
// Not preferences (nothing a user sets or sees in `hearth prefs`): state the hub adapts while it
// runs and should not have to learn again after a restart, such as the speech recognizer's
// normalization of a microphone's channel. One JSON value per key; writing a key replaces its
// value. A stored value that is not JSON (a damaged file) reads as absent, with nothing else
// lost. Thread-safe (through Database).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "hearth/storage/database.h"

namespace hearth::storage {

class Learned {
 public:
  explicit Learned(Database& db);
  // The value stored under key; nullopt when there is none. kInvalidValue for an empty key.
  Result<std::optional<nlohmann::json>> get(const std::string& key);
  // kInvalidValue for an empty key or one over 200 bytes.
  Result<void> put(const std::string& key, const nlohmann::json& value);
  // Forgets key (not an error when it was never stored).
  Result<void> forget(const std::string& key);

 private:
  Database& db_;
};

}  // namespace hearth::storage
