// hearth/ui/main_window.h — the desktop and kiosk window of hearth (Qt6 Widgets).
//
// Areas as tabs, a tile per exposed device with its live state and controls, a conversation
// panel, the settings (stored preferences) and the history. The GUI thread never waits on the
// engine, the network or the disk: every request runs on Qt's thread pool and its result comes
// back as a queued call; registry changes arrive from the MQTT thread the same way.
#pragma once

#include <QMainWindow>

#include "hearth/ui/services.h"

class QLineEdit;
class QTextEdit;
class QTabWidget;
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace hearth::devices {
class DeviceHub;
struct Device;
}
namespace hearth::storage {
class Database;
}
namespace hearth::audio {
struct VoiceEvent;
}

namespace hearth::ui {

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  MainWindow(UiServices services, bool kiosk, QWidget* parent = nullptr);
  ~MainWindow() override;

  // For tests and screenshots: the tile of a device, the conversation input, the settings page.
  QWidget* tile(const QString& device_id) const;
  QLineEdit* conversation_input() const;
  QTextEdit* transcript() const;
  QWidget* settings_page() const;
  QTabWidget* pages() const;
  // The buttons of the last answer's choices (empty when it offered none).
  QWidget* choices() const;
  QWidget* voice_bar() const;
  // Kiosk: whether the screen is dimmed; dim_screen() dims it now, as the idle timer would.
  bool dimmed() const;
  void dim_screen();

  // From any thread (the voice thread): a stage of the voice pipeline, and a request heard and
  // answered by voice. Both are queued into the GUI thread.
  void show_voice_event(const audio::VoiceEvent& event);
  void show_voice_turn(const std::string& heard, const UiAnswer& answer);

 Q_SIGNALS:
  void reply_shown(const QString& reply);
  void preferences_saved(const QString& message);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  void device_changed(const QString& id);
  friend struct Impl;
};

}  // namespace hearth::ui
