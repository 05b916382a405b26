// The window module's entry point (see hearth/ui/window.h): the Qt application, the window, and
// the hooks `hearth run` gave it, on the calling thread.
#include <QApplication>
#include <QSocketNotifier>
#include <QTimer>

#include "hearth/ui/main_window.h"
#include "hearth/ui/window.h"

extern "C" __attribute__((visibility("default"))) int hearth_window_main(hearth::ui::WindowRun& run) {
  using namespace hearth::ui;
  static int qt_argc = 1;
  static char qt_name[] = "hearth";
  static char* qt_argv[] = {qt_name, nullptr};
  QApplication qt(qt_argc, qt_argv);
  MainWindow window(run.services, run.kiosk);
  if (run.attach)
    run.attach(WindowSinks{[&window](const hearth::audio::VoiceEvent& e) { window.show_voice_event(e); },
                           [&window](const std::string& heard, const UiAnswer& a) { window.show_voice_turn(heard, a); }});
  if (run.kiosk) {
    window.showFullScreen();
  } else {
    window.resize(1280, 800);
    window.show();
  }
  std::unique_ptr<QSocketNotifier> signals_in;
  if (run.signal_fd >= 0 && run.on_signal) {
    signals_in = std::make_unique<QSocketNotifier>(run.signal_fd, QSocketNotifier::Read);
    QObject::connect(signals_in.get(), &QSocketNotifier::activated, &qt, [&] {
      if (run.on_signal()) qt.quit();
    });
  }
  QTimer tick;
  if (run.on_tick) {
    QObject::connect(&tick, &QTimer::timeout, &qt, [&] { run.on_tick(); });
    tick.start(run.tick_ms);
  }
  const int code = qt.exec();
  if (run.attach) run.attach(WindowSinks{});
  return code;
}
