// hearth/devices/hermes.h — the Rhasspy Hermes protocol on hearth's broker.
//
// Hermes satellites, skills and Node-RED flows talk to hearth as they would to Rhasspy:
//   hermes/nlu/query {input, siteId, sessionId, id}  ->  hermes/nlu/intentParsed and
//       hermes/intent/<intentName> (intent, slots, input, siteId, sessionId, ...), or
//       hermes/nlu/intentNotRecognized {input, siteId, sessionId, id}
//   hotword_detected() -> hermes/hotword/<wakewordId>/detected
//   text_captured()    -> hermes/asr/textCaptured
//   say()              -> hermes/tts/say
// The bridge only speaks the protocol; what the text means comes from the QueryHandler (the
// app passes hearth's NLU). Queries are answered on the bridge's own thread, in arrival order.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hearth/devices/hub.h"

namespace hearth::devices {

struct HermesSlot {
  std::string entity;      // e.g. "name", "area", "brightness"
  std::string slot_name;
  std::string raw_value;   // as it was said (or the value's text)
  nlohmann::json value;    // {"kind": "Unknown"|"Number", "value": ...}
  double confidence = 1.0;
};

struct HermesIntent {
  std::string intent_name;  // e.g. HassTurnOn
  double confidence = 0.0;
  std::vector<HermesSlot> slots;
};

struct HermesParse {
  bool recognized = false;
  std::vector<HermesIntent> intents;  // the first is published as the answer; all on hermes/intent/
};

using HermesQueryHandler =
    std::function<HermesParse(const std::string& input, const std::string& site_id, const std::string& session_id)>;

class HermesBridge {
 public:
  HermesBridge(DeviceHub& hub, HermesQueryHandler handler);
  ~HermesBridge();
  HermesBridge(const HermesBridge&) = delete;
  HermesBridge& operator=(const HermesBridge&) = delete;

  void hotword_detected(const std::string& wakeword_id, const std::string& site_id, const std::string& model_id);
  void text_captured(const std::string& text, double likelihood, double seconds, const std::string& site_id,
                     const std::string& session_id);
  void say(const std::string& text, const std::string& site_id, const std::string& session_id,
           const std::string& lang = "en");

  // The payload of hermes/nlu/intentParsed for a query and its parse (exposed for tests).
  static nlohmann::json intent_message(const HermesIntent& intent, const std::string& input, const std::string& site_id,
                                       const std::string& session_id, const std::string& id);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hearth::devices
