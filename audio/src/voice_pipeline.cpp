#include "hearth/audio/voice_pipeline.h"

#include <optional>

#include <spdlog/spdlog.h>

#include <cmath>
#include <thread>

namespace hearth::audio {

const char* to_string(VoiceStage stage) {
  switch (stage) {
    case VoiceStage::kLevel: return "level";
    case VoiceStage::kWake: return "wake";
    case VoiceStage::kPartial: return "partial";
    case VoiceStage::kFinal: return "final";
    case VoiceStage::kNothingHeard: return "nothing_heard";
    case VoiceStage::kSourceLost: return "source_lost";
  }
  return "?";
}

VoicePipeline::VoicePipeline(std::unique_ptr<Recognizer> recognizer, VoicePipelineOptions options, OnEvent on_event)
    : recognizer_(std::move(recognizer)), o_(std::move(options)), on_event_(std::move(on_event)), vad_(o_.vad), suppressor_(o_.noise) {
  if (o_.wake_model) wake_ = std::make_unique<WakeWordDetector>(o_.wake_model, o_.wake);
}

void VoicePipeline::stop() { stop_ = true; }
void VoicePipeline::push_to_talk() { ptt_ = true; }

void VoicePipeline::set_vocabulary(const Vocabulary& vocabulary) {
  std::lock_guard<std::mutex> lock(vocab_mu_);
  pending_vocab_ = vocabulary;
}

Result<void> VoicePipeline::apply_vocabulary() {
  std::optional<Vocabulary> v;
  {
    std::lock_guard<std::mutex> lock(vocab_mu_);
    v.swap(pending_vocab_);
  }
  if (!v) return {};
  return recognizer_->set_vocabulary(*v);
}

void VoicePipeline::emit(VoiceEvent e) {
  if (on_event_) on_event_(e);
}

static double seconds_at(uint64_t sample) { return static_cast<double>(sample) / kSpeechRate; }

void VoicePipeline::start_request(bool by_wake, uint64_t at) {
  listening_ = true;
  partial_.clear();
  request_start_ = at;
  // A command said straight after the wake phrase is already under way: the VAD says so.
  heard_speech_ = by_wake && vad_.in_speech();
  if (!by_wake) vad_.reset();
  VoiceEvent e;
  e.stage = VoiceStage::kWake;
  e.push_to_talk = !by_wake;
  e.at_seconds = seconds_at(at);
  emit(e);
  if (auto r = recognizer_->begin(); !r) {
    spdlog::error("speech recognizer: {}", r.error().message);
    listening_ = false;
    return;
  }
  // The request's audio begins before the wake ended (push to talk: a little before the press).
  const size_t keep = static_cast<size_t>(by_wake ? o_.pre_roll_ms : 300) * kSpeechRate / 1000;
  const size_t from = pre_roll_.size() > keep ? pre_roll_.size() - keep : 0;
  (void)recognizer_->feed(pre_roll_.data() + from, pre_roll_.size() - from);
}

void VoicePipeline::finish_request(VoiceStage stage, uint64_t at) {
  listening_ = false;
  auto hyps = recognizer_->end();
  if (wake_) wake_->reset();
  VoiceEvent e;
  e.at_seconds = seconds_at(at);
  e.request_seconds = static_cast<double>(at - std::min(at, request_start_)) / kSpeechRate;
  if (!hyps) {
    spdlog::error("speech recognizer: {}", hyps.error().message);
    e.stage = VoiceStage::kNothingHeard;
    e.message = hyps.error().message;
  } else if (stage == VoiceStage::kNothingHeard) {
    e.stage = VoiceStage::kNothingHeard;
  } else if (hyps->empty() || (hyps->front().margin != 0 && (hyps->front().margin < o_.min_margin ||
                                                             hyps->front().command_margin < o_.min_command_margin))) {
    // Speech the grammar cannot hold, forced into its nearest sentence (or fitting none of them):
    // that sentence is never acted on. The general model hears it again instead (an open
    // question, an item for a list).
    std::optional<Hypothesis> open;
    if (o_.open_questions) {
      if (auto r = recognizer_->transcribe_open(); r) open = std::move(*r);
      else spdlog::warn("general speech model: {}", r.error().message);
    }
    if (open && !hyps->empty() && recognizer_->heard_again(hyps->front(), *open) >= o_.min_heard_again) {
      e.stage = VoiceStage::kFinal;
      e.text = hyps->front().text;
      e.hypotheses = *hyps;
    } else if (open && !open->text.empty()) {
      e.stage = VoiceStage::kFinal;
      e.text = open->text;
      e.open = true;
      e.hypotheses = {*open};
    } else {
      e.stage = VoiceStage::kNothingHeard;
      e.hypotheses = *hyps;
      e.message = hyps->empty() ? "not a request I know (no sentence of the grammar fits)"
                                : "not a request I know (heard as \"" + hyps->front().text + "\", margin " +
                                      std::to_string(static_cast<int>(std::lround(hyps->front().margin))) + ")";
    }
  } else {
    e.stage = VoiceStage::kFinal;
    e.text = hyps->front().text;
    e.hypotheses = *hyps;
  }
  if (e.stage == VoiceStage::kFinal && !e.open && o_.in_doubt && o_.alternatives > 0 && !e.hypotheses.empty() &&
      o_.in_doubt(e.hypotheses.front())) {
    if (auto more = recognizer_->alternatives(o_.alternatives); more)
      e.hypotheses.insert(e.hypotheses.end(), more->begin(), more->end());
    else
      spdlog::warn("speech recognizer: {}", more.error().message);
  }
  e.channel = recognizer_->channel();
  emit(e);
}

Result<void> VoicePipeline::run(AudioSource& source) {
  if (auto r = apply_vocabulary(); !r) return r;
  const size_t block = kSpeechRate / 20;  // 50 ms
  next_level_ = fed_ + static_cast<uint64_t>(o_.level_every_ms) * kSpeechRate / 1000;
  std::vector<int16_t> raw, denoised;
  // A new source is a new room: its noise is learned afresh.
  suppressor_.reset();
  use_denoised_ = false;
  while (!stop_) {
    raw.clear();
    auto got = source.read(raw, block, std::chrono::milliseconds(100));
    if (!got) {
      // The suppressor still holds the stream's last few milliseconds: heard before the end.
      denoised.clear();
      if (use_denoised_) suppressor_.flush(denoised);
      if (!denoised.empty()) hear(denoised);
      if (listening_) finish_request(VoiceStage::kFinal, fed_);
      return Fail<Error>(got.error());
    }
    if (*got == 0) continue;
    // In a noisy room every stage hears the audio with its steady noise taken out (16 ms
    // later); in a quiet one, the audio as it is. The choice changes only between requests:
    // the switch skips or repeats those 16 ms.
    denoised.clear();
    if (o_.suppress_noise) suppressor_.process(raw.data(), raw.size(), denoised);
    if (!listening_) use_denoised_ = o_.suppress_noise && suppressor_.noisy();
    const std::vector<int16_t>& buf = use_denoised_ ? denoised : raw;
    if (!buf.empty()) hear(buf);
  }
  if (listening_) finish_request(VoiceStage::kFinal, fed_);
  return {};
}

void VoicePipeline::hear(const std::vector<int16_t>& buf) {
  const size_t pre_roll_max = static_cast<size_t>(o_.pre_roll_ms) * kSpeechRate / 1000;
  const uint64_t start = fed_;
  fed_ += buf.size();
  pre_roll_.insert(pre_roll_.end(), buf.begin(), buf.end());
  if (pre_roll_.size() > pre_roll_max) pre_roll_.erase(pre_roll_.begin(), pre_roll_.end() - static_cast<long>(pre_roll_max));
  const auto changes = vad_.feed(buf.data(), buf.size());
  if (fed_ >= next_level_) {
    next_level_ = fed_ + static_cast<uint64_t>(o_.level_every_ms) * kSpeechRate / 1000;
    VoiceEvent e;
    e.stage = VoiceStage::kLevel;
    e.level_db = vad_.level_db();
    e.floor_db = vad_.floor_db();
    e.at_seconds = seconds_at(fed_);
    emit(e);
  }
  if (!listening_) {
    if (auto r = apply_vocabulary(); !r) spdlog::error("speech recognizer: {}", r.error().message);
    std::optional<uint64_t> woke;
    if (wake_) woke = wake_->feed(buf.data(), buf.size());
    if (woke) start_request(true, start + std::min<uint64_t>(*woke, buf.size()));
    else if (ptt_.exchange(false)) start_request(false, fed_);
    return;
  }
  ptt_ = false;
  // Listening: the words so far, and the end of the request.
  if (auto partial = recognizer_->feed(buf.data(), buf.size()); partial && *partial != partial_) {
    partial_ = *partial;
    VoiceEvent e;
    e.stage = VoiceStage::kPartial;
    e.text = partial_;
    e.at_seconds = seconds_at(fed_);
    emit(e);
  }
  for (const auto& c : changes) {
    if (c.event == VadEvent::kStart) heard_speech_ = true;
    if ((c.event == VadEvent::kEnd || c.event == VadEvent::kCut) && heard_speech_ && listening_)
      finish_request(VoiceStage::kFinal, fed_);
  }
  if (!listening_) return;
  const uint64_t elapsed_ms = (fed_ - request_start_) * 1000 / kSpeechRate;
  if (!heard_speech_ && elapsed_ms >= static_cast<uint64_t>(o_.no_speech_timeout_ms)) finish_request(VoiceStage::kNothingHeard, fed_);
  else if (elapsed_ms >= static_cast<uint64_t>(o_.max_utterance_ms)) finish_request(VoiceStage::kFinal, fed_);
}

void VoicePipeline::run_forever(const std::function<Result<std::unique_ptr<AudioSource>>()>& open, int retry_ms) {
  bool announced = false;
  while (!stop_) {
    auto source = open();
    if (source) {
      announced = false;
      auto r = run(**source);
      if (stop_) return;
      VoiceEvent e;
      e.stage = VoiceStage::kSourceLost;
      e.message = r ? "the microphone stopped" : r.error().message;
      emit(e);
    } else if (!announced) {
      // Said once per outage, not every retry.
      announced = true;
      VoiceEvent e;
      e.stage = VoiceStage::kSourceLost;
      e.message = source.error().message;
      emit(e);
    }
    for (int waited = 0; waited < retry_ms && !stop_; waited += 50) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace hearth::audio
