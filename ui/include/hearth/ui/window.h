// hearth/ui/window.h — the window as a loadable module (no Qt in this header).
//
// Qt and the window live in `hearth-window.so`, which `hearth run` opens only when it shows a
// window: loading Qt costs every process about 11 MiB of resident memory, which a headless hub
// and the command line should not carry. The module carries its own copy of the code it calls
// from devices/, storage/ and audio/ (built from the same sources, not exported either way); the
// objects it is handed (the hub, the database) stay owned by `hearth run`.
#pragma once

#include <functional>
#include <string>

#include "hearth/ui/services.h"

namespace hearth::audio {
struct VoiceEvent;
}

namespace hearth::ui {

// Where the window sends what arrives from other threads while it is open.
struct WindowSinks {
  std::function<void(const audio::VoiceEvent&)> voice_event;
  std::function<void(const std::string& heard, const UiAnswer& answer)> voice_turn;
};

struct WindowRun {
  UiServices services;
  bool kiosk = false;
  // Readable when a signal arrived (a signalfd); on_signal handles it and says whether to quit.
  int signal_fd = -1;
  std::function<bool()> on_signal;
  // Called on the GUI thread every `tick_ms` (history purging).
  std::function<void()> on_tick;
  int tick_ms = 3'600'000;
  // Called on the GUI thread with the window's sinks once it is shown, and with empty sinks
  // before it closes; the caller keeps them under its own lock.
  std::function<void(WindowSinks)> attach;
};

// The module's entry point: runs Qt's event loop on the calling thread until the window is closed
// or on_signal says to quit; returns Qt's exit code.
using WindowMain = int (*)(WindowRun& run);
inline constexpr const char* kWindowMainSymbol = "hearth_window_main";
inline constexpr const char* kWindowModuleFile = "hearth-window.so";

}  // namespace hearth::ui
