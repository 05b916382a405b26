// Forward-only schema migrations. Each entry takes the schema from version N-1 to N and runs in
// its own transaction with the version bump, so a failure leaves the previous version intact.
// Never edit a migration that has shipped: add a new one.
#include <array>
#include <string>

#include "database_impl.h"

namespace hearth::storage {

namespace {

struct Migration {
  int version;
  const char* sql;
};

constexpr std::array kMigrations = {
    Migration{1, R"sql(
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version (version) VALUES (0);

CREATE TABLE preferences (
  user       TEXT    NOT NULL,
  key        TEXT    NOT NULL,
  value      TEXT    NOT NULL,          -- JSON
  updated_at INTEGER NOT NULL,          -- ms since epoch
  PRIMARY KEY (user, key)
);

CREATE TABLE history (
  id          INTEGER PRIMARY KEY,
  time_ms     INTEGER NOT NULL,
  input_kind  TEXT    NOT NULL CHECK (input_kind IN ('text', 'voice')),
  utterance   TEXT    NOT NULL,
  intents     TEXT    NOT NULL DEFAULT '[]',   -- JSON array
  reply       TEXT    NOT NULL DEFAULT '',
  outcome     TEXT    NOT NULL,
  latency_ms  INTEGER NOT NULL,
  left_device INTEGER NOT NULL DEFAULT 0 CHECK (left_device IN (0, 1))
);
CREATE INDEX history_by_time ON history (time_ms);

CREATE TABLE outbox (
  id         INTEGER PRIMARY KEY,
  topic      TEXT    NOT NULL,
  payload    BLOB    NOT NULL,
  qos        INTEGER NOT NULL CHECK (qos IN (0, 1, 2)),
  retain     INTEGER NOT NULL DEFAULT 0 CHECK (retain IN (0, 1)),
  created_ms INTEGER NOT NULL,
  ttl_ms     INTEGER NOT NULL,
  state      TEXT    NOT NULL CHECK (state IN ('pending', 'sent', 'acked', 'expired', 'failed')),
  attempts   INTEGER NOT NULL DEFAULT 0,
  updated_ms INTEGER NOT NULL,
  error      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX outbox_by_state ON outbox (state, id);
)sql"},
    Migration{2, R"sql(
CREATE TABLE list_items (
  id           INTEGER PRIMARY KEY,
  list         TEXT    NOT NULL,          -- folded list name: "shopping", "to do"
  item         TEXT    NOT NULL,
  done         INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
  created_ms   INTEGER NOT NULL,
  completed_ms INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX list_items_by_list ON list_items (list, done, id);
)sql"},
    Migration{3, R"sql(
CREATE TABLE learned (
  key        TEXT    PRIMARY KEY,         -- "voice.channel:<microphone>"
  value      TEXT    NOT NULL,            -- JSON
  updated_ms INTEGER NOT NULL
);
)sql"},
};

}  // namespace

int read_schema_version(sqlite3* db) {
  sql::Statement has(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'");
  has.step();
  if (has.column_int(0) == 0) return 0;
  sql::Statement v(db, "SELECT version FROM schema_version LIMIT 1");
  if (!v.step()) return 0;
  return static_cast<int>(v.column_int(0));
}

int migrate(sqlite3* db) {
  for (const Migration& m : kMigrations) {
    sql::exec(db, "BEGIN IMMEDIATE");
    try {
      // Re-read inside the write lock: another process may have migrated meanwhile.
      if (read_schema_version(db) >= m.version) {
        sql::exec(db, "COMMIT");
        continue;
      }
      sql::exec(db, m.sql);
      sql::Statement bump(db, "UPDATE schema_version SET version = ?");
      bump.bind(1, m.version).exec();
      sql::exec(db, "COMMIT");
    } catch (const sql::SqliteError& e) {
      sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      throw sql::SqliteError(e.code, "migration to schema version " + std::to_string(m.version) + " failed: " + e.what());
    }
  }
  static_assert(kMigrations.back().version == Database::kSchemaVersion,
                "kSchemaVersion must be the version of the last migration");
  return read_schema_version(db);
}

}  // namespace hearth::storage
