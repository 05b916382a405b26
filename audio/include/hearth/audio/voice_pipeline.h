// hearth/audio/voice_pipeline.h — from sound to a transcript: wake word, listening, end of speech.
//
// One thread (the caller of run()) owns the pipeline: it reads the source in 50 ms blocks, runs
// the wake-word detector and the VAD on each, and after a wake (or push_to_talk()) streams the
// request into the recognizer until the VAD hears it end. The request's audio starts
// `pre_roll_ms` before the wake ended, so a command said straight after the wake phrase is
// heard whole; the grammar allows the wake phrase as a prefix. Every stage is an event
// (VoiceEvent), delivered on the pipeline's thread: whoever listens queues them on.
// Other threads may call push_to_talk(), set_vocabulary() and stop() at any time.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "hearth/audio/capture.h"
#include "hearth/audio/noise_suppressor.h"
#include "hearth/audio/recognizer.h"
#include "hearth/audio/vad.h"
#include "hearth/audio/wake_word.h"

namespace hearth::audio {

enum class VoiceStage {
  kLevel,         // input level (every ~100 ms): level_db, floor_db
  kWake,          // the wake word was heard (or push to talk): a request follows
  kPartial,       // the words so far (text)
  kFinal,         // the request as heard (text = best hypothesis; hypotheses = it and, when it
                  // was in doubt, its alternatives)
  kNothingHeard,  // woken, but no request followed (or speech that is not one: message says)
  kSourceLost,    // the microphone stopped (message); run() returns
};

const char* to_string(VoiceStage stage);

struct VoiceEvent {
  VoiceStage stage = VoiceStage::kLevel;
  std::string text;
  std::vector<Hypothesis> hypotheses;
  double level_db = -100, floor_db = -100;
  double at_seconds = 0;     // position in the stream
  double request_seconds = 0;  // kFinal, kNothingHeard: how long the request lasted (wake to end of speech)
  bool push_to_talk = false;  // kWake: started by push_to_talk(), not the wake word
  bool open = false;          // kFinal: text is the general model's (the grammar could not hold it)
  std::string message;
  // kFinal, kNothingHeard: the recognizer's channel normalization after the request
  // (Recognizer::channel()), for the caller to keep and give back after a restart.
  std::vector<float> channel;
};

struct VoicePipelineOptions {
  std::shared_ptr<const WakeWordModel> wake_model;  // null: push to talk only
  WakeOptions wake;
  VadOptions vad;                // hangover_ms ends a request; the default here is 300 ms
  int pre_roll_ms = 1200;        // audio kept from before the wake's end
  int no_speech_timeout_ms = 4000;
  int max_utterance_ms = 8000;
  int level_every_ms = 100;
  // A transcript whose grammar path scores this far below free phones (Hypothesis::margin) was
  // not a request the grammar holds: it ends as kNothingHeard instead of being acted on.
  double min_margin = -4.0;
  // ... or whose words after the wake phrase score this far below (Hypothesis::command_margin):
  // "hey computer" fits well and can lift a forced sentence after it over min_margin.
  double min_command_margin = -8.0;
  // Such speech is transcribed again with the general en-us model (Recognizer::transcribe_open)
  // and ends as kFinal with VoiceEvent::open set, for the NLU to judge: open questions and
  // requests the grammar cannot hold. false: it ends as kNothingHeard.
  bool open_questions = true;
  // ... unless the general model heard most of the grammar's sentence too
  // (Recognizer::heard_again at least this): then it is that request, in a voice the acoustic
  // model fits badly. Above 1: never.
  double min_heard_again = 0.6;
  // Asked (on the pipeline's thread) of a grammar sentence about to end as kFinal: whether it is
  // in doubt (for hearth: the NLU finds that it does not make sense in the home as it is). If so,
  // the event carries up to `alternatives` other sentences the audio could be
  // (Recognizer::alternatives(), about 0.4 s) after it, for the NLU to choose among. Unset:
  // never in doubt.
  std::function<bool(const Hypothesis& best)> in_doubt;
  int alternatives = 4;
  // In a noisy room, steady background noise is taken out before any stage hears the audio
  // (NoiseSuppressor; a quiet room's audio is heard as it is).
  bool suppress_noise = true;
  NoiseSuppressorOptions noise;
  VoicePipelineOptions() { vad.hangover_ms = 300; }
};

class VoicePipeline {
 public:
  using OnEvent = std::function<void(const VoiceEvent&)>;
  VoicePipeline(std::unique_ptr<Recognizer> recognizer, VoicePipelineOptions options, OnEvent on_event);

  // Runs until stop() or the source ends. kDeviceLost / kEndOfStream say which; stop() is ok.
  Result<void> run(AudioSource& source);
  // Runs `open()`'s sources one after another, opening a new one `retry_ms` after each is
  // lost or cannot be opened (a kSourceLost event each time), until stop().
  void run_forever(const std::function<Result<std::unique_ptr<AudioSource>>()>& open, int retry_ms = 5000);

  void stop();
  void push_to_talk();
  // Applied between requests.
  void set_vocabulary(const Vocabulary& vocabulary);
  bool listening() const { return listening_; }

 private:
  void emit(VoiceEvent e);
  Result<void> apply_vocabulary();
  void start_request(bool by_wake, uint64_t at);
  void finish_request(VoiceStage stage, uint64_t at);
  void hear(const std::vector<int16_t>& block);  // one block of audio through every stage

  std::unique_ptr<Recognizer> recognizer_;
  VoicePipelineOptions o_;
  OnEvent on_event_;
  std::unique_ptr<WakeWordDetector> wake_;
  Vad vad_;
  NoiseSuppressor suppressor_;
  bool use_denoised_ = false;  // the stages hear suppressor_'s output (a noisy room)
  std::atomic<bool> stop_{false}, ptt_{false}, listening_{false};
  std::mutex vocab_mu_;
  std::optional<Vocabulary> pending_vocab_;
  std::vector<int16_t> pre_roll_;      // the last pre_roll_ms of audio
  uint64_t fed_ = 0;                   // samples the stages have heard, from all sources
  uint64_t next_level_ = 0;            // fed_ at which the next kLevel event is due
  uint64_t request_start_ = 0;
  bool heard_speech_ = false;
  std::string partial_;
};

}  // namespace hearth::audio
