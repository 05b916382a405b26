// app/src/local_actions.h — carrying out the intents hearth handles on the hub itself: timers,
// lists, time and date. Device intents are reported as not carried out until devices/ exists.
#pragma once

#include <string>
#include <vector>

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
std::string answer_turn(nlu::Turn& turn, const nlu::Home& home, nlu::Timers& timers, storage::Database& db,
                        int64_t latency_ms);

LocalOutcome perform_locally(const std::vector<nlu::Intent>& intents, const nlu::Home& home, nlu::Timers& timers,
                             storage::Lists& lists);

}  // namespace hearth::app
