#include "hearth/storage/learned.h"

#include "database_impl.h"

namespace hearth::storage {

namespace {

Result<void> check_key(const std::string& key) {
  if (key.empty()) return fail(ErrorCode::kInvalidValue, "a learned-state key must not be empty");
  if (key.size() > 200) return fail(ErrorCode::kInvalidValue, "a learned-state key is at most 200 bytes");
  return {};
}

}  // namespace

Learned::Learned(Database& db) : db_(db) {}

Result<std::optional<nlohmann::json>> Learned::get(const std::string& key) {
  if (auto k = check_key(key); !k) return Fail(k.error());
  std::optional<std::string> text;
  auto r = db_.run(false, [&](Database::Impl& impl) {
    sql::Statement st(impl.db, "SELECT value FROM learned WHERE key = ?");
    st.bind(1, key);
    if (st.step()) text = st.column_text(0);
  });
  if (!r) return Fail(r.error());
  if (!text) return std::optional<nlohmann::json>();
  auto value = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return std::optional<nlohmann::json>();
  return std::optional<nlohmann::json>(std::move(value));
}

Result<void> Learned::put(const std::string& key, const nlohmann::json& value) {
  if (auto k = check_key(key); !k) return k;
  const std::string text = value.dump();
  auto r = db_.run(true, [&](Database::Impl& impl) {
    sql::Statement st(impl.db,
                      "INSERT INTO learned (key, value, updated_ms) VALUES (?, ?, ?) "
                      "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_ms = excluded.updated_ms");
    st.bind(1, key).bind(2, text).bind(3, now_ms()).exec();
  });
  if (!r) return Fail(r.error());
  return {};
}

Result<void> Learned::forget(const std::string& key) {
  if (auto k = check_key(key); !k) return k;
  auto r = db_.run(true, [&](Database::Impl& impl) {
    sql::Statement st(impl.db, "DELETE FROM learned WHERE key = ?");
    st.bind(1, key).exec();
  });
  if (!r) return Fail(r.error());
  return {};
}

}  // namespace hearth::storage
