#include "hearth/audio/wake_word.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

namespace hearth::audio {
namespace {

Fail<Error> bad(const std::string& name, const std::string& what) {
  return fail(ErrorCode::kModel, name + ": not a usable wake-word model: " + what);
}

}  // namespace

Result<WakeWordModel> WakeWordModel::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kIo, "cannot read the wake-word model " + path);
  std::ostringstream s;
  s << in.rdbuf();
  if (s.str().size() > (16u << 20)) return bad(path, "larger than 16 MiB");
  return parse(s.str(), path);
}

Result<WakeWordModel> WakeWordModel::parse(const std::string& bytes, const std::string& name) {
  if (bytes.size() < 8 || bytes.compare(0, 4, "HWW1") != 0) return bad(name, "no HWW1 magic at byte 0");
  uint32_t header_len = 0;
  for (int i = 0; i < 4; ++i) header_len |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[4 + i])) << (8 * i);
  if (header_len > bytes.size() - 8) return bad(name, "header length " + std::to_string(header_len) + " at byte 4 runs past the end");
  nlohmann::json h;
  try {
    h = nlohmann::json::parse(bytes.substr(8, header_len));
  } catch (const std::exception& e) {
    return bad(name, std::string("header at byte 8 is not JSON: ") + e.what());
  }
  WakeWordModel m;
  try {
    if (!h.is_object()) return bad(name, "header is not an object");
    m.phrase_ = h.at("phrase").get<std::string>();
    m.window_frames_ = h.at("window_frames").get<int>();
    m.threshold_ = h.at("threshold").get<float>();
    if (h.value("mel_bands", 0) != kMelBands) return bad(name, "mel_bands must be " + std::to_string(kMelBands));
    if (m.window_frames_ < 10 || m.window_frames_ > 1000) return bad(name, "window_frames outside 10-1000");
    if (!std::isfinite(m.threshold_)) return bad(name, "threshold is not a number");
    if (m.phrase_.empty() || m.phrase_.size() > 100) return bad(name, "phrase empty or longer than 100 bytes");
    const auto& layers = h.at("layers");
    if (!layers.is_array() || layers.empty() || layers.size() > 16) return bad(name, "layers must be a list of 1-16");
    size_t at = 8 + header_len;
    int width = kMelBands;  // channels flowing into the next layer
    bool pooled = false;
    for (size_t i = 0; i < layers.size(); ++i) {
      const auto& j = layers[i];
      const std::string where = "layer " + std::to_string(i);
      Layer L;
      const std::string type = j.at("type").get<std::string>();
      if (type == "maxpool_time") {
        if (pooled) return bad(name, where + ": pooled twice");
        L.kind = Layer::kMaxTime;
        L.in = L.out = width;
        pooled = true;
        m.layers_.push_back(std::move(L));
        continue;
      }
      if (type == "conv1d") {
        if (pooled) return bad(name, where + ": convolution after pooling");
        L.kind = Layer::kConv;
        L.kernel = j.at("kernel").get<int>();
        L.dilation = j.value("dilation", 1);
        if (L.kernel < 1 || L.kernel > 31 || L.kernel % 2 == 0) return bad(name, where + ": kernel must be odd, 1-31");
        if (L.dilation < 1 || L.dilation > 64) return bad(name, where + ": dilation outside 1-64");
      } else if (type == "linear") {
        if (!pooled) return bad(name, where + ": linear before pooling");
        L.kind = Layer::kLinear;
      } else {
        return bad(name, where + ": unknown type \"" + type + "\"");
      }
      L.in = j.at("in").get<int>();
      L.out = j.at("out").get<int>();
      L.relu = j.value("relu", false);
      if (L.in != width) return bad(name, where + ": takes " + std::to_string(L.in) + " channels, gets " + std::to_string(width));
      if (L.out < 1 || L.out > 512) return bad(name, where + ": out must be 1-512");
      const size_t nw = static_cast<size_t>(L.out) * L.in * L.kernel;
      const size_t need = (nw + L.out) * 4;
      if (need > bytes.size() - at) return bad(name, where + ": weights at byte " + std::to_string(at) + " run past the end");
      L.weight.resize(nw);
      L.bias.resize(L.out);
      std::memcpy(L.weight.data(), bytes.data() + at, nw * 4);
      std::memcpy(L.bias.data(), bytes.data() + at + nw * 4, L.out * 4);
      for (float v : L.weight)
        if (!std::isfinite(v)) return bad(name, where + ": weight is not a finite number");
      at += need;
      width = L.out;
      m.layers_.push_back(std::move(L));
    }
    if (!pooled || m.layers_.back().kind != Layer::kLinear || width != 1) return bad(name, "must end in pooling and a linear layer with 1 output");
    if (at != bytes.size()) return bad(name, std::to_string(bytes.size() - at) + " bytes after the last layer at byte " + std::to_string(at));
  } catch (const nlohmann::json::exception& e) {
    return bad(name, std::string("header field missing or of the wrong type: ") + e.what());
  }
  return m;
}

float WakeWordModel::score(const std::vector<MelFrame>& window) const {
  const int T = static_cast<int>(window.size());
  // x[channel][time]; the window's mean level is taken out so loudness does not matter.
  double mean = 0;
  for (const auto& f : window)
    for (float v : f) mean += v;
  mean /= static_cast<double>(T) * kMelBands;
  std::vector<float> x(static_cast<size_t>(kMelBands) * T), y;
  for (int t = 0; t < T; ++t)
    for (int c = 0; c < kMelBands; ++c) x[static_cast<size_t>(c) * T + t] = window[t][c] - static_cast<float>(mean);
  int len = T;
  for (const auto& L : layers_) {
    if (L.kind == Layer::kConv) {
      y.assign(static_cast<size_t>(L.out) * len, 0.0f);
      const int pad = L.dilation * (L.kernel - 1) / 2;
      for (int o = 0; o < L.out; ++o) {
        float* yo = &y[static_cast<size_t>(o) * len];
        for (int t = 0; t < len; ++t) yo[t] = L.bias[o];
        for (int i = 0; i < L.in; ++i) {
          const float* xi = &x[static_cast<size_t>(i) * len];
          const float* w = &L.weight[(static_cast<size_t>(o) * L.in + i) * L.kernel];
          for (int k = 0; k < L.kernel; ++k) {
            const int shift = k * L.dilation - pad;
            const int t0 = std::max(0, -shift), t1 = std::min(len, len - shift);
            const float wk = w[k];
            for (int t = t0; t < t1; ++t) yo[t] += wk * xi[t + shift];
          }
        }
        if (L.relu)
          for (int t = 0; t < len; ++t) yo[t] = std::max(0.0f, yo[t]);
      }
      x.swap(y);
    } else if (L.kind == Layer::kMaxTime) {
      y.assign(L.out, -1e30f);
      for (int c = 0; c < L.out; ++c)
        for (int t = 0; t < len; ++t) y[c] = std::max(y[c], x[static_cast<size_t>(c) * len + t]);
      x.swap(y);
      len = 1;
    } else {
      y.assign(L.out, 0.0f);
      for (int o = 0; o < L.out; ++o) {
        float s = L.bias[o];
        for (int i = 0; i < L.in; ++i) s += L.weight[static_cast<size_t>(o) * L.in + i] * x[i];
        y[o] = L.relu ? std::max(0.0f, s) : s;
      }
      x.swap(y);
    }
  }
  return x[0];
}

WakeWordDetector::WakeWordDetector(std::shared_ptr<const WakeWordModel> model, const WakeOptions& options)
    : model_(std::move(model)), o_(options) {
  // Sensitivity moves the calibrated threshold in logit space: 0.5 is the calibration,
  // each 0.1 away shifts it by 1.
  threshold_ = model_->threshold() + static_cast<float>((0.5 - std::clamp(o_.sensitivity, 0.0, 1.0)) * 10.0);
  const std::vector<float> zeros(kFrameWindow, 0.0f);
  silence_ = mel_.frame(zeros.data());
}

void WakeWordDetector::reset() {
  mel_.reset();
  frames_.clear();
  since_score_ = 0;
}

std::optional<uint64_t> WakeWordDetector::feed(const int16_t* samples, size_t n) {
  std::vector<MelFrame> fresh;
  mel_.feed(samples, n, fresh);
  std::optional<uint64_t> wake;
  const int W = model_->window_frames();
  const uint64_t refractory = static_cast<uint64_t>(o_.refractory_ms / 10);
  for (const auto& f : fresh) {
    // Without the padding a phrase said in the first second is only ever seen far from the
    // window's end (measured: "hey computer, ..." from the first sample peaked at 7.0 against
    // 12 and more after a second of room).
    if (frames_.empty()) frames_.assign(static_cast<size_t>(W - 1), silence_);
    frames_.push_back(f);
    ++frames_seen_;
    if (static_cast<int>(frames_.size()) > W) frames_.pop_front();
    if (static_cast<int>(frames_.size()) < W || ++since_score_ < o_.hop_frames) continue;
    since_score_ = 0;
    scratch_.assign(frames_.begin(), frames_.end());
    last_ = model_->score(scratch_);
    if (last_ >= threshold_ && (!woke_ || frames_seen_ - last_wake_frame_ > refractory) && !wake) {
      woke_ = true;
      last_wake_frame_ = frames_seen_;
      // A frame's last sample: frames start every 160 samples and are 400 long.
      wake = (frames_seen_ - 1) * kFrameHop + kFrameWindow;
    }
  }
  return wake;
}

}  // namespace hearth::audio
