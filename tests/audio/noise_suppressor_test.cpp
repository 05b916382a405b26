// The noise suppressor on speech that flite synthesizes at test time, with noise of the test's
// own: steady noise comes out, speech stays, chunking does not matter.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#include "hearth/audio/noise_suppressor.h"
#include "hearth/audio/speech_out.h"
#include "hearth/audio/wav.h"
#include "subprocess.h"
#include "temp_dir.h"

namespace hearth::audio {
namespace {

std::vector<double> white(size_t n, double rms, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> g(0, rms);
  std::vector<double> out(n);
  for (auto& v : out) v = g(rng);
  return out;
}

std::vector<int16_t> to_pcm(const std::vector<double>& x) {
  std::vector<int16_t> out(x.size());
  for (size_t i = 0; i < x.size(); ++i) out[i] = static_cast<int16_t>(std::clamp(std::lround(x[i]), -32768L, 32767L));
  return out;
}

std::vector<int16_t> suppress(const std::vector<int16_t>& in, size_t chunk) {
  NoiseSuppressor s;
  std::vector<int16_t> out;
  for (size_t at = 0; at < in.size(); at += chunk) s.process(in.data() + at, std::min(chunk, in.size() - at), out);
  return out;
}

// Energy in dB of x[from, to) (or of x - ref there), ref aligned sample for sample.
double energy_db(const std::vector<int16_t>& x, size_t from, size_t to, const std::vector<double>* ref = nullptr, size_t lag = 0) {
  double e = 1e-9;
  for (size_t i = from; i < to && i < x.size(); ++i) {
    const double d = x[i] - (ref && i >= lag ? (*ref)[i - lag] : 0.0);
    e += d * d;
  }
  return 10 * std::log10(e);
}

class NoiseSuppressorSpeech : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pcm = synthesize("Turn on the kitchen light and close the bedroom blinds.", "flite:slt");
    ASSERT_TRUE(pcm) << pcm.error().message;
    // A second of room before the speech, half a second after.
    speech_.assign(16000, 0.0);
    for (int16_t v : pcm->samples) speech_.push_back(v);
    speech_.insert(speech_.end(), 8000, 0.0);
    begin_ = 16000;
    end_ = 16000 + pcm->samples.size();
    double e = 0;
    for (size_t i = begin_; i < end_; ++i) e += speech_[i] * speech_[i];
    speech_rms_ = std::sqrt(e / static_cast<double>(end_ - begin_));
  }
  std::vector<double> mixed(double snr_db) const {
    auto noise = white(speech_.size(), speech_rms_ / std::pow(10.0, snr_db / 20), 5);
    for (size_t i = 0; i < noise.size(); ++i) noise[i] += speech_[i];
    return noise;
  }
  std::vector<double> speech_;
  size_t begin_ = 0, end_ = 0;
  double speech_rms_ = 0;
};

TEST_F(NoiseSuppressorSpeech, SteadyNoiseComesOutAndSpeechStays) {
  const auto noisy = to_pcm(mixed(10));
  const auto out = suppress(noisy, 800);
  ASSERT_EQ(out.size(), noisy.size() / NoiseSuppressor::kHop * NoiseSuppressor::kHop);
  NoiseSuppressor s;
  std::vector<int16_t> ignored;
  s.process(noisy.data(), 16000, ignored);  // the room alone, about -35 dBFS
  EXPECT_TRUE(s.noisy());
  const size_t lag = NoiseSuppressor::kDelay;
  // Noise alone (the second before the speech, after the first half second of learning): at
  // least 12 dB quieter.
  EXPECT_LT(energy_db(out, 8000 + lag, 16000 + lag), energy_db(noisy, 8000, 16000) - 12);
  // Over the speech: closer to the clean speech than the noisy input was, by at least 3 dB.
  const double before = energy_db(noisy, begin_, end_, &speech_);
  const double after = energy_db(out, begin_ + lag, end_ + lag, &speech_, lag);
  EXPECT_LT(after, before - 3) << "error energy before " << before << " dB, after " << after << " dB";
}

TEST_F(NoiseSuppressorSpeech, SpeechInAQuietRoomPassesAlmostUnchanged) {
  const auto quiet = to_pcm(mixed(60));
  const auto out = suppress(quiet, 800);
  const size_t lag = NoiseSuppressor::kDelay;
  std::vector<double> in(quiet.begin(), quiet.end());
  // What is taken away from the speech is at least 20 dB under it ...
  EXPECT_LT(energy_db(out, begin_ + lag, end_ + lag, &in, lag), energy_db(quiet, begin_, end_) - 20);
  // ... and the room (hiss 60 dB under the speech, about -70 dBFS) is quiet: callers hear it
  // untouched, as the wake word's model learned speech.
  NoiseSuppressor s;
  std::vector<int16_t> ignored;
  s.process(quiet.data(), quiet.size(), ignored);
  EXPECT_FALSE(s.noisy());
}

TEST_F(NoiseSuppressorSpeech, ChunksOfAnySizeGiveTheSameAudio) {
  const auto noisy = to_pcm(mixed(10));
  const auto whole = suppress(noisy, noisy.size());
  EXPECT_EQ(suppress(noisy, 1), whole);
  EXPECT_EQ(suppress(noisy, 333), whole);
  EXPECT_EQ(suppress(noisy, 800), whole);
}

TEST(NoiseSuppressor, SilenceStaysSilentAndAResetForgetsTheRoom) {
  NoiseSuppressor s;
  std::vector<int16_t> zeros(16000, 0), out;
  s.process(zeros.data(), zeros.size(), out);
  ASSERT_FALSE(out.empty());
  for (int16_t v : out) ASSERT_EQ(v, 0);
  // A loud room learned, then reset: the next room's first frames pass as they are learned, and
  // nothing of the old room is left in flight.
  const auto loud = to_pcm(white(32000, 3000, 9));
  out.clear();
  s.process(loud.data(), loud.size(), out);
  s.reset();
  out.clear();
  s.process(zeros.data(), zeros.size(), out);
  for (int16_t v : out) ASSERT_EQ(v, 0);
}

TEST_F(NoiseSuppressorSpeech, AFlushGivesBackTheEndOfTheStream) {
  // An odd length, so that the stream ends inside a frame: the output is the input, kDelay
  // samples later, to the last sample (a quiet room passes almost unchanged).
  auto quiet = to_pcm(mixed(60));
  quiet.resize(quiet.size() - 77);
  NoiseSuppressor s;
  std::vector<int16_t> out;
  s.process(quiet.data(), quiet.size(), out);
  s.flush(out);
  ASSERT_EQ(out.size(), quiet.size() + NoiseSuppressor::kDelay);
  for (size_t i = 0; i < NoiseSuppressor::kDelay; ++i) ASSERT_EQ(out[i], 0);
  // The speech's last word is all there: the last 0.3 s of speech within 1 dB.
  std::vector<double> in(quiet.begin(), quiet.end());
  const size_t from = end_ - 4800;
  EXPECT_NEAR(energy_db(out, from + NoiseSuppressor::kDelay, end_ + NoiseSuppressor::kDelay), energy_db(quiet, from, end_), 1.0);
  // ... and a flush leaves nothing behind for the next stream.
  out.clear();
  s.flush(out);
  EXPECT_TRUE(out.empty());
}

TEST(NoiseSuppressor, ALouderRoomIsLearnedWithinSeconds) {
  // Two seconds of quiet noise, then ten times louder for six seconds.
  auto x = white(16000 * 8, 100, 3);
  for (size_t i = 32000; i < x.size(); ++i) x[i] *= 10;
  const auto in = to_pcm(x);
  const auto out = suppress(in, 800);
  const size_t lag = NoiseSuppressor::kDelay;
  // The last two seconds are at least 12 dB under the input again.
  EXPECT_LT(energy_db(out, 16000 * 6 + lag, 16000 * 8), energy_db(in, 16000 * 6, 16000 * 8 - lag) - 12);
}

// audio/training/suppress.py must give the same samples: the wake word is trained on what it
// hears through this suppressor in a noisy room.
TEST_F(NoiseSuppressorSpeech, MatchesTheTrainingPipeline) {
  test::TempDir dir;
  const auto noisy = to_pcm(mixed(10));
  Pcm pcm;
  pcm.samples = noisy;
  std::ofstream(dir.file("in.wav"), std::ios::binary) << encode_wav(pcm);
  const std::string script = "import wave, numpy as np\n"
                             "from suppress import suppress\n"
                             "w = wave.open(sys.argv[1])\n"
                             "x = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)\n"
                             "out, noisy = suppress(x)\n"
                             "np.savetxt(sys.argv[2], out, fmt='%d')\n"
                             "print('noisy' if noisy else 'quiet')\n";
  auto r = test::run_training_python(script, dir.path(), {dir.file("in.wav"), dir.file("out.txt")});
  if (test::lacks_numpy(r)) GTEST_SKIP() << "python3-numpy is missing: " << r.text;
  ASSERT_EQ(r.exit_code, 0) << r.text;
  NoiseSuppressor cpp;
  std::vector<int16_t> want;
  cpp.process(noisy.data(), noisy.size(), want);
  EXPECT_NE(r.text.find(cpp.noisy() ? "noisy" : "quiet"), std::string::npos) << r.text;
  std::ifstream in(dir.file("out.txt"));
  size_t n = 0;
  long worst = 0;
  for (long v = 0; in >> v; ++n) {
    ASSERT_LT(n, want.size());
    worst = std::max(worst, std::labs(v - want[n]));
  }
  EXPECT_EQ(n, want.size());
  EXPECT_LE(worst, 1) << "largest difference in samples";  // rounding halves differ (lround, numpy)
}

}  // namespace
}  // namespace hearth::audio
