// hearth/storage/history.h — what was said, what hearth understood and did.
//
// Rows are kept for the user's history_retention_days preference and purged by purge_older_than()
// (at start and daily by the app). append() returns only after the row is committed: an
// acknowledged row survives a crash of the process. Thread-safe (through Database).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hearth/storage/database.h"

namespace hearth::storage {

enum class InputKind { kText, kVoice };
const char* to_string(InputKind kind);

struct HistoryEntry {
  int64_t id = 0;            // assigned by append()
  int64_t time_ms = 0;       // when the utterance arrived, ms since epoch (0: now)
  InputKind input = InputKind::kText;
  std::string utterance;
  std::string intents_json = "[]";  // the parsed intents, a JSON array
  std::string reply;
  std::string outcome;       // short machine word: done, clarify, refused, failed, chat, ...
  int64_t latency_ms = 0;    // utterance in to reply out
  bool left_device = false;  // true when any part of the request was sent off the hub (cloud)
};

struct HistoryQuery {
  int64_t limit = 50;                   // newest first; at most this many rows
  std::optional<int64_t> since_ms;      // only rows at or after this time
  std::string contains;                 // only rows whose utterance or reply contains this text
};

class History {
 public:
  explicit History(Database& db);
  // Stores the entry; returns its id.
  Result<int64_t> append(const HistoryEntry& entry);
  // Newest first.
  Result<std::vector<HistoryEntry>> list(const HistoryQuery& query = {});
  // Deletes every row; returns how many.
  Result<int64_t> clear();
  // Deletes rows older than cutoff_ms; returns how many.
  Result<int64_t> purge_older_than(int64_t cutoff_ms);
  Result<int64_t> count();

 private:
  Database& db_;
};

// Purges history by the retention preference (days; 0 deletes all). Returns rows deleted.
Result<int64_t> purge_by_retention(Database& db, int64_t retention_days, int64_t now = now_ms());

}  // namespace hearth::storage
