#include "hearth/storage/lists.h"

#include "database_impl.h"
#include "hearth/fold.h"

namespace hearth::storage {

using hearth::fold;

Lists::Lists(Database& db) : db_(db) {}

std::string Lists::list_key(const std::string& name) {
  std::string k = fold(name);
  for (const char* prefix : {"the ", "my ", "our "})
    if (k.rfind(prefix, 0) == 0) k = k.substr(std::string(prefix).size());
  if (k.size() >= 5 && k.compare(k.size() - 5, 5, " list") == 0) k.resize(k.size() - 5);
  if (k == "list") k.clear();
  return k.empty() ? "shopping" : k;
}

Result<int64_t> Lists::add(const std::string& list, const std::string& item) {
  const std::string it = fold(item);
  if (it.empty()) return fail(ErrorCode::kInvalidValue, "a list item must not be empty");
  if (it.size() > 200) return fail(ErrorCode::kInvalidValue, "a list item is at most 200 bytes");
  const std::string key = list_key(list);
  int64_t id = 0;
  auto r = db_.run(true, [&](Database::Impl& impl) {
    sql::Statement find(impl.db, "SELECT id FROM list_items WHERE list = ? AND item = ? AND done = 0 LIMIT 1");
    find.bind(1, key).bind(2, it);
    if (find.step()) {
      id = find.column_int(0);
      return;
    }
    sql::Statement st(impl.db, "INSERT INTO list_items (list, item, created_ms) VALUES (?, ?, ?)");
    st.bind(1, key).bind(2, it).bind(3, now_ms()).exec();
    id = sqlite3_last_insert_rowid(impl.db);
  });
  if (!r) return Fail(r.error());
  return id;
}

Result<void> Lists::complete(const std::string& list, const std::string& item) {
  const std::string key = list_key(list), it = fold(item);
  bool found = false;
  auto r = db_.run(true, [&](Database::Impl& impl) {
    sql::Statement st(impl.db,
                      "UPDATE list_items SET done = 1, completed_ms = ? WHERE id = "
                      "(SELECT id FROM list_items WHERE list = ? AND item = ? AND done = 0 ORDER BY id LIMIT 1)");
    st.bind(1, now_ms()).bind(2, key).bind(3, it).exec();
    found = sqlite3_changes(impl.db) > 0;
  });
  if (!r) return Fail(r.error());
  if (!found) return fail(ErrorCode::kNotFound, "'" + it + "' is not on the " + key + " list");
  return {};
}

Result<std::vector<ListItem>> Lists::items(const std::string& list, bool include_done) {
  std::vector<ListItem> out;
  const std::string key = list_key(list);
  auto r = db_.run(false, [&](Database::Impl& impl) {
    sql::Statement st(impl.db, std::string("SELECT id, list, item, done, created_ms, completed_ms FROM list_items WHERE list = ?") +
                                   (include_done ? "" : " AND done = 0") + " ORDER BY done, id");
    st.bind(1, key);
    while (st.step()) {
      ListItem i;
      i.id = st.column_int(0);
      i.list = st.column_text(1);
      i.item = st.column_text(2);
      i.done = st.column_int(3) != 0;
      i.created_ms = st.column_int(4);
      i.completed_ms = st.column_int(5);
      out.push_back(std::move(i));
    }
  });
  if (!r) return Fail(r.error());
  return out;
}

}  // namespace hearth::storage
