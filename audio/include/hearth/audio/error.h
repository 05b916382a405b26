// hearth/audio/error.h — typed errors of the audio module.
#pragma once

#include <string>

#include "hearth/result.h"

namespace hearth::audio {

enum class ErrorCode {
  kBadWav,        // not a WAV file hearth reads (message: what and at which byte)
  kIo,            // a file could not be read
  kModel,         // the speech model could not be loaded or refused the grammar
  kInvalidInput,  // a caller passed something outside the documented range
  kDevice,        // a sound device could not be found or opened (message: which, and why)
  kDeviceLost,    // a sound device stopped while in use (unplugged, driver error)
  kEndOfStream,   // a recording played as a microphone has no more audio
  kSpeech,        // the speech synthesizer could not speak (unknown voice, engine failure)
};

struct Error {
  ErrorCode code = ErrorCode::kIo;
  std::string message;
};

template <class T>
using Result = hearth::Result<T, Error>;

inline Fail<Error> fail(ErrorCode code, std::string message) { return Fail<Error>(Error{code, std::move(message)}); }

}  // namespace hearth::audio
