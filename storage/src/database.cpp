#include "hearth/storage/database.h"

#include <chrono>
#include <filesystem>

#include "database_impl.h"

namespace hearth::storage {

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOpenFailed: return "open_failed";
    case ErrorCode::kNotADatabase: return "not_a_database";
    case ErrorCode::kNewerSchema: return "newer_schema";
    case ErrorCode::kMigrationFailed: return "migration_failed";
    case ErrorCode::kIo: return "io";
    case ErrorCode::kInvalidValue: return "invalid_value";
    case ErrorCode::kUnknownKey: return "unknown_key";
    case ErrorCode::kNotFound: return "not_found";
  }
  return "unknown";
}

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

namespace {

ErrorCode code_for(int sqlite_code) {
  switch (sqlite_code & 0xff) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT: return ErrorCode::kNotADatabase;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY: return ErrorCode::kOpenFailed;
    case SQLITE_CONSTRAINT: return ErrorCode::kInvalidValue;
    default: return ErrorCode::kIo;
  }
}

}  // namespace

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Database::~Database() = default;

const std::string& Database::path() const { return impl_->path; }
int Database::schema_version() const { return impl_->version; }

Result<std::unique_ptr<Database>> Database::open(const DatabaseOptions& options) {
  if (options.path.empty()) return fail(ErrorCode::kOpenFailed, "database path is empty");
  std::error_code ec;
  auto parent = std::filesystem::path(options.path).parent_path();
  if (!parent.empty()) {
    std::filesystem::create_directories(parent, ec);
    if (ec) return fail(ErrorCode::kOpenFailed, "cannot create folder " + parent.string() + ": " + ec.message());
  }

  auto impl = std::make_unique<Impl>();
  impl->path = options.path;
  impl->busy_timeout_ms = options.busy_timeout_ms;
  int rc = sqlite3_open_v2(options.path.c_str(), &impl->db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = impl->db ? sqlite3_errmsg(impl->db) : sqlite3_errstr(rc);
    return fail(ErrorCode::kOpenFailed, "cannot open database " + options.path + ": " + msg);
  }
  sqlite3_extended_result_codes(impl->db, 1);
  sqlite3_busy_timeout(impl->db, options.busy_timeout_ms);

  const std::string where = "database " + options.path;
  try {
    // Read the version before touching anything, so a newer file is left exactly as it was.
    int found = read_schema_version(impl->db);
    if (found > kSchemaVersion) {
      return fail(ErrorCode::kNewerSchema,
                  where + " has schema version " + std::to_string(found) + ", newer than this hearth (" +
                      std::to_string(kSchemaVersion) + "); upgrade hearth to open it. The file was not changed.");
    }
    sql::exec(impl->db, "PRAGMA journal_mode = WAL");
    sql::exec(impl->db, "PRAGMA foreign_keys = ON");
    sql::exec(impl->db, options.durability == Durability::kFull ? "PRAGMA synchronous = FULL"
                                                                : "PRAGMA synchronous = NORMAL");
  } catch (const sql::SqliteError& e) {
    return fail(code_for(e.code), where + ": " + e.what());
  }
  try {
    impl->version = migrate(impl->db);
  } catch (const sql::SqliteError& e) {
    return fail(code_for(e.code) == ErrorCode::kNotADatabase ? ErrorCode::kNotADatabase : ErrorCode::kMigrationFailed,
                where + ": " + e.what());
  }
  return std::unique_ptr<Database>(new Database(std::move(impl)));
}

Result<void> Database::run(bool write, const std::function<void(Impl&)>& fn) {
  std::lock_guard lock(impl_->mutex);
  sqlite3* db = impl_->db;
  try {
    if (write) sql::exec(db, "BEGIN IMMEDIATE");
    fn(*impl_);
    if (write) sql::exec(db, "COMMIT");
    return {};
  } catch (const sql::SqliteError& e) {
    if (write && !sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    std::string msg = "database " + impl_->path + ": " + e.what();
    if ((e.code & 0xff) == SQLITE_BUSY)
      msg += " (another process held the database for more than " + std::to_string(impl_->busy_timeout_ms) + " ms)";
    return fail(code_for(e.code), msg);
  } catch (const std::exception& e) {
    if (write && !sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return fail(ErrorCode::kInvalidValue, e.what());
  }
}

Result<void> Database::integrity_check() {
  std::string report;
  auto r = run(false, [&](Impl& impl) {
    sql::Statement st(impl.db, "PRAGMA integrity_check");
    while (st.step()) {
      if (!report.empty()) report += "; ";
      report += st.column_text(0);
    }
  });
  if (!r) return r;
  if (report != "ok") return fail(ErrorCode::kNotADatabase, "database " + impl_->path + " failed its integrity check: " + report);
  return {};
}

}  // namespace hearth::storage
