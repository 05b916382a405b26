#include "local_actions.h"

#include <spdlog/spdlog.h>

#include "hearth/nlu/contract.h"
#include "hearth/nlu/conversation.h"
#include "hearth/storage/preferences.h"
#include "device_actions.h"

namespace hearth::app {

LocalOutcome perform_locally(const std::vector<nlu::Intent>& intents, const nlu::Home& home, nlu::Timers& timers,
                             storage::Lists& lists, devices::DeviceHub* hub, const std::string& temperature_unit,
                             const nlu::Messages& words) {
  LocalOutcome out;
  auto say = [&](const std::string& s) { out.reply += (out.reply.empty() ? "" : " ") + s; };
  for (const nlu::Intent& i : intents) {
    if (auto r = timers.handle(i)) {
      say(*r);
      continue;
    }
    if (i.name == "HassListAddItem" || i.name == "HassListCompleteItem") {
      const std::string list = i.slots.value("name", std::string()), item = i.slots.value("item", std::string());
      if (i.name == "HassListAddItem") {
        auto r = lists.add(list, item);
        say(r ? nlu::reply_for({i}, home, words) : "I couldn't add that: " + r.error().message + ".");
      } else {
        auto r = lists.complete(list, item);
        say(r ? nlu::reply_for({i}, home, words) : r.error().message + ".");
      }
      continue;
    }
    const nlu::IntentSpec* spec = nlu::find_intent(i.name);
    if (spec && spec->targets_devices) {
      DeviceOutcome d = perform_device_intent(i, home, hub, temperature_unit, words);
      say(d.reply);
      out.all_done = out.all_done && d.done;
      continue;
    }
    say(nlu::reply_for({i}, home, words));  // time, date, weather, never mind
  }
  return out;
}

std::string answer_turn(nlu::Turn& t, const nlu::Home& home, nlu::Timers& timers, storage::Database& db, int64_t latency_ms,
                        devices::DeviceHub* hub, storage::InputKind input) {
  bool done = false;
  if (t.act) {
    storage::Lists lists(db);
    storage::Preferences prefs(db);
    const nlu::Messages& words = nlu::Messages::for_language(prefs.get_string("language"));
    timers.set_language(words.code());
    LocalOutcome o = perform_locally(t.intents, home, timers, lists, hub, prefs.get_string("temperature_unit"), words);
    t.reply = o.reply;
    done = o.all_done;
  }
  storage::HistoryEntry e;
  e.utterance = t.text;
  e.input = input;
  e.intents_json = nlu::intents_to_json(t.intents).dump();
  e.reply = t.reply;
  e.outcome = t.clarification ? "clarify" : t.needs_confirmation ? "confirm" : !t.act ? "no_action" : done ? "done" : "not_executed";
  e.left_device = t.left_device;
  e.latency_ms = latency_ms;
  if (auto r = storage::History(db).append(e); !r) spdlog::error("history: {}", r.error().message);
  return t.reply;
}

}  // namespace hearth::app
