#include "hearth/audio/player.h"

#include <portaudio.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>

#include "hearth/audio/capture.h"
#include "hearth/audio/ring_buffer.h"
#include "portaudio_session.h"

namespace hearth::audio {

struct Player::Impl {
  std::optional<detail::PortAudioSession> session;
  std::string name;
  PaStream* stream = nullptr;
  int rate = kSpeechRate;
  SpscRing<int16_t> ring;
  std::mutex producer_mu;            // play() may be called from several threads
  std::atomic<bool> flush{false};    // stop(): the callback empties the ring
  std::atomic<bool> finished{false};

  explicit Impl(size_t capacity) : ring(capacity) {}
  ~Impl() {
    if (stream) {
      Pa_AbortStream(stream);
      Pa_CloseStream(stream);
    }
  }

  static int on_audio(const void*, void* output, unsigned long frames, const PaStreamCallbackTimeInfo*,
                      PaStreamCallbackFlags, void* user) {
    auto* self = static_cast<Impl*>(user);
    auto* out = static_cast<int16_t*>(output);
    if (self->flush.exchange(false)) {
      int16_t sink[512];
      while (self->ring.pop(sink, 512) > 0) {
      }
    }
    const size_t got = self->ring.pop(out, frames);
    std::memset(out + got, 0, (frames - got) * sizeof(int16_t));
    return paContinue;
  }
  static void on_finished(void* user) { static_cast<Impl*>(user)->finished = true; }
};

Result<std::unique_ptr<Player>> Player::open(const PlayerOptions& options) {
  auto session = detail::PortAudioSession::start();
  if (!session) return Fail<Error>(session.error());
  auto device = find_audio_device(options.device, false);
  if (!device) return Fail<Error>(device.error());
  PaStreamParameters params{};
  params.device = device->index;
  params.channelCount = 1;
  params.sampleFormat = paInt16;
  params.suggestedLatency = Pa_GetDeviceInfo(device->index)->defaultLowOutputLatency;
  double rate = kSpeechRate;
  if (Pa_IsFormatSupported(nullptr, &params, rate) != paFormatIsSupported) rate = device->default_rate;
  if (Pa_IsFormatSupported(nullptr, &params, rate) != paFormatIsSupported)
    return fail(ErrorCode::kDevice, "sound device \"" + device->name + "\" cannot play 16-bit mono audio");
  auto impl = std::make_unique<Impl>(static_cast<size_t>(std::max(1.0, options.buffer_seconds) * rate));
  impl->session.emplace(std::move(*session));
  impl->name = device->name;
  impl->rate = static_cast<int>(rate);
  PaError err = Pa_OpenStream(&impl->stream, nullptr, &params, rate, paFramesPerBufferUnspecified, paNoFlag, &Impl::on_audio,
                              impl.get());
  if (err != paNoError) {
    impl->stream = nullptr;
    return fail(ErrorCode::kDevice, "cannot open \"" + device->name + "\" for playing: " + detail::pa_error_text(err));
  }
  Pa_SetStreamFinishedCallback(impl->stream, &Impl::on_finished);
  err = Pa_StartStream(impl->stream);
  if (err != paNoError) return fail(ErrorCode::kDevice, "cannot start playing on \"" + device->name + "\": " + detail::pa_error_text(err));
  std::unique_ptr<Player> p(new Player());
  p->impl_ = std::move(impl);
  return p;
}

Player::~Player() = default;

Result<void> Player::play(const Pcm& pcm) {
  auto& m = *impl_;
  if (m.finished || Pa_IsStreamActive(m.stream) != 1) return fail(ErrorCode::kDeviceLost, "the speaker \"" + m.name + "\" stopped");
  const Pcm converted = pcm.sample_rate == m.rate ? pcm : resample(pcm, m.rate);
  std::lock_guard<std::mutex> lock(m.producer_mu);
  if (converted.samples.size() > m.ring.capacity() - m.ring.size())
    return fail(ErrorCode::kInvalidInput, "the sound queue is full");
  m.ring.push(converted.samples.data(), converted.samples.size());
  return {};
}

void Player::stop() { impl_->flush = true; }

bool Player::playing() const { return impl_->ring.size() > 0 && !impl_->finished; }

bool Player::wait_idle(std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (playing()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

const std::string& Player::device_name() const { return impl_->name; }

}  // namespace hearth::audio
