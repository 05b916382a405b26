// Private: what Database owns. Known to the storage .cpp files only.
#pragma once

#include <sqlite3.h>

#include <mutex>
#include <string>

#include "hearth/storage/database.h"
#include "sqlite.h"

namespace hearth::storage {

struct Database::Impl {
  sqlite3* db = nullptr;
  std::string path;
  int version = 0;
  int busy_timeout_ms = 5000;
  std::mutex mutex;  // serialises every use of db

  ~Impl() {
    if (db) sqlite3_close_v2(db);
  }
};

// Brings the schema from its current version to Database::kSchemaVersion (migrations.cpp).
// Precondition: the connection is open and not in a transaction. Throws sql::SqliteError.
int migrate(sqlite3* db);

// Reads schema_version without modifying anything; 0 for a new, empty database.
int read_schema_version(sqlite3* db);

}  // namespace hearth::storage
