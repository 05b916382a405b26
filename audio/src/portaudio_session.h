// PortAudio is initialised once per process while any capture or player needs it (it counts
// Pa_Initialize/Pa_Terminate pairs, but its device list is only fresh after a full restart, so
// hearth keeps one count of its own). ALSA's complaints about the cards it probes go to the log
// at debug level instead of stderr.
#pragma once

#include <string>

#include "hearth/audio/error.h"

namespace hearth::audio::detail {

class PortAudioSession {
 public:
  static Result<PortAudioSession> start();
  PortAudioSession(PortAudioSession&& other) noexcept : live_(other.live_) { other.live_ = false; }
  PortAudioSession& operator=(PortAudioSession&&) = delete;
  PortAudioSession(const PortAudioSession&) = delete;
  ~PortAudioSession();

 private:
  PortAudioSession() = default;
  bool live_ = false;
};

std::string pa_error_text(int code);

}  // namespace hearth::audio::detail
