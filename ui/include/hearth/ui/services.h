// hearth/ui/services.h — what the window is given by whoever opens it (no Qt in this header:
// `app/` fills it in without linking Qt).
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace hearth::devices {
class DeviceHub;
}
namespace hearth::storage {
class Database;
}

namespace hearth::ui {

struct UiAnswer {
  std::string reply;
  std::vector<std::string> choices;  // offered as buttons: "yes"/"no", or a clarification's options
  bool left_device = false;          // the cloud model was asked: the transcript marks it
};

struct UiServices {
  // Understands and carries out one utterance; returns the answer. Called on a worker thread.
  std::function<UiAnswer(const std::string& text)> say;
  devices::DeviceHub* hub = nullptr;     // null: no devices (the status line says so)
  storage::Database* db = nullptr;       // preferences and history
  bool model_loaded = true;
  // Voice: null when there is no voice input. Called on the GUI thread; must not block.
  std::function<void()> push_to_talk;
  std::string wake_phrase = "hey computer";
};

}  // namespace hearth::ui
