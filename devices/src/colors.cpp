// Colour names and conversions between the colour spaces devices speak (RGB, hue/saturation,
// CIE xy as Zigbee reports it).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

#include "hearth/color_names.h"
#include "hearth/devices/commands.h"

namespace hearth::devices {

bool color_from_name(const std::string& raw, int rgb[3]) {
  std::string name;
  for (char c : raw) name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::replace(name.begin(), name.end(), '_', ' ');
  for (const ColorName& c : color_names()) {
    if (c.name != name) continue;
    rgb[0] = c.r;
    rgb[1] = c.g;
    rgb[2] = c.b;
    return true;
  }
  return false;
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
