#include "hearth/audio/noise_suppressor.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "fft.h"

namespace hearth::audio {

namespace {
constexpr size_t kBins = NoiseSuppressor::kFrame / 2 + 1;
// The first frames set the noise estimate outright (their mean): the room before anyone speaks.
constexpr size_t kLearnFrames = 8;
}  // namespace

NoiseSuppressor::NoiseSuppressor(NoiseSuppressorOptions options) : o_(options), window_(kFrame) {
  // sqrt of the periodic Hann window at 50% overlap: analysis x synthesis windows sum to 1.
  for (size_t i = 0; i < kFrame; ++i)
    window_[i] = std::sqrt(0.5 - 0.5 * std::cos(2 * kPi * static_cast<double>(i) / kFrame));
  // All bins' power for white noise of that RMS level: bins x level^2 x the window's sum of squares.
  const double level = 32768.0 * std::pow(10.0, o_.quiet_dbfs / 20.0);
  quiet_power_ = static_cast<double>(kBins) * level * level * static_cast<double>(kFrame) / 2;
  reset();
}

void NoiseSuppressor::reset() {
  pending_.assign(kDelay, 0.0);
  overlap_.assign(kFrame, 0.0);
  noise_.assign(kBins, 0.0);
  clean_ratio_.assign(kBins, 1.0);
  smoothed_.assign(kBins, 0.0);
  least_.assign(kSpans * kBins, std::numeric_limits<double>::infinity());  // spans not yet heard
  least_now_.assign(kBins, std::numeric_limits<double>::infinity());
  spectrum_.assign(kFrame, {});
  frames_ = 0;
  heard_any_ = false;
  noisy_ = false;
  frame_least_.fill(std::numeric_limits<double>::infinity());
  frame_least_now_ = std::numeric_limits<double>::infinity();
}

void NoiseSuppressor::process(const int16_t* in, size_t n, std::vector<int16_t>& out) {
  heard_any_ = heard_any_ || n > 0;
  size_t at = 0;
  while (at < n) {
    const size_t take = std::min(n - at, kFrame - pending_.size());
    for (size_t i = 0; i < take; ++i) pending_.push_back(in[at + i]);
    at += take;
    if (pending_.size() < kFrame) break;
    frame();
    for (size_t i = 0; i < kHop; ++i)
      out.push_back(static_cast<int16_t>(std::clamp(std::lround(overlap_[i]), -32768L, 32767L)));
    std::copy(overlap_.begin() + kHop, overlap_.end(), overlap_.begin());
    std::fill(overlap_.end() - kHop, overlap_.end(), 0.0);
    pending_.erase(pending_.begin(), pending_.begin() + kHop);
  }
}

void NoiseSuppressor::flush(std::vector<int16_t>& out) {
  // Silence after the end pushes the last real samples through the overlap-add.
  if (!heard_any_) return;  // nothing since the last reset: nothing owed
  const size_t real = pending_.size();
  const size_t before = out.size();
  const std::vector<int16_t> zeros(kFrame, 0);
  process(zeros.data(), zeros.size(), out);
  // Keep what stands for real input: the kDelay samples owed plus those pending beyond it.
  out.resize(std::min(out.size(), before + real));
  reset();
}

void NoiseSuppressor::frame() {
  for (size_t i = 0; i < kFrame; ++i) spectrum_[i] = pending_[i] * window_[i];
  fft(spectrum_);
  ++frames_;
  const size_t span = (frames_ - 1) / kSpanFrames % kSpans;
  const bool span_ends = frames_ % kSpanFrames == 0;
  const bool spans_full = frames_ >= kSpans * kSpanFrames;
  double frame_power = 0;
  for (size_t k = 0; k < kBins; ++k) {
    const double power = std::norm(spectrum_[k]);
    frame_power += power;
    smoothed_[k] = frames_ == 1 ? power : 0.85 * smoothed_[k] + 0.15 * power;
    least_now_[k] = std::min(least_now_[k], smoothed_[k]);
    double least = least_now_[k];  // over the last two seconds (less at the start)
    for (size_t s = 0; s < kSpans; ++s) least = std::min(least, least_[s * kBins + k]);
    double& noise = noise_[k];
    if (frames_ <= kLearnFrames) noise += (power - noise) / static_cast<double>(frames_);
    else if (power < o_.speech_ratio * noise) noise += o_.learn_rate * (power - noise);
    else noise *= o_.rise_per_frame;
    // Speech pauses and steady noise does not: where the bin has been far quieter than its
    // estimate within the last two seconds, the estimate had learned speech (a recording that
    // starts with a word); where it has not come near it for two seconds, the room got louder.
    noise = std::min(noise, o_.most_over_least * least);
    if (spans_full) noise = std::max(noise, o_.least_power_factor * least);
    if (span_ends) {
      least_[span * kBins + k] = least_now_[k];
      least_now_[k] = std::numeric_limits<double>::infinity();
    }
    const double posterior = power / std::max(noise, 1e-9);
    const double prior = o_.smoothing * clean_ratio_[k] + (1 - o_.smoothing) * std::max(posterior - 1, 0.0);
    const double gain = std::max(prior / (1 + prior), o_.floor);
    clean_ratio_[k] = gain * gain * posterior;
    spectrum_[k] *= gain;
    if (k > 0 && k < kFrame / 2) spectrum_[kFrame - k] = std::conj(spectrum_[k]);  // a real signal
  }
  // The room's level: the least power of a whole frame in the last five seconds. A frame's
  // total varies little in steady noise, and speech leaves quiet frames between its sounds;
  // the per-bin estimates can learn long speech, this cannot.
  frame_least_now_ = std::min(frame_least_now_, frame_power);
  double room = frame_least_now_;
  for (double least : frame_least_) room = std::min(room, least);
  if (frames_ % kRoomSpanFrames == 0) {
    frame_least_[frames_ / kRoomSpanFrames % kSpans] = frame_least_now_;
    frame_least_now_ = std::numeric_limits<double>::infinity();
  }
  noisy_ = room > (noisy_ ? 0.5 : 1.0) * quiet_power_;  // 3 dB of hysteresis
  inverse_fft(spectrum_);
  for (size_t i = 0; i < kFrame; ++i) overlap_[i] += spectrum_[i].real() * window_[i];
}

}  // namespace hearth::audio
