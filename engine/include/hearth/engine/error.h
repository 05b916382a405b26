// hearth/engine/error.h — typed errors of the engine.
#pragma once

#include <string>

#include "hearth/result.h"

namespace hearth::engine {

enum class ErrorCode {
  kIo,               // the file could not be opened, read or mapped
  kBadFormat,        // the file is not valid GGUF, or is truncated or inconsistent
  kUnsupported,      // valid, but uses something this engine does not run (architecture, type)
  kMissingTensor,    // a tensor the architecture needs is absent or has the wrong shape
  kInvalidArgument,  // a caller passed a value outside the documented range
  kContextFull,      // the tokens do not fit in the context's KV cache
  kGrammar,          // a grammar could not be parsed or compiled
};

const char* to_string(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kIo;
  std::string message;  // names the thing, its value and what is allowed
};

template <class T>
using Result = hearth::Result<T, Error>;

inline Fail<Error> fail(ErrorCode code, std::string message) { return Fail<Error>(Error{code, std::move(message)}); }

}  // namespace hearth::engine
