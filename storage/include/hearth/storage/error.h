// hearth/storage/error.h — typed errors of the storage module.
#pragma once

#include <string>

#include "hearth/result.h"

namespace hearth::storage {

enum class ErrorCode {
  kOpenFailed,     // the file could not be opened or created (path, permissions, disk)
  kNotADatabase,   // the file exists but is not an SQLite database, or is damaged
  kNewerSchema,    // written by a newer hearth; refused and left untouched
  kMigrationFailed,// a migration step failed; the database stays at its previous version
  kIo,             // a read or write failed (disk full, I/O error, locked for too long)
  kInvalidValue,   // a value was refused by validation; the message says what is allowed
  kUnknownKey,     // no such preference
  kNotFound,       // no such row
};

const char* to_string(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kIo;
  std::string message;  // names the thing, its value and what is allowed
};

template <class T>
using Result = hearth::Result<T, Error>;

inline Fail<Error> fail(ErrorCode code, std::string message) {
  return Fail<Error>(Error{code, std::move(message)});
}

}  // namespace hearth::storage
