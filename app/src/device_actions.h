// app/src/device_actions.h — carrying out device intents through the device hub, and answering
// questions about devices from their live state.
#pragma once

#include <string>

#include "hearth/devices/hub.h"
#include "hearth/nlu/home.h"
#include "hearth/nlu/intent.h"
#include "hearth/nlu/messages.h"

namespace hearth::app {

struct DeviceOutcome {
  std::string reply;
  bool done = false;  // everything asked was carried out (or answered)
};

// One intent that targets devices. hub may be null (no broker): the reply says so. Temperatures
// are spoken in `temperature_unit` (C or F); replies in the language of `words`.
DeviceOutcome perform_device_intent(const nlu::Intent& intent, const nlu::Home& home, devices::DeviceHub* hub,
                                    const std::string& temperature_unit,
                                    const nlu::Messages& words = nlu::Messages::for_language("en"));

// "19.5 degrees" in the user's unit from degrees Celsius.
std::string spoken_temperature(double celsius, const std::string& unit,
                               const nlu::Messages& words = nlu::Messages::for_language("en"));

}  // namespace hearth::app
