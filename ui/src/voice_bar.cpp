#include "voice_bar.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include <cmath>

namespace hearth::ui {

VoiceBar::VoiceBar(std::function<void()> push_to_talk, const QString& wake_phrase, bool speak_replies, QWidget* parent)
    : QWidget(parent) {
  setObjectName("voice");
  auto* v = new QVBoxLayout(this);
  v->setContentsMargins(0, 0, 0, 0);
  auto* row = new QHBoxLayout;
  talk_ = new QPushButton("Talk");
  talk_->setObjectName("talk");
  talk_->setAccessibleName("Push to talk");
  talk_->setMinimumHeight(36);
  indicator_ = new QLabel;
  indicator_->setObjectName("wake_indicator");
  level_ = new QProgressBar;
  level_->setObjectName("level");
  level_->setAccessibleName("Microphone level");
  level_->setRange(0, 60);  // -60 dBFS .. 0 dBFS
  level_->setTextVisible(false);
  level_->setMaximumHeight(10);
  level_->setMinimumWidth(40);
  speak_ = new QCheckBox("Speak replies");
  speak_->setObjectName("speak_replies");
  speak_->setChecked(speak_replies);
  // Narrow on purpose (an 800x480 kiosk shares the width with the tiles): the button, the level
  // and the reply switch on one line, what hearth is doing and heard below.
  row->addWidget(talk_);
  row->addWidget(level_, 1);
  row->addWidget(speak_);
  v->addLayout(row);
  indicator_->setWordWrap(true);
  v->addWidget(indicator_);
  partial_ = new QLabel;
  partial_->setObjectName("partial");
  partial_->setWordWrap(true);
  v->addWidget(partial_);
  if (push_to_talk) {
    idle_text_ = "Say \"" + wake_phrase + "\" or press Talk";
    connect(talk_, &QPushButton::clicked, this, [push_to_talk] { push_to_talk(); });
  } else {
    idle_text_ = "Voice is off (no microphone or no speech model)";
    talk_->setEnabled(false);
    level_->setEnabled(false);
  }
  connect(speak_, &QCheckBox::toggled, this, [this](bool on) { Q_EMIT speak_replies_changed(on); });
  set_listening(false);
}

void VoiceBar::set_speak_replies(bool on) {
  const QSignalBlocker block(speak_);
  speak_->setChecked(on);
}

void VoiceBar::set_listening(bool on) {
  indicator_->setText(on ? "<b>Listening…</b>" : idle_text_);
  indicator_->setStyleSheet(on ? "color: white; background-color: #c0392b; padding: 2px 6px; border-radius: 4px;" : "");
  indicator_->setProperty("listening", on);
}

void VoiceBar::show_event(const audio::VoiceEvent& e) {
  switch (e.stage) {
    case audio::VoiceStage::kLevel:
      level_->setValue(static_cast<int>(std::lround(std::clamp(e.level_db + 60.0, 0.0, 60.0))));
      break;
    case audio::VoiceStage::kWake:
      set_listening(true);
      partial_->clear();
      break;
    case audio::VoiceStage::kPartial: partial_->setText("<i>" + QString::fromStdString(e.text).toHtmlEscaped() + "…</i>"); break;
    case audio::VoiceStage::kFinal:
      set_listening(false);
      partial_->setText("<i>" + QString::fromStdString(e.text).toHtmlEscaped() + "</i>");
      break;
    case audio::VoiceStage::kNothingHeard:
      set_listening(false);
      partial_->setText("<i>I didn't hear a request.</i>");
      break;
    case audio::VoiceStage::kSourceLost:
      set_listening(false);
      partial_->setText("<i>Microphone: " + QString::fromStdString(e.message).toHtmlEscaped() + "</i>");
      level_->setValue(0);
      break;
  }
}

}  // namespace hearth::ui
