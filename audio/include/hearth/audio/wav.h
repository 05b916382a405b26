// hearth/audio/wav.h — reading WAV files into 16 kHz mono samples, the format speech uses here.
//
// RIFF/WAVE with PCM 8/16/24/32-bit integer or 32-bit float, 1 or 2 channels, any rate from
// 8 kHz to 192 kHz; channels are mixed down and the rate converted to 16 kHz. Everything is
// checked before use: a truncated, oversized or unsupported file is refused with a message that
// names the problem and the byte offset; nothing reads past the data.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hearth/audio/error.h"

namespace hearth::audio {

constexpr int kSpeechRate = 16000;

struct Pcm {
  int sample_rate = kSpeechRate;
  std::vector<int16_t> samples;  // mono
  double seconds() const { return sample_rate ? static_cast<double>(samples.size()) / sample_rate : 0.0; }
};

// Parses a whole WAV file held in memory; the result is mono at its own rate.
Result<Pcm> parse_wav(const std::string& bytes, const std::string& name = "<wav>");
// Reads and parses a file (at most 64 MiB), then converts it to 16 kHz.
Result<Pcm> read_wav_16k(const std::string& path);
// Linear-interpolating rate conversion with a short low-pass when going down.
Pcm resample(const Pcm& in, int rate);
// A 16-bit mono PCM WAV file's bytes (for tests and recordings).
std::string encode_wav(const Pcm& pcm);

}  // namespace hearth::audio
