// PortAudio capture: the callback fills a ring, read() empties it (see capture.h).
#include "hearth/audio/capture.h"

#include <portaudio.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <cctype>
#include <thread>

#include "hearth/audio/ring_buffer.h"
#include "hearth/audio/wav.h"
#include "portaudio_session.h"
#include "stream_resampler.h"

namespace hearth::audio {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

AudioDevice describe(int index) {
  const PaDeviceInfo* info = Pa_GetDeviceInfo(index);
  AudioDevice d;
  d.index = index;
  if (!info) return d;
  d.name = info->name ? info->name : "";
  const PaHostApiInfo* api = Pa_GetHostApiInfo(info->hostApi);
  d.host_api = api && api->name ? api->name : "";
  d.input_channels = info->maxInputChannels;
  d.output_channels = info->maxOutputChannels;
  d.default_rate = info->defaultSampleRate;
  d.default_input = index == Pa_GetDefaultInputDevice();
  d.default_output = index == Pa_GetDefaultOutputDevice();
  return d;
}

// Call with a live PortAudio session.
Result<std::vector<AudioDevice>> devices_now() {
  const int count = Pa_GetDeviceCount();
  if (count < 0) return fail(ErrorCode::kDevice, "PortAudio cannot list devices: " + detail::pa_error_text(count));
  std::vector<AudioDevice> out;
  for (int i = 0; i < count; ++i) out.push_back(describe(i));
  return out;
}

Result<AudioDevice> pick(const std::vector<AudioDevice>& all, const std::string& spec, bool input) {
  auto usable = [&](const AudioDevice& d) { return input ? d.input_channels > 0 : d.output_channels > 0; };
  const std::string kind = input ? "input" : "output";
  if (spec.empty() || spec == "default") {
    for (const auto& d : all)
      if (usable(d) && (input ? d.default_input : d.default_output)) return d;
    for (const auto& d : all)
      if (usable(d)) return d;
    return fail(ErrorCode::kDevice, "no sound " + kind + " device found");
  }
  if (std::all_of(spec.begin(), spec.end(), [](unsigned char c) { return std::isdigit(c); }) && spec.size() < 6) {
    const int index = std::stoi(spec);
    for (const auto& d : all)
      if (d.index == index) {
        if (!usable(d)) return fail(ErrorCode::kDevice, "sound device " + spec + " (" + d.name + ") has no " + kind);
        return d;
      }
    return fail(ErrorCode::kDevice, "no sound device with index " + spec + " (see `hearth audio devices`)");
  }
  for (const auto& d : all)
    if (usable(d) && lower(d.name).find(lower(spec)) != std::string::npos) return d;
  return fail(ErrorCode::kDevice, "no sound " + kind + " device named like \"" + spec + "\" (see `hearth audio devices`)");
}

}  // namespace

Result<std::vector<AudioDevice>> list_audio_devices() {
  auto session = detail::PortAudioSession::start();
  if (!session) return Fail<Error>(session.error());
  return devices_now();
}

Result<AudioDevice> find_audio_device(const std::string& spec, bool input) {
  auto session = detail::PortAudioSession::start();
  if (!session) return Fail<Error>(session.error());
  auto all = devices_now();
  if (!all) return Fail<Error>(all.error());
  return pick(*all, spec, input);
}

struct Capture::Impl {
  std::optional<detail::PortAudioSession> session;
  AudioDevice device;
  PaStream* stream = nullptr;
  int rate = kSpeechRate;
  int channels = 1;
  SpscRing<int16_t> ring;
  std::atomic<uint64_t> dropped{0};
  std::atomic<bool> finished{false};
  std::unique_ptr<detail::StreamResampler> resampler;
  std::vector<int16_t> pending;  // converted samples read() could not hand out yet

  explicit Impl(size_t capacity) : ring(capacity) {}
  ~Impl() {
    if (stream) {
      Pa_AbortStream(stream);
      Pa_CloseStream(stream);
    }
  }

  // PortAudio's thread: copy, never block.
  static int on_audio(const void* input, void*, unsigned long frames, const PaStreamCallbackTimeInfo*,
                      PaStreamCallbackFlags, void* user) {
    auto* self = static_cast<Impl*>(user);
    if (!input) return paContinue;
    const auto* in = static_cast<const int16_t*>(input);
    if (self->channels == 1) {
      self->dropped += frames - self->ring.push(in, frames);
      return paContinue;
    }
    int16_t mono[256];
    for (unsigned long at = 0; at < frames;) {
      const unsigned long n = std::min<unsigned long>(256, frames - at);
      for (unsigned long i = 0; i < n; ++i) {
        int sum = 0;
        for (int c = 0; c < self->channels; ++c) sum += in[(at + i) * self->channels + c];
        mono[i] = static_cast<int16_t>(sum / self->channels);
      }
      self->dropped += n - self->ring.push(mono, n);
      at += n;
    }
    return paContinue;
  }
  static void on_finished(void* user) { static_cast<Impl*>(user)->finished = true; }
};

Result<std::unique_ptr<Capture>> Capture::open(const CaptureOptions& options) {
  auto session = detail::PortAudioSession::start();
  if (!session) return Fail<Error>(session.error());
  auto all = devices_now();
  if (!all) return Fail<Error>(all.error());
  auto device = pick(*all, options.device, true);
  if (!device) return Fail<Error>(device.error());

  // 16 kHz mono when the device does it; else its own rate (converted in read()), then stereo.
  struct Try { double rate; int channels; };
  std::vector<Try> tries = {{kSpeechRate, 1}, {device->default_rate, 1}, {device->default_rate, 2}};
  PaStreamParameters params{};
  params.device = device->index;
  params.sampleFormat = paInt16;
  params.suggestedLatency = Pa_GetDeviceInfo(device->index)->defaultLowInputLatency;
  const Try* chosen = nullptr;
  for (const auto& t : tries) {
    if (t.channels > device->input_channels || t.rate < 8000) continue;
    params.channelCount = t.channels;
    if (Pa_IsFormatSupported(&params, nullptr, t.rate) == paFormatIsSupported) {
      chosen = &t;
      break;
    }
  }
  if (!chosen)
    return fail(ErrorCode::kDevice, "sound device \"" + device->name + "\" cannot record 16-bit audio at 16 kHz or " +
                                        std::to_string(static_cast<int>(device->default_rate)) + " Hz");
  const double rate = chosen->rate;
  auto impl = std::make_unique<Impl>(static_cast<size_t>(std::max(1.0, options.buffer_seconds) * rate));
  impl->session.emplace(std::move(*session));
  impl->device = *device;
  impl->rate = static_cast<int>(rate);
  impl->channels = chosen->channels;
  params.channelCount = chosen->channels;
  PaError err = Pa_OpenStream(&impl->stream, &params, nullptr, rate, paFramesPerBufferUnspecified, paNoFlag,
                              &Impl::on_audio, impl.get());
  if (err != paNoError) {
    impl->stream = nullptr;
    return fail(ErrorCode::kDevice, "cannot open \"" + device->name + "\" for recording: " + detail::pa_error_text(err));
  }
  Pa_SetStreamFinishedCallback(impl->stream, &Impl::on_finished);
  if (impl->rate != kSpeechRate) impl->resampler = std::make_unique<detail::StreamResampler>(impl->rate, kSpeechRate);
  err = Pa_StartStream(impl->stream);
  if (err != paNoError)
    return fail(ErrorCode::kDevice, "cannot start recording from \"" + device->name + "\": " + detail::pa_error_text(err));
  spdlog::info("microphone: {} ({} Hz, {} channel{})", device->name, impl->rate, impl->channels,
               impl->channels == 1 ? "" : "s");
  std::unique_ptr<Capture> c(new Capture());
  c->impl_ = std::move(impl);
  return c;
}

Capture::~Capture() = default;

Result<size_t> Capture::read(std::vector<int16_t>& out, size_t max, std::chrono::milliseconds timeout) {
  auto& m = *impl_;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int16_t block[1024];
  for (;;) {
    // Device samples to 16 kHz, into `pending`.
    while (m.pending.size() < max) {
      const size_t got = m.ring.pop(block, sizeof block / sizeof block[0]);
      if (got == 0) break;
      if (m.resampler) m.resampler->push(block, got, m.pending);
      else m.pending.insert(m.pending.end(), block, block + got);
    }
    if (!m.pending.empty()) {
      const size_t n = std::min(max, m.pending.size());
      out.insert(out.end(), m.pending.begin(), m.pending.begin() + static_cast<long>(n));
      m.pending.erase(m.pending.begin(), m.pending.begin() + static_cast<long>(n));
      return n;
    }
    if (m.finished || Pa_IsStreamActive(m.stream) != 1)
      return fail(ErrorCode::kDeviceLost, "the microphone \"" + m.device.name + "\" stopped");
    if (std::chrono::steady_clock::now() >= deadline) return size_t{0};
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

RecordingSource::RecordingSource(std::vector<int16_t> samples, bool real_time, std::string name)
    : samples_(std::move(samples)), real_time_(real_time), name_(std::move(name)) {}

Result<size_t> RecordingSource::read(std::vector<int16_t>& out, size_t max, std::chrono::milliseconds timeout) {
  if (!started_) {
    start_ = std::chrono::steady_clock::now();
    started_ = true;
  }
  if (at_ >= samples_.size()) return fail(ErrorCode::kEndOfStream, "the recording " + name_ + " has ended");
  size_t due = samples_.size();
  if (real_time_) {
    // Wait until at least one 10 ms block is due, or the timeout.
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
      due = std::min(samples_.size(), static_cast<size_t>(s * kSpeechRate));
      if (due >= at_ + kSpeechRate / 100 || due == samples_.size() || std::chrono::steady_clock::now() >= deadline) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  const size_t n = std::min(max, due > at_ ? due - at_ : 0);
  out.insert(out.end(), samples_.begin() + static_cast<long>(at_), samples_.begin() + static_cast<long>(at_ + n));
  at_ += n;
  return n;
}

const AudioDevice& Capture::device() const { return impl_->device; }
int Capture::device_rate() const { return impl_->rate; }
uint64_t Capture::dropped() const { return impl_->dropped; }

}  // namespace hearth::audio
