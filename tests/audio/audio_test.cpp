// WAV reading, rate conversion, the command grammar, and the recognizer on speech that
// espeak-ng synthesizes at test time.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <set>

#include "hearth/audio/recognizer.h"
#include "hearth/audio/speech_out.h"
#include "hearth/audio/wav.h"
#include "subprocess.h"
#include "temp_dir.h"

namespace hearth::audio {
namespace {

std::string le32(uint32_t v) { return {char(v & 255), char(v >> 8 & 255), char(v >> 16 & 255), char(v >> 24 & 255)}; }
std::string le16(uint16_t v) { return {char(v & 255), char(v >> 8)}; }

std::string wav(uint16_t format, uint16_t channels, uint32_t rate, uint16_t bits, const std::string& data) {
  std::string fmt = le16(format) + le16(channels) + le32(rate) + le32(rate * channels * bits / 8) +
                    le16(static_cast<uint16_t>(channels * bits / 8)) + le16(bits);
  std::string body = "WAVE" + std::string("fmt ") + le32(16) + fmt + "data" + le32(static_cast<uint32_t>(data.size())) + data;
  return "RIFF" + le32(static_cast<uint32_t>(body.size())) + body;
}

TEST(Wav, RoundTripAndFormats) {
  Pcm p;
  p.sample_rate = 16000;
  for (int i = 0; i < 1600; ++i) p.samples.push_back(static_cast<int16_t>(i * 10 - 8000));
  auto back = parse_wav(encode_wav(p));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->samples, p.samples);
  EXPECT_DOUBLE_EQ(back->seconds(), 0.1);

  // Stereo 24-bit: channels mixed down.
  std::string frames;
  for (int i = 0; i < 10; ++i) frames += std::string("\x00\x00\x10", 3) + std::string("\x00\x00\x30", 3);  // 0x100000, 0x300000
  auto stereo = parse_wav(wav(1, 2, 44100, 24, frames));
  ASSERT_TRUE(stereo) << stereo.error().message;
  ASSERT_EQ(stereo->samples.size(), 10u);
  EXPECT_EQ(stereo->samples[0], 0x2000);  // mean of 0x1000 and 0x3000 in 16 bits
  // 32-bit float.
  float half = 0.5f;
  std::string f(4, '\0');
  std::memcpy(f.data(), &half, 4);
  auto fl = parse_wav(wav(3, 1, 8000, 32, f + f));
  ASSERT_TRUE(fl) << fl.error().message;
  EXPECT_NEAR(fl->samples[0], 16383, 1);
}

TEST(Wav, BadFilesAreRefusedWithWhatAndWhere) {
  const std::string pcm(20, '\0');
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "too short"},
      {"RIFF0000AVIX", "not a RIFF/WAVE"},
      {wav(2, 1, 16000, 16, pcm), "not PCM or float"},
      {wav(1, 5, 16000, 16, pcm), "5 channels"},
      {wav(1, 1, 1000, 16, pcm), "outside 8-192 kHz"},
      {wav(1, 1, 16000, 12, pcm), "12-bit"},
      {wav(1, 1, 16000, 16, "").substr(0, 36), "no data chunk"},
      {"RIFF" + le32(100) + "WAVE" + "data" + le32(4) + "abcd", "before the fmt chunk"},
      {"RIFF" + le32(100) + "WAVE" + "fmt " + le32(0xFFFFFF00u) + "x", "runs past the end"},
      {wav(1, 1, 16000, 16, ""), "no samples"},
  };
  for (const auto& [bytes, what] : cases) {
    auto r = parse_wav(bytes, "x.wav");
    ASSERT_FALSE(r) << what;
    EXPECT_EQ(r.error().code, ErrorCode::kBadWav);
    EXPECT_NE(r.error().message.find(what), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("x.wav"), std::string::npos);
    EXPECT_NE(r.error().message.find("byte"), std::string::npos);
  }
  EXPECT_EQ(read_wav_16k("/nonexistent.wav").error().code, ErrorCode::kIo);
}

TEST(Wav, ResampleKeepsDurationAndPitch) {
  Pcm tone;
  tone.sample_rate = 48000;
  for (int i = 0; i < 48000; ++i) tone.samples.push_back(static_cast<int16_t>(10000 * std::sin(2 * M_PI * 440 * i / 48000.0)));
  Pcm down = resample(tone, 16000);
  EXPECT_EQ(down.sample_rate, 16000);
  EXPECT_NEAR(static_cast<double>(down.samples.size()), 16000, 2);
  int crossings = 0;
  for (size_t i = 1; i < down.samples.size(); ++i) crossings += (down.samples[i - 1] < 0) != (down.samples[i] < 0);
  EXPECT_NEAR(crossings, 880, 6);  // 440 Hz: two crossings a period
}

TEST(Grammar, HoldsTheHomesNamesAndTheWakePhrase) {
  Vocabulary v{{"Bedside Lamp", "tv-plug", "bedside lamp"}, {"living room"}, "hey computer"};
  const std::string g = command_grammar(v);
  EXPECT_NE(g.find("<device> = bedside lamp | tv plug;"), std::string::npos) << g;
  EXPECT_NE(g.find("<area> = living room;"), std::string::npos) << g;
  EXPECT_NE(g.find("[<wake>]"), std::string::npos);
  EXPECT_NE(g.find("<wake> = hey computer;"), std::string::npos);
}

// Verbs only with the devices they fit: "lock" with locks, "open" with covers, valves and locks,
// "set ... degrees" with heating; a name of no known kind fits every request.
TEST(Grammar, PairsEachVerbWithTheDevicesItFits) {
  Vocabulary v{{"garage light", "garage door", "front door", "thermostat", "motion sensor", "mystery box"}, {"garage"}, ""};
  v.kinds = {{"garage light", DeviceKind::kSwitchable}, {"garage door", DeviceKind::kCover}, {"front door", DeviceKind::kLock},
             {"thermostat", DeviceKind::kClimate}, {"motion sensor", DeviceKind::kSensor}};
  const std::string g = command_grammar(v);
  auto rule = [&](const std::string& name) {
    const size_t at = g.find("\n" + name + " = ");
    if (at == std::string::npos) return std::string("(none)");
    const size_t from = at + name.size() + 4;
    return g.substr(from, g.find(';', from) - from);
  };
  EXPECT_EQ(rule("<switchable>"), "garage light") << g;
  EXPECT_EQ(rule("<cover>"), "garage door") << g;
  EXPECT_EQ(rule("<device>"), "mystery box") << g;
  EXPECT_EQ(rule("<lockable>"), "[the] (<device> | <lock>)") << g;
  EXPECT_EQ(rule("<openable>"), "[the] (<device> | <cover> | <lock>)") << g;
  EXPECT_EQ(rule("<heating>"), "[the] (<device> | <climate>)") << g;
  // All the lights take no "the" before them.
  EXPECT_EQ(rule("<on_off>"), "[the] (<device> | <switchable> | <climate> | <area> (light | lights | lamp | lamps)) | all the lights") << g;
  EXPECT_EQ(rule("<opens>"), "[the] (<device> | <cover> | <lock> | <sensor>)") << g;
  EXPECT_EQ(rule("<valve>"), "(none)") << g;  // no valve in this home: no empty rule
  EXPECT_NE(g.find("(lock | unlock) <lockable>"), std::string::npos) << g;
  EXPECT_EQ(device_kind_of_domain("cover"), DeviceKind::kCover);
  EXPECT_EQ(device_kind_of_domain("binary_sensor"), DeviceKind::kSensor);
  EXPECT_EQ(device_kind_of_domain("teleporter"), DeviceKind::kAny);
}

// Speech from espeak-ng, decoded with a grammar of the simulated home's names. The voice issue
// measured 77% of espeak-ng sentences exact with a domain grammar; these short commands must
// come out right at least 5 times in 7.
TEST(Recognizer, SynthesizedCommandsDecodeAgainstTheHomeGrammar) {
  auto rec = Recognizer::create();
  ASSERT_TRUE(rec) << rec.error().message;
  Vocabulary v{{"bedside lamp", "floor lamp", "tv plug", "garage door", "front door", "bedroom blinds", "ceiling fan",
                "kitchen ceiling light", "xyzzyqq lamp"},
               {"kitchen", "living room", "bedroom", "garden"},
               "hey computer"};
  ASSERT_TRUE(rec.value()->set_vocabulary(v));
  EXPECT_EQ(rec.value()->dropped(), (std::vector<std::string>{"xyzzyqq lamp"}));  // not in the dictionary
  const std::vector<std::string> phrases = {
      "turn on the bedside lamp",          "turn off the kitchen lights",   "open the garage door",
      "lock the front door",               "set the bedroom blinds to fifty percent",
      "hey computer turn off the tv plug", "what is the temperature in the garden"};
  test::TempDir dir;
  int exact = 0;
  std::string misses;
  for (size_t i = 0; i < phrases.size(); ++i) {
    const std::string file = dir.file("p" + std::to_string(i) + ".wav");
    auto out = test::run_shell("espeak-ng -w " + test::shell_quote(file) + " " + test::shell_quote(phrases[i]));
    ASSERT_EQ(out.exit_code, 0) << out.text;
    auto pcm = read_wav_16k(file);
    ASSERT_TRUE(pcm) << pcm.error().message;
    auto hyps = rec.value()->decode(pcm.value());
    ASSERT_TRUE(hyps) << hyps.error().message;
    std::string got = hyps->empty() ? "" : hyps->front().text;
    std::string want = phrases[i];
    // The wake phrase is optional in the grammar: what counts is the command after it.
    for (std::string* s : {&got, &want})
      if (s->rfind("hey computer ", 0) == 0) s->erase(0, 13);
    if (got == want) ++exact;
    else misses += "\n  said '" + phrases[i] + "', heard '" + got + "'";
  }
  EXPECT_GE(exact, 5) << misses;
  std::cout << exact << " of " << phrases.size() << " exact" << misses << "\n";
  // Silence decodes to nothing or to a short guess, never to an error.
  Pcm silence;
  silence.samples.assign(16000, 0);
  EXPECT_TRUE(rec.value()->decode(silence));
  Pcm wrong_rate;
  wrong_rate.sample_rate = 8000;
  wrong_rate.samples.assign(100, 0);
  EXPECT_EQ(rec.value()->decode(wrong_rate).error().code, ErrorCode::kInvalidInput);
}

// The general model's transcript confirms a grammar sentence when it holds most of its words
// (bar the wake phrase and "the", "a", "please"), each once.
TEST(Recognizer, AGrammarSentenceHeardAgainByTheGeneralModel) {
  auto rec = Recognizer::create();
  ASSERT_TRUE(rec) << rec.error().message;
  ASSERT_TRUE(rec.value()->set_vocabulary(Vocabulary{{"bedside lamp", "kitchen lamp"}, {"kitchen"}, "hey computer"}));
  auto again = [&](const std::string& grammar, const std::string& open) {
    return rec.value()->heard_again(Hypothesis{grammar, 0, -6, false}, Hypothesis{open, 0, 0, true});
  };
  EXPECT_DOUBLE_EQ(again("hey computer turn on the bedside lamp", "they cook you a drug dealer on the bedside lamp"), 0.75);
  EXPECT_DOUBLE_EQ(again("turn on the kitchen lamp", "tell me a joke"), 0.0);
  EXPECT_DOUBLE_EQ(again("turn on the kitchen lamp", "add milk to the shopping list"), 0.0);
  EXPECT_DOUBLE_EQ(again("turn on the kitchen lamp", "on on on lamp lamp"), 0.5);  // each word once
  EXPECT_DOUBLE_EQ(again("hey computer thank you", "thank you"), 1.0);
  EXPECT_DOUBLE_EQ(again("hey computer please", "please"), 0.0);  // nothing of a request to compare
}

// A Scottish "turn" ([tʌrn]) and a British "garage" ([ˈɡærɪdʒ]) are not in pocketsphinx's
// dictionary: without hearth's regional pronunciations the grammar hears "toggle" and "garden".
// Voices outside the voice bench's held-out ones.
TEST(Recognizer, RegionalPronunciationsHearScottishAndBritishSpeakers) {
  const Vocabulary v{{"bedside lamp", "floor lamp", "office light", "garage light", "garden light", "garage door", "tv plug"},
                     {"kitchen", "bedroom", "garage", "garden"},
                     "hey computer",
                     {{"bedside lamp", DeviceKind::kSwitchable}, {"floor lamp", DeviceKind::kSwitchable},
                      {"office light", DeviceKind::kSwitchable}, {"garage light", DeviceKind::kSwitchable},
                      {"garden light", DeviceKind::kSwitchable}, {"garage door", DeviceKind::kCover},
                      {"tv plug", DeviceKind::kSwitchable}}};
  const std::vector<std::string> commands = {"turn on the bedside lamp", "turn off the floor lamp", "turn on the office light",
                                             "turn off the garage light", "turn on the tv plug", "open the garage door",
                                             "turn the garden light off", "close the garage door"};
  struct Clip {
    std::string voice, command;
    Pcm pcm;
  };
  std::vector<Clip> clips;
  for (const char* voice : {"espeak-ng:en-gb-scotland+m1", "espeak-ng:en-gb-x-rp+m2"})
    for (const auto& c : commands) {
      auto pcm = synthesize("hey computer, " + c, voice);
      ASSERT_TRUE(pcm) << pcm.error().message;
      clips.push_back({voice, c, *pcm});
    }
  auto heard_right = [&](bool regional, std::string& misses) {
    RecognizerOptions o;
    o.regional_pronunciations = regional;
    auto rec = Recognizer::create(o);
    EXPECT_TRUE(rec) << rec.error().message;
    if (!rec) return 0;
    EXPECT_TRUE((*rec)->set_vocabulary(v));
    int right = 0;
    for (const Clip& clip : clips) {
      auto heard = (*rec)->decode(clip.pcm);
      EXPECT_TRUE(heard) << heard.error().message;
      const std::string text = heard && !heard->empty() ? heard->front().text : "";
      if (text == "hey computer " + clip.command) ++right;
      else misses += "\n  " + clip.voice + ": " + clip.command + " -> " + text;
    }
    return right;
  };
  std::string with_misses, without_misses;
  const int with = heard_right(true, with_misses), without = heard_right(false, without_misses);
  std::cout << "with regional pronunciations " << with << "/" << clips.size() << with_misses << "\nwithout " << without
            << "/" << clips.size() << without_misses << "\n";
  EXPECT_GE(with, 12) << with_misses;
  EXPECT_GE(with, without + 3) << with_misses << "\nwithout:" << without_misses;
}

// Beside the best sentence the recognizer offers others of the grammar that the audio could be
// (from its word lattice), each once, each a whole sentence with a device of this home, fitting
// no better than the best.
TEST(Recognizer, AlternativesAreWholeGrammarSentencesBestFirst) {
  auto pcm = synthesize("hey computer turn off the floor lamp", "espeak-ng:en-gb-scotland+m6");
  ASSERT_TRUE(pcm) << pcm.error().message;
  const Vocabulary v{{"bedside lamp", "floor lamp", "kitchen light", "garage door"}, {"kitchen", "bedroom"}, "hey computer",
                     {{"bedside lamp", DeviceKind::kSwitchable}, {"floor lamp", DeviceKind::kSwitchable},
                      {"kitchen light", DeviceKind::kSwitchable}, {"garage door", DeviceKind::kCover}}};
  auto rec = Recognizer::create();
  ASSERT_TRUE(rec) << rec.error().message;
  ASSERT_TRUE((*rec)->set_vocabulary(v));
  auto heard = (*rec)->decode(*pcm, 5);
  ASSERT_TRUE(heard) << heard.error().message;
  ASSERT_GE(heard->size(), 3u);
  EXPECT_LE(heard->size(), 5u);  // the best and up to 4 more
  std::set<std::string> texts;
  double below = 0;
  std::string all;
  for (const auto& h : *heard) all += "\n  " + h.text + " (" + std::to_string(h.below) + ")";
  for (size_t i = 0; i < heard->size(); ++i) {
    const Hypothesis& h = (*heard)[i];
    EXPECT_TRUE(texts.insert(h.text).second) << "twice: " << h.text << all;
    if (i == 0) {
      EXPECT_EQ(h.below, 0.0);
    }
    EXPECT_GE(h.below, below) << all;  // best first
    below = h.below;
    EXPECT_LE(h.margin, heard->front().margin + 1e-9) << all;
    // A whole sentence names what it acts on: a device, or all the lights.
    const bool names_a_device = h.text.find("all the lights") != std::string::npos ||
                                std::any_of(v.device_names.begin(), v.device_names.end(),
                                            [&](const std::string& n) { return h.text.find(n) != std::string::npos; });
    EXPECT_TRUE(names_a_device) << "not a whole sentence: " << h.text << all;
  }
  EXPECT_TRUE(std::any_of(heard->begin(), heard->end(), [](const Hypothesis& h) { return h.text.find("turn off the floor lamp") != std::string::npos; }))
      << all;
  EXPECT_EQ((*rec)->decode(*pcm)->size(), 1u);
  // Asked for after the fact, the same alternatives; none during an utterance.
  auto later = (*rec)->alternatives(2);
  ASSERT_TRUE(later) << later.error().message;
  ASSERT_EQ(later->size(), 2u);
  EXPECT_EQ((*later)[0].text, (*heard)[1].text);
  ASSERT_TRUE((*rec)->begin());
  EXPECT_EQ((*rec)->alternatives(2).error().code, ErrorCode::kInvalidInput);
}

// The channel normalization (the microphone and room, as cepstral means) is learned from what the
// recognizer hears; a recognizer given what another learned hears its first request the same
// way, and nonsense is refused without changing what it had.
TEST(Recognizer, TheChannelItLearnedCanBeKeptAndGivenBack) {
  auto pcm = synthesize("hey computer turn on the bedside lamp", "espeak-ng:en-us");
  ASSERT_TRUE(pcm) << pcm.error().message;
  // A far-off talker: 34 dB quieter than espeak-ng's level, which the model's starting guess
  // of the channel does not expect.
  for (auto& s : pcm->samples) s = static_cast<int16_t>(s / 50);
  const Vocabulary v{{"bedside lamp", "floor lamp", "kitchen lamp"}, {"kitchen", "bedroom"}, "hey computer"};

  auto learner = Recognizer::create();
  ASSERT_TRUE(learner) << learner.error().message;
  ASSERT_TRUE((*learner)->set_vocabulary(v));
  const std::vector<float> generic = (*learner)->channel();
  ASSERT_EQ(generic.size(), 13u);
  // Streamed like a live microphone: the first utterance is heard again once the channel is learned.
  ASSERT_TRUE((*learner)->begin());
  ASSERT_TRUE((*learner)->feed(pcm->samples.data(), pcm->samples.size()));
  auto first = (*learner)->end();
  ASSERT_TRUE(first);
  ASSERT_FALSE(first->empty());
  EXPECT_EQ(first->front().text, "hey computer turn on the bedside lamp");
  const std::vector<float> learned = (*learner)->channel();
  ASSERT_EQ(learned.size(), 13u);
  EXPECT_LT(learned[0], generic[0] - 2) << "the quieter channel's energy term";

  auto restarted = Recognizer::create();
  ASSERT_TRUE(restarted) << restarted.error().message;
  ASSERT_TRUE((*restarted)->set_vocabulary(v));
  ASSERT_TRUE((*restarted)->set_channel(learned));
  EXPECT_EQ((*restarted)->channel(), learned);
  for (const auto& bad : {std::vector<float>{1, 2, 3}, std::vector<float>(13, NAN), std::vector<float>(13, 5000)}) {
    auto r = (*restarted)->set_channel(bad);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput) << r.error().message;
  }
  EXPECT_EQ((*restarted)->channel(), learned);
  ASSERT_TRUE((*restarted)->begin());
  ASSERT_TRUE((*restarted)->feed(pcm->samples.data(), pcm->samples.size()));
  auto heard = (*restarted)->end();
  ASSERT_TRUE(heard);
  ASSERT_FALSE(heard->empty());
  EXPECT_EQ(heard->front().text, "hey computer turn on the bedside lamp");
}

}  // namespace
}  // namespace hearth::audio
