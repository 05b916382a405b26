#include "portaudio_session.h"

#include <alsa/asoundlib.h>
#include <portaudio.h>
#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <mutex>

namespace hearth::audio::detail {
namespace {

std::mutex g_mu;
int g_users = 0;

// ALSA prints every missing card while PortAudio probes; those lines are noise to a user.
void quiet_alsa(const char* file, int line, const char* function, int err, const char* fmt, ...) {
  char text[512];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(text, sizeof text, fmt, args);
  va_end(args);
  spdlog::debug("alsa {}:{} {}: {} ({})", file ? file : "?", line, function ? function : "?", text, err);
}

}  // namespace

std::string pa_error_text(int code) { return Pa_GetErrorText(static_cast<PaError>(code)); }

Result<PortAudioSession> PortAudioSession::start() {
  std::lock_guard<std::mutex> lock(g_mu);
  if (g_users == 0) {
    snd_lib_error_set_handler(quiet_alsa);
    // PortAudio probes every PCM ALSA's configuration names, JACK's among them, and libjack
    // writes its "server is not running" lines straight to stderr, past any handler. Standard
    // error is pointed at /dev/null for the probe only (well under a second, at start-up).
    fflush(stderr);
    const int saved = dup(STDERR_FILENO);
    const int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved >= 0 && null_fd >= 0) dup2(null_fd, STDERR_FILENO);
    const PaError err = Pa_Initialize();
    if (saved >= 0) {
      dup2(saved, STDERR_FILENO);
      close(saved);
    }
    if (null_fd >= 0) close(null_fd);
    if (err != paNoError) return fail(ErrorCode::kDevice, "cannot start PortAudio: " + pa_error_text(err));
  }
  ++g_users;
  PortAudioSession s;
  s.live_ = true;
  return s;
}

PortAudioSession::~PortAudioSession() {
  if (!live_) return;
  std::lock_guard<std::mutex> lock(g_mu);
  if (--g_users == 0) Pa_Terminate();
}

}  // namespace hearth::audio::detail
