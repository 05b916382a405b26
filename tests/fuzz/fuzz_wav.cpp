// libFuzzer target: any bytes as a WAV file, then the rate conversion of what was read.
#include <cstdint>
#include <string>

#include "hearth/audio/wav.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto pcm = hearth::audio::parse_wav(std::string(reinterpret_cast<const char*>(data), size), "fuzz.wav");
  if (pcm && pcm->samples.size() < (1u << 20)) (void)hearth::audio::resample(pcm.value(), hearth::audio::kSpeechRate);
  return 0;
}
