// The voice controls under the conversation: push to talk, the wake indicator, the input level,
// the words heard so far, and whether replies are spoken. Lives on the GUI thread; the voice
// pipeline's events reach it through MainWindow::show_voice_event (a queued call).
#pragma once

#include <QWidget>

#include <functional>

#include "hearth/audio/voice_pipeline.h"

class QCheckBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace hearth::ui {

class VoiceBar : public QWidget {
  Q_OBJECT
 public:
  // push_to_talk null: no voice input (the button is disabled and says why).
  VoiceBar(std::function<void()> push_to_talk, const QString& wake_phrase, bool speak_replies, QWidget* parent = nullptr);

  void show_event(const audio::VoiceEvent& event);
  void set_speak_replies(bool on);
  QPushButton* talk_button() const { return talk_; }
  QLabel* indicator() const { return indicator_; }
  QLabel* partial() const { return partial_; }
  QProgressBar* level() const { return level_; }

 Q_SIGNALS:
  void speak_replies_changed(bool on);

 private:
  void set_listening(bool on);

  QPushButton* talk_ = nullptr;
  QLabel* indicator_ = nullptr;
  QLabel* partial_ = nullptr;
  QProgressBar* level_ = nullptr;
  QCheckBox* speak_ = nullptr;
  QString idle_text_;
};

}  // namespace hearth::ui
