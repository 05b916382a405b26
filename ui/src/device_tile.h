// ui/src/device_tile.h — one device on the home page: name, live state, the controls it allows.
#pragma once

#include <QFrame>
#include <functional>

#include "hearth/devices/commands.h"
#include "hearth/devices/device.h"

class QLabel;
class QPushButton;
class QSlider;
class QDoubleSpinBox;

namespace hearth::ui {

class DeviceTile : public QFrame {
  Q_OBJECT
 public:
  // `act` is called (on the GUI thread) when the user asks for something; it must not block.
  DeviceTile(const devices::Device& device, std::function<void(const devices::Action&)> act, bool large,
             QWidget* parent = nullptr);
  // Shows the device's current state without asking for anything.
  void show_state(const devices::Device& device);
  void show_problem(const QString& message);  // e.g. "did not respond"
  QPushButton* toggle_button() const { return toggle_; }
  QLabel* state_label() const { return state_; }

 private:
  std::function<void(const devices::Action&)> act_;
  devices::Device device_;
  QLabel* state_ = nullptr;
  QLabel* problem_ = nullptr;
  QPushButton* toggle_ = nullptr;
  QSlider* level_ = nullptr;           // brightness, position or fan speed
  QDoubleSpinBox* setpoint_ = nullptr; // climate
};

}  // namespace hearth::ui
