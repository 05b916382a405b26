// hearth/nlu/error.h — typed errors of the NLU.
#pragma once

#include <string>

#include "hearth/result.h"

namespace hearth::nlu {

enum class ErrorCode {
  kBadHome,       // the devices file is unreadable or invalid (message: file, line, key)
  kModel,         // the model could not be loaded or run, or does not speak the intent format
  kBadOutput,     // the model's output is not a valid intent list (message: what and where)
  kInvalidInput,  // a caller passed something outside the documented range
};

const char* to_string(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInvalidInput;
  std::string message;
};

template <class T>
using Result = hearth::Result<T, Error>;

inline Fail<Error> fail(ErrorCode code, std::string message) { return Fail<Error>(Error{code, std::move(message)}); }

}  // namespace hearth::nlu
