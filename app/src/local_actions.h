// app/src/local_actions.h — carrying out a turn's intents: timers, lists, time and date on the
// hub itself, device intents through the device hub (device_actions.h).
#pragma once

#include <string>
#include <vector>

#include "hearth/devices/hub.h"
#include "hearth/nlu/conversation.h"
#include "hearth/nlu/home.h"
#include "hearth/nlu/intent.h"
#include "hearth/nlu/timers.h"
#include "hearth/storage/history.h"
#include "hearth/storage/lists.h"

namespace hearth::app {

struct LocalOutcome {
  std::string reply;
  bool all_done = true;  // false when a device intent could not be carried out
};

// One answered turn: carries it out (when it acts), appends it to the history and returns the
// reply. The single path `hearth run` and `hearth say` share.
// hub may be null (no broker): device intents are then answered as not carried out.
std::string answer_turn(nlu::Turn& turn, const nlu::Home& home, nlu::Timers& timers, storage::Database& db,
                        int64_t latency_ms, devices::DeviceHub* hub = nullptr,
                        storage::InputKind input = storage::InputKind::kText);

LocalOutcome perform_locally(const std::vector<nlu::Intent>& intents, const nlu::Home& home, nlu::Timers& timers,
                             storage::Lists& lists, devices::DeviceHub* hub = nullptr,
                             const std::string& temperature_unit = "C",
                             const nlu::Messages& words = nlu::Messages::for_language("en"));

}  // namespace hearth::app
