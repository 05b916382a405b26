// hearth/devices/error.h — typed errors of the devices module.
#pragma once

#include <string>

#include "hearth/result.h"

namespace hearth::devices {

enum class ErrorCode {
  kBadMessage,     // a discovery config or state payload is malformed (message: topic and what)
  kUnsupported,    // the device cannot do that (no such feature, or no command topic)
  kUnknownDevice,  // no device with that id
  kBadValue,       // a value outside what the device or the action allows
  kNotConnected,   // the broker cannot be reached
  kMqtt,           // libmosquitto refused (message: its reason)
  kStorage,        // the outbox could not be written
  kBadSettings,    // MQTT settings: unreadable password file, missing TLS file, ...
};

const char* to_string(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kBadMessage;
  std::string message;
};

template <class T>
using Result = hearth::Result<T, Error>;

inline Fail<Error> fail(ErrorCode code, std::string message) { return Fail<Error>(Error{code, std::move(message)}); }

}  // namespace hearth::devices
