// hearth/audio/capture.h — the microphone through PortAudio, as 16 kHz mono samples.
//
// Capture opens one input device (by index, by a part of its name, or the default) and runs
// PortAudio's callback on PortAudio's own thread; the callback only copies samples into a
// lock-free ring (ring_buffer.h), and read() takes them out on the caller's thread, converting
// the rate there when the device cannot record at 16 kHz. A device that cannot be opened is a
// typed error (kDevice); one that stops while recording makes read() fail with kDeviceLost, so
// the owner can fall back to text and try again later. Nothing here ever aborts the process.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "hearth/audio/error.h"

namespace hearth::audio {

struct AudioDevice {
  int index = -1;              // PortAudio's device index
  std::string name;
  std::string host_api;        // "ALSA", "JACK", ...
  int input_channels = 0;
  int output_channels = 0;
  double default_rate = 0;
  bool default_input = false;
  bool default_output = false;
};

// Every device PortAudio sees (inputs and outputs). kDevice when PortAudio cannot start.
Result<std::vector<AudioDevice>> list_audio_devices();

// Picks a device for `spec`: "" or "default" = the default one; digits = that index; anything
// else = the first device whose name contains it (case-insensitive). `input` chooses the kind.
Result<AudioDevice> find_audio_device(const std::string& spec, bool input);

// Where live audio comes from: a microphone (Capture) or a recording (RecordingSource).
class AudioSource {
 public:
  virtual ~AudioSource() = default;
  // Appends up to `max` samples (16 kHz mono) to `out`, waiting up to `timeout` for some;
  // 0 on timeout; kDeviceLost / kEndOfStream when there will be no more.
  virtual Result<size_t> read(std::vector<int16_t>& out, size_t max, std::chrono::milliseconds timeout) = 0;
  virtual std::string name() const = 0;
};

// A recording as a source: in real time (paced by the clock, as a microphone would deliver it)
// or as fast as it is read.
class RecordingSource : public AudioSource {
 public:
  RecordingSource(std::vector<int16_t> samples, bool real_time, std::string name = "recording");
  Result<size_t> read(std::vector<int16_t>& out, size_t max, std::chrono::milliseconds timeout) override;
  std::string name() const override { return name_; }

 private:
  std::vector<int16_t> samples_;
  bool real_time_;
  std::string name_;
  size_t at_ = 0;
  std::chrono::steady_clock::time_point start_{};
  bool started_ = false;
};

struct CaptureOptions {
  std::string device;              // see find_audio_device
  double buffer_seconds = 30.0;    // ring size; a reader this far behind loses audio (dropped())
};

class Capture : public AudioSource {
 public:
  static Result<std::unique_ptr<Capture>> open(const CaptureOptions& options = {});
  ~Capture();
  Capture(const Capture&) = delete;
  Capture& operator=(const Capture&) = delete;

  // Waits up to `timeout` for audio and appends what has arrived (16 kHz mono) to `out`,
  // at most `max` samples. Returns the number appended (0 on timeout). kDeviceLost when the
  // device stopped; what arrived before that is still returned first.
  Result<size_t> read(std::vector<int16_t>& out, size_t max, std::chrono::milliseconds timeout) override;
  std::string name() const override { return device().name; }

  const AudioDevice& device() const;
  int device_rate() const;        // the rate the device records at
  uint64_t dropped() const;       // device samples lost because the reader fell behind

 private:
  Capture() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hearth::audio
