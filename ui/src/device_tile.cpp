#include "device_tile.h"

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QVBoxLayout>

namespace hearth::ui {

namespace {

// The button's words for what a press will do now.
QString toggle_text(const devices::Device& d) {
  const bool on = devices::is_active(d);
  if (d.domain == "lock") return on ? "Unlock" : "Lock";
  if (d.domain == "cover" || d.domain == "valve") return on ? "Close" : "Open";
  if (d.domain == "scene" || d.domain == "script") return "Activate";
  if (d.domain == "vacuum") return on ? "Dock" : "Clean";
  return on ? "Turn off" : "Turn on";
}

bool switchable(const std::string& domain) {
  return domain != "sensor" && domain != "binary_sensor" && domain != "climate" && domain != "person";
}

}  // namespace

DeviceTile::DeviceTile(const devices::Device& device, std::function<void(const devices::Action&)> act, bool large,
                       QWidget* parent)
    : QFrame(parent), act_(std::move(act)), device_(device) {
  setObjectName(QString::fromStdString(device.id));
  setFrameShape(QFrame::StyledPanel);
  setMinimumWidth(large ? 230 : 200);
  setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);  // as tall as its contents
  auto* box = new QVBoxLayout(this);
  auto* name = new QLabel("<b>" + QString::fromStdString(device.name).toHtmlEscaped() + "</b>", this);
  name->setWordWrap(true);
  box->addWidget(name);
  state_ = new QLabel(this);
  state_->setObjectName("state");
  state_->setWordWrap(true);
  box->addWidget(state_);
  problem_ = new QLabel(this);
  problem_->setStyleSheet("color: #b00020;");
  problem_->setWordWrap(true);
  problem_->hide();
  box->addWidget(problem_);
  if (switchable(device.domain)) {
    toggle_ = new QPushButton(this);
    toggle_->setObjectName("toggle");
    toggle_->setMinimumHeight(large ? 56 : 30);
    connect(toggle_, &QPushButton::clicked, this, [this] {
      devices::Action a;
      a.kind = device_.domain == "scene" || device_.domain == "script" ? devices::ActionKind::kTurnOn
               : device_.domain == "vacuum" ? (devices::is_active(device_) ? devices::ActionKind::kVacuumReturnToBase : devices::ActionKind::kVacuumStart)
                                            : devices::ActionKind::kToggle;
      act_(a);
    });
    box->addWidget(toggle_);
  }
  const bool brightness = device.domain == "light" && device.has_feature("brightness");
  const bool position = (device.domain == "cover" || device.domain == "valve") && device.has_feature("position");
  const bool speed = device.domain == "fan" && device.has_feature("speed");
  if (brightness || position || speed) {
    level_ = new QSlider(Qt::Horizontal, this);
    level_->setObjectName("level");
    level_->setRange(0, 100);
    level_->setAccessibleName(brightness ? "Brightness" : position ? "Position" : "Speed");
    level_->setToolTip(level_->accessibleName());
    if (large) level_->setMinimumHeight(40);
    const devices::ActionKind kind = brightness ? devices::ActionKind::kSetBrightness
                                     : position ? devices::ActionKind::kSetPosition
                                                : devices::ActionKind::kSetFanSpeed;
    // On release (or keyboard steps), not on every pixel of a drag.
    auto send = [this, kind] {
      devices::Action a;
      a.kind = kind;
      a.value = level_->value();
      act_(a);
    };
    connect(level_, &QSlider::sliderReleased, this, send);
    connect(level_, &QSlider::actionTriggered, this, [this, send](int action) {
      if (action != QAbstractSlider::SliderMove && !level_->isSliderDown()) QMetaObject::invokeMethod(this, send, Qt::QueuedConnection);
    });
    box->addWidget(level_);
  }
  if (device.domain == "climate") {
    auto* row = new QHBoxLayout();
    setpoint_ = new QDoubleSpinBox(this);
    setpoint_->setObjectName("setpoint");
    setpoint_->setRange(device.min_temp_c, device.max_temp_c);
    setpoint_->setSingleStep(0.5);
    setpoint_->setSuffix(" °C");
    setpoint_->setAccessibleName("Set point");
    auto* set = new QPushButton("Set", this);
    connect(set, &QPushButton::clicked, this, [this] {
      devices::Action a;
      a.kind = devices::ActionKind::kSetTemperature;
      a.value = setpoint_->value();
      act_(a);
    });
    row->addWidget(setpoint_);
    row->addWidget(set);
    box->addLayout(row);
  }
  show_state(device);
}

void DeviceTile::show_state(const devices::Device& d) {
  device_ = d;
  problem_->hide();
  std::string text = devices::describe_state(d);
  const size_t colon = text.find(": ");
  state_->setText(QString::fromStdString(colon == std::string::npos ? text : text.substr(colon + 2)));
  setEnabled(true);
  if (toggle_) {
    toggle_->setText(toggle_text(d));
    toggle_->setEnabled(d.available);
  }
  if (level_ && !level_->isSliderDown()) {
    const QSignalBlocker quiet(level_);
    const char* key = d.domain == "light" ? "brightness" : d.domain == "fan" ? "percentage" : "position";
    level_->setValue(d.state.contains(key) && d.state[key].is_number() ? static_cast<int>(d.state[key].get<double>()) : 0);
    level_->setEnabled(d.available);
  }
  if (setpoint_ && !setpoint_->hasFocus() && d.state.contains("target_temperature_c")) {
    const QSignalBlocker quiet(setpoint_);
    setpoint_->setValue(d.state["target_temperature_c"].get<double>());
  }
}

void DeviceTile::show_problem(const QString& message) {
  problem_->setText(message);
  problem_->setVisible(!message.isEmpty());
}

}  // namespace hearth::ui
