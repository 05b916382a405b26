#include "hearth/storage/outbox.h"

#include "database_impl.h"

namespace hearth::storage {

const char* to_string(OutboxState state) {
  switch (state) {
    case OutboxState::kPending: return "pending";
    case OutboxState::kSent: return "sent";
    case OutboxState::kAcked: return "acked";
    case OutboxState::kExpired: return "expired";
    case OutboxState::kFailed: return "failed";
  }
  return "failed";
}

namespace {

OutboxState state_from(const std::string& s) {
  if (s == "pending") return OutboxState::kPending;
  if (s == "sent") return OutboxState::kSent;
  if (s == "acked") return OutboxState::kAcked;
  if (s == "expired") return OutboxState::kExpired;
  return OutboxState::kFailed;
}

constexpr const char* kColumns =
    "id, topic, payload, qos, retain, created_ms, ttl_ms, state, attempts, updated_ms, error";

OutboxCommand read_row(const sql::Statement& st) {
  OutboxCommand c;
  c.id = st.column_int(0);
  c.topic = st.column_text(1);
  c.payload = st.column_text(2);
  c.qos = static_cast<int>(st.column_int(3));
  c.retain = st.column_int(4) != 0;
  c.created_ms = st.column_int(5);
  c.ttl_ms = st.column_int(6);
  c.state = state_from(st.column_text(7));
  c.attempts = static_cast<int>(st.column_int(8));
  c.updated_ms = st.column_int(9);
  c.error = st.column_text(10);
  return c;
}

}  // namespace

Outbox::Outbox(Database& db) : db_(db) {}

Result<int64_t> Outbox::enqueue(const OutboxCommand& c) {
  if (c.topic.empty()) return fail(ErrorCode::kInvalidValue, "outbox command has an empty topic");
  if (c.qos < 0 || c.qos > 2) return fail(ErrorCode::kInvalidValue, "outbox qos must be 0, 1 or 2, not " + std::to_string(c.qos));
  if (c.ttl_ms <= 0) return fail(ErrorCode::kInvalidValue, "outbox ttl must be positive, not " + std::to_string(c.ttl_ms) + " ms");
  int64_t id = 0;
  auto r = db_.run(true, [&](Database::Impl& impl) {
    const int64_t now = now_ms();
    sql::Statement st(impl.db,
                      "INSERT INTO outbox (topic, payload, qos, retain, created_ms, ttl_ms, state, attempts, "
                      "updated_ms) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?)");
    st.bind(1, c.topic).bind(2, c.payload).bind(3, c.qos).bind(4, c.retain ? 1 : 0)
        .bind(5, c.created_ms ? c.created_ms : now).bind(6, c.ttl_ms).bind(7, now).exec();
    id = sqlite3_last_insert_rowid(impl.db);
  });
  if (!r) return Fail(r.error());
  return id;
}

Result<std::vector<OutboxCommand>> Outbox::undelivered(int64_t limit) {
  std::vector<OutboxCommand> out;
  auto r = db_.run(false, [&](Database::Impl& impl) {
    sql::Statement st(impl.db, std::string("SELECT ") + kColumns +
                                   " FROM outbox WHERE state IN ('pending', 'sent') ORDER BY id LIMIT ?");
    st.bind(1, limit);
    while (st.step()) out.push_back(read_row(st));
  });
  if (!r) return Fail(r.error());
  return out;
}

Result<std::vector<OutboxCommand>> Outbox::expire_due(int64_t now, const std::set<int64_t>& keep) {
  std::vector<OutboxCommand> out;
  auto r = db_.run(true, [&](Database::Impl& impl) {
    out.clear();  // run() may retry the transaction
    sql::Statement st(impl.db, std::string("SELECT ") + kColumns +
                                   " FROM outbox WHERE state IN ('pending', 'sent') AND created_ms + ttl_ms < ? ORDER BY id");
    st.bind(1, now);
    while (st.step()) {
      OutboxCommand c = read_row(st);
      if (!keep.count(c.id)) out.push_back(std::move(c));
    }
    for (const auto& c : out) {
      sql::Statement up(impl.db,
                        "UPDATE outbox SET state = 'expired', updated_ms = ?, error = 'not delivered within its time limit' "
                        "WHERE id = ?");
      up.bind(1, now).bind(2, c.id).exec();
    }
  });
  if (!r) return Fail(r.error());
  for (auto& c : out) c.state = OutboxState::kExpired;
  return out;
}

Result<void> Outbox::mark(int64_t id, OutboxState state, const std::string& error) {
  bool found = false;
  auto r = db_.run(true, [&](Database::Impl& impl) {
    sql::Statement st(impl.db,
                      "UPDATE outbox SET state = ?, updated_ms = ?, error = ?, attempts = attempts + ? WHERE id = ?");
    st.bind(1, to_string(state)).bind(2, now_ms()).bind(3, error).bind(4, state == OutboxState::kSent ? 1 : 0).bind(5, id).exec();
    found = sqlite3_changes(impl.db) > 0;
  });
  if (!r) return r;
  if (!found) return fail(ErrorCode::kNotFound, "no outbox command with id " + std::to_string(id));
  return {};
}

Result<OutboxCommand> Outbox::get(int64_t id) {
  std::optional<OutboxCommand> c;
  auto r = db_.run(false, [&](Database::Impl& impl) {
    sql::Statement st(impl.db, std::string("SELECT ") + kColumns + " FROM outbox WHERE id = ?");
    st.bind(1, id);
    if (st.step()) c = read_row(st);
  });
  if (!r) return Fail(r.error());
  if (!c) return fail(ErrorCode::kNotFound, "no outbox command with id " + std::to_string(id));
  return *c;
}

Result<int64_t> Outbox::depth() {
  int64_t n = 0;
  auto r = db_.run(false, [&](Database::Impl& impl) {
    sql::Statement st(impl.db, "SELECT count(*) FROM outbox WHERE state IN ('pending', 'sent')");
    st.step();
    n = st.column_int(0);
  });
  if (!r) return Fail(r.error());
  return n;
}

Result<int64_t> Outbox::prune_finished(int64_t cutoff_ms) {
  int64_t n = 0;
  auto r = db_.run(true, [&](Database::Impl& impl) {
    sql::Statement st(impl.db, "DELETE FROM outbox WHERE state IN ('acked', 'expired', 'failed') AND updated_ms < ?");
    st.bind(1, cutoff_ms).exec();
    n = sqlite3_changes(impl.db);
  });
  if (!r) return Fail(r.error());
  return n;
}

}  // namespace hearth::storage
