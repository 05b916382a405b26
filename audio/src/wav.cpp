#include "hearth/audio/wav.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>

namespace hearth::audio {

namespace {

constexpr size_t kMaxFileBytes = 64u << 20;

uint32_t u32(const std::string& b, size_t at) {
  return static_cast<uint32_t>(static_cast<uint8_t>(b[at])) | static_cast<uint32_t>(static_cast<uint8_t>(b[at + 1])) << 8 |
         static_cast<uint32_t>(static_cast<uint8_t>(b[at + 2])) << 16 | static_cast<uint32_t>(static_cast<uint8_t>(b[at + 3])) << 24;
}
uint16_t u16(const std::string& b, size_t at) {
  return static_cast<uint16_t>(static_cast<uint8_t>(b[at]) | static_cast<uint8_t>(b[at + 1]) << 8);
}

void put32(std::string& b, uint32_t v) {
  for (int i = 0; i < 4; ++i) b += static_cast<char>((v >> (8 * i)) & 0xff);
}
void put16(std::string& b, uint16_t v) {
  b += static_cast<char>(v & 0xff);
  b += static_cast<char>(v >> 8);
}

}  // namespace

Result<Pcm> parse_wav(const std::string& b, const std::string& name) {
  auto bad = [&](size_t at, const std::string& what) {
    return fail(ErrorCode::kBadWav, name + ": " + what + " (at byte " + std::to_string(at) + ")");
  };
  if (b.size() < 12) return bad(0, "too short to be a WAV file");
  if (b.compare(0, 4, "RIFF") != 0 || b.compare(8, 4, "WAVE") != 0) return bad(0, "not a RIFF/WAVE file");
  size_t at = 12;
  bool have_fmt = false;
  uint16_t format = 0, channels = 0, bits = 0;
  uint32_t rate = 0;
  while (at + 8 <= b.size()) {
    const std::string id = b.substr(at, 4);
    const uint32_t size = u32(b, at + 4);
    const size_t body = at + 8;
    if (size > b.size() - body) {
      // Streams written while recording may leave the data size at 0 or too large: take what is there.
      if (id != "data") return bad(at, "chunk '" + id + "' of " + std::to_string(size) + " bytes runs past the end of the file");
    }
    if (id == "fmt ") {
      if (size < 16) return bad(at, "the fmt chunk is " + std::to_string(size) + " bytes, expected at least 16");
      format = u16(b, body);
      channels = u16(b, body + 2);
      rate = u32(b, body + 4);
      bits = u16(b, body + 14);
      if (format == 0xFFFE && size >= 40) format = u16(b, body + 24);  // WAVE_FORMAT_EXTENSIBLE: the sub-format
      if (format != 1 && format != 3) return bad(body, "sample format " + std::to_string(format) + " is not PCM or float");
      if (channels < 1 || channels > 2) return bad(body + 2, std::to_string(channels) + " channels (1 or 2 are read)");
      if (rate < 8000 || rate > 192000) return bad(body + 4, "sample rate " + std::to_string(rate) + " Hz is outside 8-192 kHz");
      const bool ok_bits = format == 3 ? bits == 32 : (bits == 8 || bits == 16 || bits == 24 || bits == 32);
      if (!ok_bits) return bad(body + 14, std::to_string(bits) + "-bit samples are not supported for this format");
      have_fmt = true;
    } else if (id == "data") {
      if (!have_fmt) return bad(at, "the data chunk comes before the fmt chunk");
      const size_t len = std::min<size_t>(size, b.size() - body);
      const size_t frame = static_cast<size_t>(channels) * bits / 8;
      const size_t frames = len / frame;
      if (frames == 0) return bad(at, "no samples");
      Pcm out;
      out.sample_rate = static_cast<int>(rate);
      out.samples.resize(frames);
      for (size_t f = 0; f < frames; ++f) {
        double sum = 0;
        for (size_t c = 0; c < channels; ++c) {
          const size_t p = body + f * frame + c * bits / 8;
          double v = 0;
          if (format == 3) {
            float x;
            uint32_t raw = u32(b, p);
            std::memcpy(&x, &raw, 4);
            v = std::isfinite(x) ? x * 32767.0 : 0.0;
          } else if (bits == 8) {
            v = (static_cast<uint8_t>(b[p]) - 128) * 256.0;
          } else if (bits == 16) {
            v = static_cast<int16_t>(u16(b, p));
          } else if (bits == 24) {
            int32_t x = static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint8_t>(b[p])) << 8 |
                                             static_cast<uint32_t>(static_cast<uint8_t>(b[p + 1])) << 16 |
                                             static_cast<uint32_t>(static_cast<uint8_t>(b[p + 2])) << 24);
            v = (x >> 8) / 256.0;
          } else {
            v = static_cast<int32_t>(u32(b, p)) / 65536.0;
          }
          sum += v;
        }
        out.samples[f] = static_cast<int16_t>(std::clamp(sum / channels, -32768.0, 32767.0));
      }
      return out;
    }
    at = body + size + (size & 1);  // chunks are padded to an even size
    if (at < body) break;           // overflow
  }
  return bad(at, have_fmt ? "no data chunk" : "no fmt chunk");
}

Pcm resample(const Pcm& in, int rate) {
  if (in.sample_rate == rate || in.samples.empty()) {
    Pcm same = in;
    same.sample_rate = rate;
    return same;
  }
  std::vector<double> src(in.samples.begin(), in.samples.end());
  if (rate < in.sample_rate) {
    // A moving average over the decimation ratio keeps most of what would alias out.
    const int width = std::max(1, static_cast<int>(std::lround(static_cast<double>(in.sample_rate) / rate)));
    std::vector<double> smooth(src.size());
    double acc = 0;
    for (size_t i = 0; i < src.size(); ++i) {
      acc += src[i];
      if (i >= static_cast<size_t>(width)) acc -= src[i - width];
      smooth[i] = acc / std::min<double>(width, static_cast<double>(i + 1));
    }
    src.swap(smooth);
  }
  Pcm out;
  out.sample_rate = rate;
  const double step = static_cast<double>(in.sample_rate) / rate;
  const size_t n = static_cast<size_t>(static_cast<double>(src.size()) / step);
  out.samples.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const double pos = i * step;
    const size_t k = static_cast<size_t>(pos);
    const double frac = pos - k;
    const double a = src[k], b = k + 1 < src.size() ? src[k + 1] : a;
    out.samples[i] = static_cast<int16_t>(std::clamp(a + (b - a) * frac, -32768.0, 32767.0));
  }
  return out;
}

Result<Pcm> read_wav_16k(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kIo, path + ": cannot be read");
  in.seekg(0, std::ios::end);
  const auto size = in.tellg();
  if (size < 0) return fail(ErrorCode::kIo, path + ": cannot be read");
  if (static_cast<size_t>(size) > kMaxFileBytes) return fail(ErrorCode::kBadWav, path + ": larger than 64 MiB");
  in.seekg(0);
  std::string bytes(static_cast<size_t>(size), '\0');
  in.read(bytes.data(), size);
  auto pcm = parse_wav(bytes, path);
  if (!pcm) return pcm;
  return resample(pcm.value(), kSpeechRate);
}

std::string encode_wav(const Pcm& pcm) {
  std::string b = "RIFF";
  const uint32_t data = static_cast<uint32_t>(pcm.samples.size() * 2);
  put32(b, 36 + data);
  b += "WAVEfmt ";
  put32(b, 16);
  put16(b, 1);
  put16(b, 1);
  put32(b, static_cast<uint32_t>(pcm.sample_rate));
  put32(b, static_cast<uint32_t>(pcm.sample_rate * 2));
  put16(b, 2);
  put16(b, 16);
  b += "data";
  put32(b, data);
  for (int16_t s : pcm.samples) put16(b, static_cast<uint16_t>(s));
  return b;
}

}  // namespace hearth::audio
