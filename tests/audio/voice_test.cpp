// The voice pipeline's parts without a sound card: the sample ring, the VAD, the log-mel
// features (against the numpy twin the wake-word training uses), the wake-word model file, speech
// out, and the whole pipeline fed from recordings made here with flite and espeak-ng voices.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>

#include "hearth/audio/features.h"
#include "hearth/audio/ring_buffer.h"
#include "hearth/audio/speech_out.h"
#include "hearth/audio/vad.h"
#include "hearth/audio/voice_pipeline.h"
#include "hearth/audio/wake_word.h"
#include "subprocess.h"
#include "temp_dir.h"

namespace hearth::audio {
namespace {

using test::run_shell;
using test::shell_quote;

const std::string kWakeModel = std::string(HEARTH_SOURCE_DIR) + "/audio/model/hey-computer.hww";

std::vector<int16_t> silence(double seconds) { return std::vector<int16_t>(static_cast<size_t>(seconds * kSpeechRate), 0); }

std::vector<int16_t> noise(double seconds, double rms, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> n(0.0, rms);
  std::vector<int16_t> out(static_cast<size_t>(seconds * kSpeechRate));
  for (auto& s : out) s = static_cast<int16_t>(std::clamp(n(rng), -32768.0, 32767.0));
  return out;
}

void append(std::vector<int16_t>& to, const std::vector<int16_t>& more) { to.insert(to.end(), more.begin(), more.end()); }

std::vector<int16_t> speak(const std::string& text, const std::string& voice, double speed = 1.0) {
  auto pcm = synthesize(text, voice, SpeechStyle{speed, 1.0});
  EXPECT_TRUE(pcm) << voice << ": " << (pcm ? "" : pcm.error().message);
  return pcm ? pcm->samples : std::vector<int16_t>{};
}

TEST(Ring, KeepsOrderAcrossTheWrapAndCountsWhatDoesNotFit) {
  SpscRing<int16_t> ring(10);
  std::vector<int16_t> in = {1, 2, 3, 4, 5, 6, 7};
  EXPECT_EQ(ring.push(in.data(), in.size()), 7u);
  int16_t out[10];
  EXPECT_EQ(ring.pop(out, 5), 5u);
  EXPECT_EQ(out[4], 5);
  EXPECT_EQ(ring.push(in.data(), in.size()), 7u);   // wraps
  EXPECT_EQ(ring.push(in.data(), in.size()), 1u);   // full: one more fits, six are dropped
  EXPECT_EQ(ring.size(), 10u);
  EXPECT_EQ(ring.pop(out, 10), 10u);
  const std::vector<int16_t> want = {6, 7, 1, 2, 3, 4, 5, 6, 7, 1};
  EXPECT_EQ(std::vector<int16_t>(out, out + 10), want);
}

TEST(Vad, FindsStartAndEndAndFollowsASteadyNoise) {
  Vad vad;
  std::vector<int16_t> audio = noise(1.0, 30, 1);   // a quiet room
  append(audio, noise(1.0, 3000, 2));                // loud "speech" for a second
  append(audio, noise(1.5, 30, 3));
  auto changes = vad.feed(audio.data(), audio.size());
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].event, VadEvent::kStart);
  EXPECT_NEAR(static_cast<double>(changes[0].at) / kSpeechRate, 1.0, 0.1);
  EXPECT_EQ(changes[1].event, VadEvent::kEnd);
  EXPECT_NEAR(static_cast<double>(changes[1].at) / kSpeechRate, 2.0 + 0.6, 0.1);  // after the hang-over

  // A fan switched on and left running: at most one start, then the floor has risen to it.
  Vad room;
  std::vector<int16_t> fan = noise(1.0, 30, 4);
  append(fan, noise(30.0, 600, 5));
  auto fan_changes = room.feed(fan.data(), fan.size());
  EXPECT_LE(fan_changes.size(), 3u);
  EXPECT_FALSE(room.in_speech());
  EXPECT_GT(room.floor_db(), -40.0);

  // Speech that never stops is cut at the maximum length.
  VadOptions o;
  o.max_utterance_ms = 2000;
  Vad cut(o);
  std::vector<int16_t> long_speech = silence(0.5);
  append(long_speech, noise(5.0, 3000, 6));
  auto cut_changes = cut.feed(long_speech.data(), long_speech.size());
  ASSERT_GE(cut_changes.size(), 2u);
  EXPECT_EQ(cut_changes[1].event, VadEvent::kCut);
}

// In a quiet room the fading end of a word is far above the floor but far below the voice: it
// counts as silence (35 dB under the utterance's loudest frame), so the hang-over starts when
// the voice fades, not when the tail reaches the room's level.
TEST(Vad, QuietRoomEndsWhereTheVoiceFades) {
  Vad vad;
  std::vector<int16_t> audio = noise(1.0, 3, 7);   // a very quiet room, about -80 dBFS
  append(audio, noise(1.0, 3000, 8));              // "speech" at about -21 dBFS
  append(audio, noise(0.4, 40, 9));                // a fading tail: -58 dBFS, 20 dB over the room
  append(audio, noise(1.0, 3, 10));
  auto changes = vad.feed(audio.data(), audio.size());
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[1].event, VadEvent::kEnd);
  EXPECT_NEAR(static_cast<double>(changes[1].at) / kSpeechRate, 2.0 + 0.6, 0.1);  // not 2.4 + 0.6
  // A voice 15 dB over a noisy room keeps the floor rule: its quieter frames still count as speech.
  Vad noisy;
  std::vector<int16_t> loud_room = noise(3.0, 600, 11);  // -35 dBFS
  append(loud_room, noise(1.0, 3400, 12));               // -20 dBFS
  append(loud_room, noise(0.4, 1600, 13));               // -26 dBFS: 9 dB over the floor
  append(loud_room, noise(1.5, 600, 14));
  auto noisy_changes = noisy.feed(loud_room.data(), loud_room.size());
  ASSERT_EQ(noisy_changes.size(), 2u);
  EXPECT_NEAR(static_cast<double>(noisy_changes[1].at) / kSpeechRate, 3.0 + 1.4 + 0.6, 0.1);
}

// features.cpp and audio/training/features.py must compute the same numbers: the model is
// trained on one and run on the other.
TEST(Features, MatchTheTrainingPipeline) {
  test::TempDir dir;
  auto speech = speak("turn on the kitchen light", "flite:slt");
  Pcm pcm;
  pcm.samples = speech;
  std::ofstream(dir.file("s.wav"), std::ios::binary) << encode_wav(pcm);
  const std::string script = "import wave, numpy as np\n"
                             "from features import log_mel\n"
                             "w = wave.open(sys.argv[1])\n"
                             "x = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)\n"
                             "np.savetxt(sys.argv[2], log_mel(x), fmt='%.5f')\n";
  auto r = test::run_training_python(script, dir.path(), {dir.file("s.wav"), dir.file("f.txt")});
  if (test::lacks_numpy(r)) GTEST_SKIP() << "python3-numpy is missing: " << r.text;
  ASSERT_EQ(r.exit_code, 0) << r.text;
  const auto frames = log_mel(speech);
  std::ifstream in(dir.file("f.txt"));
  size_t t = 0;
  double worst = 0;
  for (std::string line; std::getline(in, line); ++t) {
    ASSERT_LT(t, frames.size());
    std::istringstream row(line);
    for (int b = 0; b < kMelBands; ++b) {
      double v = 0;
      row >> v;
      worst = std::max(worst, std::abs(v - frames[t][b]));
    }
  }
  EXPECT_EQ(t, frames.size());
  EXPECT_LT(worst, 2e-3);
}

std::string le32(uint32_t v) { return {char(v & 255), char(v >> 8 & 255), char(v >> 16 & 255), char(v >> 24 & 255)}; }

std::string model_file(const std::string& header, size_t floats) {
  return "HWW1" + le32(static_cast<uint32_t>(header.size())) + header + std::string(floats * 4, '\0');
}

TEST(WakeModel, BadFilesAreRefusedWithWhatIsWrong) {
  const std::string good_header =
      R"({"phrase":"hey computer","mel_bands":40,"window_frames":20,"threshold":1.0,"layers":[)"
      R"({"type":"conv1d","in":40,"out":2,"kernel":3,"dilation":1,"relu":true},{"type":"maxpool_time"},)"
      R"({"type":"linear","in":2,"out":1}]})";
  const size_t floats = 40 * 2 * 3 + 2 + 2 + 1;
  auto good = WakeWordModel::parse(model_file(good_header, floats));
  ASSERT_TRUE(good) << good.error().message;
  EXPECT_EQ(good->phrase(), "hey computer");
  std::vector<MelFrame> window(20);
  EXPECT_FLOAT_EQ(good->score(window), 0.0f);  // all-zero weights

  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "no HWW1 magic"},
      {"HWW1" + le32(1000) + "{}", "runs past the end"},
      {model_file("{not json", 0), "not JSON"},
      {model_file(R"({"phrase":"x","mel_bands":40,"window_frames":20,"threshold":1,"layers":[]})", 0), "1-16"},
      {model_file(std::regex_replace(good_header, std::regex("\"in\":40"), "\"in\":39"), floats), "takes 39 channels, gets 40"},
      {model_file(good_header, floats - 1), "run past the end"},
      {model_file(good_header, floats + 3), "bytes after the last layer"},
      {model_file(std::regex_replace(good_header, std::regex("\"kernel\":3"), "\"kernel\":4"), floats), "kernel must be odd"},
      {model_file(std::regex_replace(good_header, std::regex("\"window_frames\":20"), "\"window_frames\":\"20\""), floats), "wrong type"},
  };
  for (const auto& [bytes, why] : cases) {
    auto m = WakeWordModel::parse(bytes, "case.hww");
    ASSERT_FALSE(m) << why;
    EXPECT_NE(m.error().message.find(why), std::string::npos) << m.error().message;
    EXPECT_NE(m.error().message.find("case.hww"), std::string::npos) << m.error().message;
  }
  EXPECT_FALSE(WakeWordModel::load("/nonexistent/model.hww"));
}

TEST(SpeechOut, FliteAndEspeakVoicesSpeakAt16kHz) {
  for (const std::string voice : {"flite:slt", "flite:kal", "espeak-ng:en-us", "espeak-ng:en+f3", "rms"}) {
    auto pcm = synthesize("The kitchen light is on.", voice);
    ASSERT_TRUE(pcm) << voice << ": " << pcm.error().message;
    EXPECT_EQ(pcm->sample_rate, kSpeechRate);
    EXPECT_GT(pcm->seconds(), 0.8) << voice;
    EXPECT_LT(pcm->seconds(), 4.0) << voice;
    EXPECT_GT(level_dbfs(pcm->samples.data(), pcm->samples.size()), -40.0) << voice;
  }
  auto slow = synthesize("The kitchen light is on.", "flite:slt", SpeechStyle{0.6, 1.0});
  auto fast = synthesize("The kitchen light is on.", "flite:slt", SpeechStyle{1.6, 1.0});
  ASSERT_TRUE(slow && fast);
  EXPECT_GT(slow->seconds(), fast->seconds() * 1.5);
  auto unknown = synthesize("hello", "flite:nobody");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kSpeech);
  EXPECT_NE(unknown.error().message.find("nobody"), std::string::npos);
  auto no_variant = synthesize("hello", "espeak-ng:en-us+nosuchvariant");
  ASSERT_FALSE(no_variant);
  EXPECT_NE(no_variant.error().message.find("nosuchvariant"), std::string::npos);
  EXPECT_FALSE(synthesize("   ", "flite:slt"));
  EXPECT_FALSE(synthesize(std::string(5000, 'a'), "flite:slt"));
  EXPECT_FALSE(synthesize("hello", "flite:slt", SpeechStyle{3.0, 1.0}));

  const Pcm chime = listening_chime();
  EXPECT_NEAR(chime.seconds(), 0.22, 0.03);
  EXPECT_GT(level_dbfs(chime.samples.data(), chime.samples.size()), -20.0);
  EXPECT_LE(std::abs(chime.samples.front()), 100);  // soft edges: no click
}

// ---- the pipeline over recordings ------------------------------------------------------------

struct Heard {
  std::vector<VoiceEvent> events;
  std::vector<std::string> finals;
  std::vector<bool> finals_open;  // per final: the general model's transcript
  int wakes = 0;
  int nothing = 0;
};

Vocabulary home_words() {
  Vocabulary v;
  v.device_names = {"kitchen light", "bedside lamp", "garage door", "ceiling fan"};
  v.area_names = {"kitchen", "bedroom", "living room"};
  v.wake_phrase = "hey computer";
  return v;
}

Heard hear(const std::vector<int16_t>& audio, bool with_wake, bool push_to_talk = false, bool stop_at_first = false,
           bool open_questions = true) {
  auto rec = Recognizer::create();
  EXPECT_TRUE(rec) << rec.error().message;
  VoicePipelineOptions o;
  o.open_questions = open_questions;
  if (with_wake) {
    auto m = WakeWordModel::load(kWakeModel);
    EXPECT_TRUE(m) << m.error().message;
    if (m) o.wake_model = std::make_shared<WakeWordModel>(std::move(*m));
  }
  Heard run;
  VoicePipeline* self = nullptr;
  VoicePipeline p(std::move(*rec), o, [&](const VoiceEvent& e) {
    if (e.stage == VoiceStage::kLevel) return;
    run.events.push_back(e);
    if (e.stage == VoiceStage::kWake) ++run.wakes;
    if (e.stage == VoiceStage::kNothingHeard) ++run.nothing;
    if (e.stage == VoiceStage::kFinal) {
      run.finals.push_back(e.text);
      run.finals_open.push_back(e.open);
      if (stop_at_first) self->stop();
    }
  });
  self = &p;
  p.set_vocabulary(home_words());
  if (push_to_talk) p.push_to_talk();
  RecordingSource source(audio, false);
  auto r = p.run(source);
  EXPECT_TRUE(r || r.error().code == ErrorCode::kEndOfStream) << r.error().message;
  return run;
}

TEST(VoicePipeline, PushToTalkHearsTheRequestAndItsEnd) {
  std::vector<int16_t> audio = silence(0.5);
  append(audio, speak("turn on the kitchen light", "flite:slt"));
  append(audio, silence(1.5));
  Heard run = hear(audio, false, true);
  ASSERT_EQ(run.finals.size(), 1u);
  EXPECT_EQ(run.finals[0], "turn on the kitchen light");
  ASSERT_FALSE(run.events.empty());
  EXPECT_EQ(run.events.front().stage, VoiceStage::kWake);
  EXPECT_TRUE(run.events.front().push_to_talk);
  bool partial = false;
  for (const auto& e : run.events) partial = partial || e.stage == VoiceStage::kPartial;
  EXPECT_TRUE(partial);
  // The end was heard from the silence after the words (300 ms hang-over), not the recording's end.
  EXPECT_LT(run.events.back().at_seconds, 0.5 + 1.6 + 1.0);
  // The request lasted from the press to the end of speech: the words and the hang-over.
  const double words = static_cast<double>(speak("turn on the kitchen light", "flite:slt").size()) / kSpeechRate;
  EXPECT_GT(run.events.back().request_seconds, words);
  EXPECT_LT(run.events.back().request_seconds, words + 0.5 + 1.0);
}

// The wake phrase, then a command, in voices the wake-word model never heard in training.
TEST(VoicePipeline, WakeWordThenCommandInHeldOutVoices) {
  if (!std::ifstream(kWakeModel)) GTEST_SKIP() << "no wake-word model at " << kWakeModel;
  int woke = 0, right = 0, total = 0;
  for (const std::string voice : {"flite:awb", "flite:kal16", "espeak-ng:en-us+f4"}) {
    std::vector<int16_t> audio = noise(1.0, 20, 7);
    append(audio, speak("hey computer, turn on the kitchen light", voice));
    append(audio, silence(1.5));
    Heard run = hear(audio, true, false, true);
    ++total;
    woke += run.wakes > 0;
    right += !run.finals.empty() && run.finals[0].find("turn on the kitchen light") != std::string::npos;
  }
  EXPECT_EQ(woke, total);
  EXPECT_GE(right, total - 1);
}

// Speech the grammar cannot hold is forced into its nearest sentence by the grammar search
// ("tell me a joke" -> "turn on the kitchen lamp"); the phone loop beside it tells it apart, and
// it is never handed on as a request.
// Speech the grammar cannot hold is never taken as the grammar's nearest sentence ("tell me a
// joke" -> "turn on the kitchen lamp"): the general en-us model hears it again and its transcript
// is the final one, marked open, for the NLU to judge; with open questions off, nothing is heard.
TEST(VoicePipeline, SpeechThatIsNotARequestGoesToTheGeneralModel) {
  for (const std::string voice : {"flite:slt", "espeak-ng:en+f3"}) {
    for (const std::string text : {"tell me a joke", "add milk to the shopping list", "I think it is going to rain today"}) {
      std::vector<int16_t> audio = silence(0.5);
      append(audio, speak(text, voice));
      append(audio, silence(1.5));
      Heard run = hear(audio, false, true);
      ASSERT_EQ(run.finals.size(), 1u) << voice << ": " << text << " (" << (run.events.empty() ? "" : run.events.back().message) << ")";
      EXPECT_TRUE(run.finals_open[0]) << voice << ": \"" << text << "\" was taken as \"" << run.finals[0] << "\"";
      if (voice.rfind("flite", 0) == 0) {
        // flite's speech is clear enough for the general model to get most of the words.
        std::istringstream said(text);
        int words = 0, found = 0;
        for (std::string w; said >> w; ++words) found += (" " + run.finals[0] + " ").find(" " + w + " ") != std::string::npos;
        EXPECT_GE(found * 2, words) << voice << ": \"" << text << "\" heard as \"" << run.finals[0] << "\"";
      }
    }
  }
  {
    std::vector<int16_t> audio = silence(0.5);
    append(audio, speak("tell me a joke", "flite:slt"));
    append(audio, silence(1.5));
    Heard run = hear(audio, false, true, false, /*open_questions=*/false);
    EXPECT_TRUE(run.finals.empty()) << run.finals[0];
    EXPECT_EQ(run.nothing, 1);
  }
  // A request the grammar holds passes. (espeak-ng's voices are weaker stand-ins: "turn off" can
  // come out as "unlock" with a low margin, and is then rightly not acted on.)
  std::vector<int16_t> audio = silence(0.5);
  append(audio, speak("turn off the bedside lamp", "flite:slt"));
  append(audio, silence(1.5));
  Heard run = hear(audio, false, true);
  ASSERT_EQ(run.finals.size(), 1u) << (run.events.empty() ? "" : run.events.back().message);
  EXPECT_GT(run.events.back().hypotheses.front().margin, -4.0);
}

// The out-of-grammar margin over the words after the wake phrase: "hey computer" fits both
// searches alike, so the part after it tells a request from other speech by more.
TEST(Recognizer, TheCommandMarginLeavesOutTheWakePhrase) {
  auto rec = Recognizer::create();
  ASSERT_TRUE(rec) << rec.error().message;
  ASSERT_TRUE(rec.value()->set_vocabulary(home_words()));
  auto heard = [&](const std::string& text) {
    Pcm pcm;
    pcm.samples = silence(0.3);
    append(pcm.samples, speak(text, "flite:slt"));
    append(pcm.samples, silence(0.5));
    auto hyps = rec.value()->decode(pcm);
    EXPECT_TRUE(hyps && !hyps->empty()) << text;
    return hyps && !hyps->empty() ? hyps->front() : Hypothesis{};
  };
  const Hypothesis request = heard("hey computer, turn on the kitchen light");
  EXPECT_EQ(request.text, "hey computer turn on the kitchen light");
  const Hypothesis joke = heard("hey computer, tell me a joke about the weather");
  const Hypothesis plain = heard("turn on the kitchen light");
  std::cout << "request " << request.margin << " / " << request.command_margin << ", joke " << joke.margin << " / "
            << joke.command_margin << ", without the phrase " << plain.margin << " / " << plain.command_margin << "\n";
  EXPECT_GT(request.command_margin, VoicePipelineOptions().min_command_margin);
  EXPECT_LT(joke.command_margin, VoicePipelineOptions().min_command_margin);
  // The phrase lifted the joke's whole margin: the part after it is worse.
  EXPECT_LT(joke.command_margin, joke.margin);
  // No wake phrase heard: the command margin is the whole margin.
  EXPECT_DOUBLE_EQ(plain.command_margin, plain.margin);
}

TEST(VoicePipeline, SilenceNoiseAndClippingWakeNothing) {
  if (!std::ifstream(kWakeModel)) GTEST_SKIP() << "no wake-word model at " << kWakeModel;
  EXPECT_EQ(hear(silence(20), true).wakes, 0);
  EXPECT_EQ(hear(noise(20, 2000, 8), true).wakes, 0);
  // Speech so loud it clips, with no wake phrase: no wake, no crash.
  auto loud = speak("turn on the kitchen light and open the garage door", "flite:rms");
  for (auto& s : loud) s = static_cast<int16_t>(std::clamp(static_cast<int>(s) * 8, -32768, 32767));
  std::vector<int16_t> audio = silence(0.5);
  append(audio, loud);
  append(audio, silence(1.0));
  EXPECT_EQ(hear(audio, true).wakes, 0);
  // Push to talk with nothing said: the request times out as nothing heard.
  Heard quiet = hear(silence(6), false, true);
  EXPECT_EQ(quiet.nothing, 1);
  EXPECT_TRUE(quiet.finals.empty());
}

// A microphone that disappears mid-capture. A real device cannot be unplugged on demand here, so
// a scripted source stands in: it fails with kDeviceLost part way, and the next one opened works.
class VanishingSource : public AudioSource {
 public:
  VanishingSource(std::vector<int16_t> audio, size_t fail_at) : audio_(std::move(audio)), fail_at_(fail_at) {}
  Result<size_t> read(std::vector<int16_t>& out, size_t max, std::chrono::milliseconds) override {
    if (at_ >= fail_at_) return fail(ErrorCode::kDeviceLost, "the microphone \"test\" stopped");
    const size_t n = std::min({max, fail_at_ - at_, audio_.size() - at_});
    out.insert(out.end(), audio_.begin() + static_cast<long>(at_), audio_.begin() + static_cast<long>(at_ + n));
    at_ += n;
    return n;
  }
  std::string name() const override { return "test"; }

 private:
  std::vector<int16_t> audio_;
  size_t fail_at_, at_ = 0;
};

TEST(VoicePipeline, AMicrophoneThatStopsIsReopened) {
  auto rec = Recognizer::create();
  ASSERT_TRUE(rec);
  std::vector<std::string> lost, finals;
  int opened = 0;
  VoicePipeline* self = nullptr;
  VoicePipeline p(std::move(*rec), VoicePipelineOptions{}, [&](const VoiceEvent& e) {
    if (e.stage == VoiceStage::kSourceLost) lost.push_back(e.message);
    if (e.stage == VoiceStage::kFinal) {
      finals.push_back(e.text);
      self->stop();
    }
  });
  self = &p;
  p.set_vocabulary(home_words());
  std::vector<int16_t> request = silence(0.5);
  append(request, speak("turn off the bedside lamp", "flite:slt"));
  append(request, silence(1.0));
  p.run_forever([&]() -> Result<std::unique_ptr<AudioSource>> {
    ++opened;
    if (opened == 1) return std::unique_ptr<AudioSource>(new VanishingSource(silence(2), kSpeechRate));
    if (opened == 2) return fail(ErrorCode::kDevice, "no sound input device found");
    p.push_to_talk();
    return std::unique_ptr<AudioSource>(new VanishingSource(request, request.size()));
  }, 10);
  EXPECT_EQ(opened, 3);
  ASSERT_EQ(lost.size(), 2u);
  EXPECT_NE(lost[0].find("stopped"), std::string::npos);
  EXPECT_NE(lost[1].find("no sound input device"), std::string::npos);
  ASSERT_EQ(finals.size(), 1u);
  EXPECT_EQ(finals[0], "turn off the bedside lamp");
}

}  // namespace
}  // namespace hearth::audio
