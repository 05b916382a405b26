// hearth/storage/database.h — the SQLite file that holds preferences, history and the outbox.
//
// Contract:
// - open() creates the file (and its parent folder) if missing, then brings the schema up to
//   kSchemaVersion with forward-only migrations, each in its own transaction.
// - A database written by a newer hearth (schema_version > kSchemaVersion) is refused with
//   kNewerSchema and is not modified in any way (not even its journal mode).
// - WAL journal, foreign keys on, a busy timeout; writes use BEGIN IMMEDIATE and are retried while
//   another process holds the write lock, so callers do not see "database is locked" unless the
//   lock is held for longer than busy_timeout_ms.
// - Thread-safe: one connection owned by the Database, calls serialised by an internal mutex.
//   Several processes may open the same file (the hub service and a `hearth prefs` command).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "hearth/storage/error.h"

namespace hearth::storage {

enum class Durability {
  kNormal,  // survives a process crash (SIGKILL); a power cut may lose the last commits
  kFull,    // fsync on every commit: also survives a power cut, slower writes
};

struct DatabaseOptions {
  std::string path;               // the .db file; its folder is created if missing
  int busy_timeout_ms = 5000;     // how long a write waits for another writer
  Durability durability = Durability::kNormal;
};

class Statement;

class Database {
 public:
  // The schema version this build writes. Opening a newer file fails with kNewerSchema.
  static constexpr int kSchemaVersion = 3;

  static Result<std::unique_ptr<Database>> open(const DatabaseOptions& options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  const std::string& path() const;
  int schema_version() const;

  // Runs PRAGMA integrity_check; ok() when SQLite answers "ok", else kNotADatabase with its report.
  Result<void> integrity_check();

  // Internal to the storage module: runs fn with the connection locked, inside BEGIN IMMEDIATE
  // ... COMMIT when write is true. Exceptions thrown by fn roll back and become an Error.
  struct Impl;
  Result<void> run(bool write, const std::function<void(Impl&)>& fn);

 private:
  explicit Database(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Milliseconds since the Unix epoch, the unit of every time column.
int64_t now_ms();

}  // namespace hearth::storage
