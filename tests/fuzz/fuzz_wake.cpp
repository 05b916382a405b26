// libFuzzer target: any bytes as a wake-word model file; what parses is run once on silence.
#include <cstdint>
#include <string>
#include <vector>

#include "hearth/audio/wake_word.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto m = hearth::audio::WakeWordModel::parse(std::string(reinterpret_cast<const char*>(data), size), "fuzz.hww");
  if (m) {
    std::vector<hearth::audio::MelFrame> window(static_cast<size_t>(m->window_frames()));
    (void)m->score(window);
  }
  return 0;
}
