// hearth/color_names.h — the colour names hearth knows and the RGB each stands for.
//
// One table for both ends: the NLU offers these names (those that were said) as the values of a
// light's `color` slot, and devices/ turns a name into RGB. A name added here is understood and
// can be shown. Values are the usual web colour definitions where one exists.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace hearth {

struct ColorName {
  std::string_view name;
  uint8_t r, g, b;
};

inline std::span<const ColorName> color_names() {
  static constexpr ColorName kNames[] = {
      {"red", 255, 0, 0},           {"green", 0, 255, 0},          {"blue", 0, 0, 255},
      {"yellow", 255, 255, 0},      {"orange", 255, 165, 0},       {"purple", 128, 0, 128},
      {"pink", 255, 192, 203},      {"white", 255, 255, 255},      {"warm white", 255, 223, 179},
      {"cool white", 235, 245, 255}, {"cold white", 235, 245, 255}, {"daylight", 255, 250, 240},
      {"cyan", 0, 255, 255},        {"aqua", 0, 255, 255},         {"magenta", 255, 0, 255},
      {"fuchsia", 255, 0, 255},     {"violet", 238, 130, 238},     {"turquoise", 64, 224, 208},
      {"teal", 0, 128, 128},        {"lime", 0, 255, 0},           {"gold", 255, 215, 0},
      {"amber", 255, 191, 0},       {"indigo", 75, 0, 130},        {"lavender", 230, 230, 250},
      {"crimson", 220, 20, 60},     {"coral", 255, 127, 80},       {"salmon", 250, 128, 114},
      {"brown", 165, 42, 42},       {"navy", 0, 0, 128},           {"maroon", 128, 0, 0},
      {"olive", 128, 128, 0},       {"beige", 245, 245, 220},      {"silver", 192, 192, 192},
      {"cream", 255, 253, 208},     {"lilac", 200, 162, 200},      {"mint", 152, 255, 152},
      {"peach", 255, 218, 185},     {"rose", 255, 0, 127},         {"ruby", 224, 17, 95},
      {"emerald", 80, 200, 120},    {"sky blue", 135, 206, 235},   {"light blue", 173, 216, 230},
      {"dark blue", 0, 0, 139},     {"light green", 144, 238, 144}, {"dark green", 0, 100, 0},
      {"dark red", 139, 0, 0},      {"hot pink", 255, 105, 180},   {"deep purple", 103, 58, 183},
      {"warm yellow", 255, 200, 87},
  };
  return kNames;
}

}  // namespace hearth
