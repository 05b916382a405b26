// hearth/nlu/conversation.h — one conversation: understand a turn, resolve it against the home,
// follow up on the previous turn, ask when unsure, and say what will be done.
//
// A turn's previous turn is used only within the session window (default 30 s). A clarification
// question ("Which light: ...?") keeps the unresolved intent, so the answer ("the desk lamp")
// completes it; an answer that names a place or a name of only some of the devices asked about,
// or "both"/"all of them", is settled by rule without the model. Sensitive actions (unlock; open a door, garage door or gate) wait for a yes
// unless confirm_sensitive is off. Below the confidence threshold nothing is done: the user is
// asked to rephrase, or the cloud model is asked when the user allows it (CloudMode).
//
// Nothing here touches a device: the caller executes Turn::intents (in order) when
// Turn::act is true.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hearth/nlu/cloud.h"
#include "hearth/nlu/messages.h"
#include "hearth/nlu/parser.h"
#include "hearth/nlu/resolver.h"

namespace hearth::nlu {

enum class CloudMode { kOff, kAsk, kAuto };  // the cloud_fallback preference: off, ask, auto

struct ConversationOptions {
  std::chrono::milliseconds session_window{30000};
  double confidence_threshold = 0.3;   // nlu/training/RESULTS.md: coverage and accuracy by threshold
  bool confirm_sensitive = true;
  std::string language = "en";         // of the replies (Messages); understanding is English
  CloudMode cloud_mode = CloudMode::kOff;
  CloudClient* cloud = nullptr;  // used below the threshold when cloud_mode allows; not owned
};

struct Turn {
  std::string text;
  std::vector<Intent> intents;  // device and service intents with targets; chat excluded
  std::string reply;
  double confidence = 0.0;
  std::string source;           // local, cache, cloud, or "rule" (answers to a confirmation)
  double latency_ms = 0.0;
  bool act = false;             // the caller should carry out `intents`
  bool clarification = false;   // the reply is a question about what was meant
  bool needs_confirmation = false;
  std::vector<std::string> choices;  // answers a screen can offer as buttons: "yes"/"no", or the
                                     // options of a clarification question
  bool left_device = false;     // the utterance was sent to the cloud model
};

class Conversation {
 public:
  using Clock = std::chrono::steady_clock;
  Conversation(IntentParser& parser, ConversationOptions options = {});

  // One utterance; speaker_area may be empty. Errors only for a failing model; bad or odd input
  // gets a reply.
  Turn handle(const std::string& text, const std::string& speaker_area, Clock::time_point now = Clock::now());
  void reset();
  // The language of the following replies (a code Messages knows; others reply in English).
  void set_language(const std::string& code);

 private:
  IntentParser& parser_;
  ConversationOptions options_;
  const Messages* messages_;            // the catalog of options_.language
  std::vector<Intent> last_;            // the previous turn's intents, as the prompt shows them
  Clock::time_point last_at_{};
  std::vector<Intent> awaiting_yes_;    // sensitive intents waiting for a confirmation
  std::string awaiting_cloud_;          // an utterance waiting for permission to go to the cloud
  std::vector<std::string> candidates_;  // the devices the last clarification question chose among

  // The candidates an answer to a clarification picks by rule (empty: the model reads it).
  std::vector<std::string> picked_by_rule(const std::string& norm) const;
  void act_on_resolved(Turn& turn, std::vector<Intent> actions, std::string chat, Clock::time_point now);
  void act_on(Turn& turn, std::vector<Intent> intents, const std::string& speaker_area, Clock::time_point now);
  void ask_cloud(Turn& turn, const std::string& text, const std::string& speaker_area, Clock::time_point now);
};

// The reply for intents that will be carried out.
std::string reply_for(const std::vector<Intent>& intents, const Home& home,
                      const Messages& words = Messages::for_language("en"));
// The reply to a chat topic.
std::string chat_reply(const std::string& topic, const Messages& words = Messages::for_language("en"));

}  // namespace hearth::nlu
