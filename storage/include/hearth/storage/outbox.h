// hearth/storage/outbox.h — the durable queue of device commands.
//
// The devices module writes every command here before publishing it, so a command survives the
// broker or the hub going down. Life of a command:
//   pending --published--> sent --PUBACK--> acked
//   pending --TTL passed--> expired          (never published late; reported to the user)
//   pending/sent --refused--> failed
// Commands are handed out in id order (the order they were enqueued). Thread-safe.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "hearth/storage/database.h"

namespace hearth::storage {

enum class OutboxState { kPending, kSent, kAcked, kExpired, kFailed };
const char* to_string(OutboxState state);

struct OutboxCommand {
  int64_t id = 0;
  std::string topic;
  std::string payload;
  int qos = 1;
  bool retain = false;
  int64_t created_ms = 0;
  int64_t ttl_ms = 10000;   // after created_ms + ttl_ms the command is expired instead of sent
  OutboxState state = OutboxState::kPending;
  int attempts = 0;         // times it was handed to the broker
  int64_t updated_ms = 0;
  std::string error;
};

class Outbox {
 public:
  explicit Outbox(Database& db);
  // Stores a new pending command; returns its id. created_ms 0 means now.
  Result<int64_t> enqueue(const OutboxCommand& command);
  // Pending and sent-but-unacknowledged commands, oldest first: what must (re)go to the broker.
  Result<std::vector<OutboxCommand>> undelivered(int64_t limit = 1000);
  // Marks pending/sent commands whose TTL passed at now as expired and returns them; commands
  // whose id is in `keep` (in flight with the broker right now) are left alone.
  Result<std::vector<OutboxCommand>> expire_due(int64_t now = now_ms(), const std::set<int64_t>& keep = {});
  // Moves a command to a new state (sent increments attempts). kNotFound for an unknown id.
  Result<void> mark(int64_t id, OutboxState state, const std::string& error = "");
  Result<OutboxCommand> get(int64_t id);
  // Number of commands not yet acked, expired or failed.
  Result<int64_t> depth();
  // Deletes finished (acked, expired, failed) commands last updated before cutoff_ms.
  Result<int64_t> prune_finished(int64_t cutoff_ms);

 private:
  Database& db_;
};

}  // namespace hearth::storage
