#include "hearth/audio/vad.h"

#include <algorithm>
#include <cmath>

#include "hearth/audio/wav.h"

namespace hearth::audio {

double level_dbfs(const int16_t* s, size_t n) {
  if (n == 0) return -100.0;
  double sum = 0;
  for (size_t i = 0; i < n; ++i) sum += static_cast<double>(s[i]) * s[i];
  const double ms = sum / static_cast<double>(n) / (32768.0 * 32768.0);
  return ms <= 1e-10 ? -100.0 : 10.0 * std::log10(ms);
}

Vad::Vad(const VadOptions& options) : o_(options), frame_(kSpeechRate * std::max(5, options.frame_ms) / 1000) {}

void Vad::reset() {
  in_speech_ = false;
  loud_run_ = quiet_run_ = speech_frames_ = 0;
}

std::vector<Vad::Change> Vad::feed(const int16_t* samples, size_t n) {
  std::vector<Change> out;
  for (size_t i = 0; i < n; ++i) {
    partial_.push_back(samples[i]);
    if (static_cast<int>(partial_.size()) < frame_) continue;
    fed_ += partial_.size();
    const Change c = on_frame(level_dbfs(partial_.data(), partial_.size()), fed_);
    partial_.clear();
    if (c.event != VadEvent::kNone) out.push_back(c);
  }
  return out;
}

Vad::Change Vad::on_frame(double db, uint64_t end) {
  level_db_ = db;
  const int ms = o_.frame_ms;
  if (!floor_known_) {
    floor_db_ = std::max(o_.min_floor_db, db);
    floor_known_ = true;
  }
  // The floor follows the quietest frame of the last 3 s (speech always has quieter moments
  // between words; a fan does not): down fast, up at most 3 dB a second, in speech or not.
  recent_.push_back(db);
  if (static_cast<int>(recent_.size()) * ms > 3000) recent_.pop_front();
  const double quietest = *std::min_element(recent_.begin(), recent_.end());
  if (quietest < floor_db_) floor_db_ += 0.3 * (quietest - floor_db_);
  else floor_db_ += std::min(3.0 * ms / 1000.0, quietest - floor_db_);
  floor_db_ = std::max(o_.min_floor_db, floor_db_);
  if (!in_speech_) {
    loud_run_ = db > floor_db_ + o_.start_db ? loud_run_ + 1 : 0;
    if (loud_run_ * ms >= o_.start_ms) {
      in_speech_ = true;
      speech_frames_ = loud_run_;
      peak_db_ = db;
      quiet_run_ = 0;
      // The utterance began where the loud run began.
      return {VadEvent::kStart, end - static_cast<uint64_t>(loud_run_) * static_cast<uint64_t>(frame_)};
    }
    return {VadEvent::kNone, end};
  }
  ++speech_frames_;
  peak_db_ = std::max(peak_db_, db);
  const double quiet_below = std::max(floor_db_ + o_.end_db, peak_db_ - o_.end_below_peak_db);
  quiet_run_ = db < quiet_below ? quiet_run_ + 1 : 0;
  if (quiet_run_ * ms >= o_.hangover_ms) {
    reset();
    return {VadEvent::kEnd, end};
  }
  if (speech_frames_ * ms >= o_.max_utterance_ms) {
    reset();
    return {VadEvent::kCut, end};
  }
  return {VadEvent::kNone, end};
}

}  // namespace hearth::audio
