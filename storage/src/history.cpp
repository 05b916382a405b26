#include "hearth/storage/history.h"

#include "database_impl.h"

namespace hearth::storage {

const char* to_string(InputKind kind) { return kind == InputKind::kVoice ? "voice" : "text"; }

History::History(Database& db) : db_(db) {}

Result<int64_t> History::append(const HistoryEntry& e) {
  int64_t id = 0;
  auto r = db_.run(true, [&](Database::Impl& impl) {
    sql::Statement st(impl.db,
                      "INSERT INTO history (time_ms, input_kind, utterance, intents, reply, outcome, latency_ms, "
                      "left_device) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, e.time_ms ? e.time_ms : now_ms())
        .bind(2, to_string(e.input))
        .bind(3, e.utterance)
        .bind(4, e.intents_json.empty() ? std::string("[]") : e.intents_json)
        .bind(5, e.reply)
        .bind(6, e.outcome)
        .bind(7, e.latency_ms)
        .bind(8, e.left_device ? 1 : 0)
        .exec();
    id = sqlite3_last_insert_rowid(impl.db);
  });
  if (!r) return Fail(r.error());
  return id;
}

Result<std::vector<HistoryEntry>> History::list(const HistoryQuery& q) {
  std::vector<HistoryEntry> out;
  auto r = db_.run(false, [&](Database::Impl& impl) {
    sql::Statement st(impl.db,
                      "SELECT id, time_ms, input_kind, utterance, intents, reply, outcome, latency_ms, left_device "
                      "FROM history WHERE time_ms >= ? AND (? = '' OR instr(lower(utterance), lower(?)) > 0 "
                      "OR instr(lower(reply), lower(?)) > 0) ORDER BY time_ms DESC, id DESC LIMIT ?");
    st.bind(1, q.since_ms.value_or(INT64_MIN)).bind(2, q.contains).bind(3, q.contains).bind(4, q.contains).bind(5, q.limit);
    while (st.step()) {
      HistoryEntry e;
      e.id = st.column_int(0);
      e.time_ms = st.column_int(1);
      e.input = st.column_text(2) == "voice" ? InputKind::kVoice : InputKind::kText;
      e.utterance = st.column_text(3);
      e.intents_json = st.column_text(4);
      e.reply = st.column_text(5);
      e.outcome = st.column_text(6);
      e.latency_ms = st.column_int(7);
      e.left_device = st.column_int(8) != 0;
      out.push_back(std::move(e));
    }
  });
  if (!r) return Fail(r.error());
  return out;
}

namespace {
Result<int64_t> delete_where(Database& db, const char* sql_text, std::optional<int64_t> arg) {
  int64_t n = 0;
  auto r = db.run(true, [&](Database::Impl& impl) {
    sql::Statement st(impl.db, sql_text);
    if (arg) st.bind(1, *arg);
    st.exec();
    n = sqlite3_changes(impl.db);
  });
  if (!r) return Fail(r.error());
  return n;
}
}  // namespace

Result<int64_t> History::clear() { return delete_where(db_, "DELETE FROM history", std::nullopt); }

Result<int64_t> History::purge_older_than(int64_t cutoff_ms) {
  return delete_where(db_, "DELETE FROM history WHERE time_ms < ?", cutoff_ms);
}

Result<int64_t> History::count() {
  int64_t n = 0;
  auto r = db_.run(false, [&](Database::Impl& impl) {
    sql::Statement st(impl.db, "SELECT count(*) FROM history");
    st.step();
    n = st.column_int(0);
  });
  if (!r) return Fail(r.error());
  return n;
}

Result<int64_t> purge_by_retention(Database& db, int64_t retention_days, int64_t now) {
  History history(db);
  if (retention_days <= 0) return history.clear();
  return history.purge_older_than(now - retention_days * 86'400'000LL);
}

}  // namespace hearth::storage
