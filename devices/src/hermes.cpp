// The Hermes bridge: nlu queries answered on a worker thread (never on the MQTT thread, which
// must keep reading states while the model runs).
#include "hearth/devices/hermes.h"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace hearth::devices {

namespace {

std::string text_of(const nlohmann::json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

}  // namespace

struct HermesBridge::Impl {
  DeviceHub& hub;
  HermesQueryHandler handler;
  std::mutex mu;
  std::condition_variable cv;
  std::deque<nlohmann::json> queries;
  bool stopping = false;
  std::thread worker;

  Impl(DeviceHub& h, HermesQueryHandler f) : hub(h), handler(std::move(f)) {}

  void publish(const std::string& topic, const nlohmann::json& j) { hub.publish(Publish{topic, j.dump(), 1, false}); }

  void answer(const nlohmann::json& q) {
    const std::string input = text_of(q, "input"), site = text_of(q, "siteId").empty() ? "default" : text_of(q, "siteId");
    const std::string session = text_of(q, "sessionId"), id = text_of(q, "id");
    HermesParse parse;
    try {
      parse = handler(input, site, session);
    } catch (const std::exception& e) {
      spdlog::error("hermes: query failed: {}", e.what());
    }
    if (!parse.recognized || parse.intents.empty()) {
      nlohmann::json nr = {{"input", input}, {"siteId", site}, {"sessionId", session.empty() ? nullptr : nlohmann::json(session)},
                           {"id", id.empty() ? nullptr : nlohmann::json(id)}, {"customData", nullptr}};
      publish("hermes/nlu/intentNotRecognized", nr);
      return;
    }
    publish("hermes/nlu/intentParsed", HermesBridge::intent_message(parse.intents.front(), input, site, session, id));
    for (const HermesIntent& i : parse.intents)
      publish("hermes/intent/" + i.intent_name, HermesBridge::intent_message(i, input, site, session, id));
  }

  void run() {
    std::unique_lock lock(mu);
    while (true) {
      cv.wait(lock, [&] { return stopping || !queries.empty(); });
      if (stopping) return;
      nlohmann::json q = std::move(queries.front());
      queries.pop_front();
      lock.unlock();
      answer(q);
      lock.lock();
    }
  }
};

HermesBridge::HermesBridge(DeviceHub& hub, HermesQueryHandler handler)
    : impl_(std::make_unique<Impl>(hub, std::move(handler))) {
  Impl* raw = impl_.get();
  impl_->worker = std::thread([raw] { raw->run(); });
  hub.subscribe("hermes/nlu/query", [raw](const MqttMessage& m) {
    nlohmann::json q = nlohmann::json::parse(m.payload, nullptr, false);
    if (q.is_discarded() || !q.is_object() || !q.contains("input") || !q["input"].is_string()) {
      spdlog::warn("hermes: ignored a query that is not a JSON object with an 'input' text");
      return;
    }
    std::lock_guard lock(raw->mu);
    if (raw->queries.size() >= 100) {
      spdlog::warn("hermes: more than 100 queries waiting; dropped one");
      return;
    }
    raw->queries.push_back(std::move(q));
    raw->cv.notify_one();
  });
}

HermesBridge::~HermesBridge() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  impl_->worker.join();
}

nlohmann::json HermesBridge::intent_message(const HermesIntent& intent, const std::string& input, const std::string& site_id,
                                            const std::string& session_id, const std::string& id) {
  nlohmann::json slots = nlohmann::json::array();
  for (const HermesSlot& s : intent.slots) {
    nlohmann::json v = s.value.is_null() ? nlohmann::json{{"kind", "Unknown"}, {"value", s.raw_value}} : s.value;
    slots.push_back({{"entity", s.entity},
                     {"slotName", s.slot_name},
                     {"rawValue", s.raw_value},
                     {"value", v},
                     {"confidence", s.confidence},
                     {"range", nullptr}});
  }
  return {{"input", input},
          {"intent", {{"intentName", intent.intent_name}, {"confidenceScore", intent.confidence}}},
          {"slots", slots},
          {"siteId", site_id},
          {"sessionId", session_id.empty() ? nullptr : nlohmann::json(session_id)},
          {"id", id.empty() ? nullptr : nlohmann::json(id)},
          {"customData", nullptr},
          {"asrTokens", nlohmann::json::array()},
          {"asrConfidence", nullptr},
          {"rawInput", input},
          {"wakewordId", nullptr},
          {"lang", nullptr}};
}

void HermesBridge::hotword_detected(const std::string& wakeword_id, const std::string& site_id, const std::string& model_id) {
  impl_->publish("hermes/hotword/" + wakeword_id + "/detected",
                 {{"modelId", model_id}, {"modelVersion", ""}, {"modelType", "personal"}, {"currentSensitivity", 1.0},
                  {"siteId", site_id}, {"sessionId", nullptr}, {"sendAudioCaptured", nullptr}, {"lang", nullptr},
                  {"customEntities", nullptr}});
}

void HermesBridge::text_captured(const std::string& text, double likelihood, double seconds, const std::string& site_id,
                                 const std::string& session_id) {
  impl_->publish("hermes/asr/textCaptured",
                 {{"text", text}, {"likelihood", likelihood}, {"seconds", seconds}, {"siteId", site_id},
                  {"sessionId", session_id.empty() ? nullptr : nlohmann::json(session_id)}, {"wakewordId", nullptr},
                  {"asrTokens", nullptr}, {"lang", nullptr}});
}

void HermesBridge::say(const std::string& text, const std::string& site_id, const std::string& session_id,
                       const std::string& lang) {
  impl_->publish("hermes/tts/say", {{"text", text}, {"siteId", site_id}, {"lang", lang}, {"id", nullptr},
                                    {"sessionId", session_id.empty() ? nullptr : nlohmann::json(session_id)},
                                    {"volume", 1.0}});
}

}  // namespace hearth::devices
