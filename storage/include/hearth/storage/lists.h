// hearth/storage/lists.h — the user's lists (shopping list, to-do lists), kept on the hub.
//
// A list is named by a short word or two ("shopping", "to do", "hardware store"); names are
// compared folded (lower case, single spaces, without a trailing " list"), and the default list
// is "shopping". Adding an item that is already open on the list keeps one copy; completing marks
// the oldest open copy done. Thread-safe (through Database).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hearth/storage/database.h"

namespace hearth::storage {

struct ListItem {
  int64_t id = 0;
  std::string list;
  std::string item;
  bool done = false;
  int64_t created_ms = 0;
  int64_t completed_ms = 0;
};

class Lists {
 public:
  explicit Lists(Database& db);
  // The folded list name ("My Shopping List" -> "shopping"); "" means the shopping list.
  static std::string list_key(const std::string& name);
  // Returns the item's id (the existing one when it is already open). kInvalidValue for an empty
  // or over-long (200 bytes) item.
  Result<int64_t> add(const std::string& list, const std::string& item);
  // kNotFound when no open item of that text is on the list.
  Result<void> complete(const std::string& list, const std::string& item);
  // Open items first, oldest first; done ones too when include_done.
  Result<std::vector<ListItem>> items(const std::string& list, bool include_done = false);

 private:
  Database& db_;
};

}  // namespace hearth::storage
