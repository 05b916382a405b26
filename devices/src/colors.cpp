// Colour names and conversions between the colour spaces devices speak (RGB, hue/saturation,
// CIE xy as Zigbee reports it).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <string>

#include "hearth/devices/commands.h"

namespace hearth::devices {

bool color_from_name(const std::string& raw, int rgb[3]) {
  // The colours people ask lights for; values are the usual web colour definitions.
  static const std::map<std::string, std::array<int, 3>> kColors = {
      {"red", {255, 0, 0}},          {"green", {0, 255, 0}},         {"blue", {0, 0, 255}},
      {"yellow", {255, 255, 0}},     {"orange", {255, 165, 0}},      {"purple", {128, 0, 128}},
      {"pink", {255, 192, 203}},     {"white", {255, 255, 255}},     {"warm white", {255, 223, 179}},
      {"cool white", {235, 245, 255}}, {"cold white", {235, 245, 255}}, {"daylight", {255, 250, 240}},
      {"cyan", {0, 255, 255}},       {"aqua", {0, 255, 255}},        {"magenta", {255, 0, 255}},
      {"violet", {238, 130, 238}},   {"turquoise", {64, 224, 208}},  {"teal", {0, 128, 128}},
      {"lime", {0, 255, 0}},         {"gold", {255, 215, 0}},        {"amber", {255, 191, 0}},
      {"indigo", {75, 0, 130}},      {"lavender", {230, 230, 250}},  {"crimson", {220, 20, 60}},
      {"coral", {255, 127, 80}},     {"salmon", {250, 128, 114}},    {"brown", {165, 42, 42}},
      {"navy", {0, 0, 128}},         {"lilac", {200, 162, 200}},     {"mint", {152, 255, 152}},
      {"peach", {255, 218, 185}},    {"rose", {255, 0, 127}},        {"sky blue", {135, 206, 235}},
      {"light blue", {173, 216, 230}}, {"dark blue", {0, 0, 139}},   {"light green", {144, 238, 144}},
      {"dark green", {0, 100, 0}},   {"dark red", {139, 0, 0}},      {"hot pink", {255, 105, 180}},
  };
  std::string name;
  for (char c : raw) name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::replace(name.begin(), name.end(), '_', ' ');
  auto it = kColors.find(name);
  if (it == kColors.end()) return false;
  for (int i = 0; i < 3; ++i) rgb[i] = it->second[i];
  return true;
}

void rgb_to_hs(const int rgb[3], double& hue, double& saturation) {
  const double r = rgb[0] / 255.0, g = rgb[1] / 255.0, b = rgb[2] / 255.0;
  const double mx = std::max({r, g, b}), mn = std::min({r, g, b}), d = mx - mn;
  hue = 0;
  if (d > 0) {
    if (mx == r) hue = 60.0 * std::fmod((g - b) / d, 6.0);
    else if (mx == g) hue = 60.0 * ((b - r) / d + 2.0);
    else hue = 60.0 * ((r - g) / d + 4.0);
  }
  if (hue < 0) hue += 360.0;
  saturation = mx > 0 ? d / mx * 100.0 : 0.0;
}

void hs_to_rgb(double hue, double saturation, int rgb[3]) {
  // Full value (brightness is a separate attribute of the light).
  const double s = std::clamp(saturation, 0.0, 100.0) / 100.0, h = std::fmod(std::fmod(hue, 360.0) + 360.0, 360.0);
  const double c = s, x = c * (1 - std::fabs(std::fmod(h / 60.0, 2.0) - 1)), m = 1 - c;
  double r = 0, g = 0, b = 0;
  if (h < 60) r = c, g = x;
  else if (h < 120) r = x, g = c;
  else if (h < 180) g = c, b = x;
  else if (h < 240) g = x, b = c;
  else if (h < 300) r = x, b = c;
  else r = c, b = x;
  rgb[0] = static_cast<int>(std::lround((r + m) * 255));
  rgb[1] = static_cast<int>(std::lround((g + m) * 255));
  rgb[2] = static_cast<int>(std::lround((b + m) * 255));
}

void xy_to_rgb(double x, double y, int rgb[3]) {
  // CIE 1931 xy at full luminance -> linear sRGB (D65) -> gamma-encoded, scaled to the brightest
  // channel so the colour, not its brightness, is reported.
  if (!(y > 1e-6) || !(x >= 0) || x > 1 || y > 1) {
    rgb[0] = rgb[1] = rgb[2] = 255;
    return;
  }
  const double Y = 1.0, X = Y / y * x, Z = Y / y * (1.0 - x - y);
  double lin[3] = {3.2406 * X - 1.5372 * Y - 0.4986 * Z, -0.9689 * X + 1.8758 * Y + 0.0415 * Z,
                   0.0557 * X - 0.2040 * Y + 1.0570 * Z};
  double mx = 0;
  for (double& c : lin) {
    c = std::max(0.0, c);
    mx = std::max(mx, c);
  }
  for (int i = 0; i < 3; ++i) {
    double c = mx > 0 ? lin[i] / mx : 0;
    c = c <= 0.0031308 ? 12.92 * c : 1.055 * std::pow(c, 1 / 2.4) - 0.055;
    rgb[i] = static_cast<int>(std::lround(std::clamp(c, 0.0, 1.0) * 255));
  }
}

}  // namespace hearth::devices
