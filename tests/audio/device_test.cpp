// The real PortAudio path without a sound card: an ALSA configuration of the test's own (a
// ~/.asoundrc in a temporary HOME) whose default device is a `file` PCM. Recording reads the
// raw 16 kHz samples of `feed.raw`; playing writes to `played.raw`; the slave is ALSA's null
// device. The file PCM hands over the whole feed at once (not in real time) and repeats stale
// data past its end, so every feed ends in silence and tests stop reading at its end.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "hearth/audio/capture.h"
#include "hearth/audio/player.h"
#include "hearth/audio/speech_out.h"
#include "subprocess.h"
#include "temp_dir.h"

namespace hearth::audio {
namespace {

using namespace std::chrono_literals;

class AlsaFileDevice : public ::testing::Environment {
 public:
  void SetUp() override {
    std::ofstream(dir.file(".asoundrc")) << "pcm.!default {\n  type file\n  slave.pcm \"null\"\n  file \"" << dir.file("played.raw")
                                         << "\"\n  infile \"" << dir.file("feed.raw") << "\"\n  format \"raw\"\n}\n";
    ::setenv("HOME", dir.path().c_str(), 1);
  }
  test::TempDir dir;
};
AlsaFileDevice* g_device = static_cast<AlsaFileDevice*>(::testing::AddGlobalTestEnvironment(new AlsaFileDevice));

void feed(const std::vector<int16_t>& samples) {
  std::ofstream f(g_device->dir.file("feed.raw"), std::ios::binary);
  f.write(reinterpret_cast<const char*>(samples.data()), static_cast<std::streamsize>(samples.size() * 2));
}

TEST(AudioDevice, TheFileDeviceIsListed) {
  feed(std::vector<int16_t>(16000, 0));
  auto all = list_audio_devices();
  ASSERT_TRUE(all) << all.error().message;
  auto d = find_audio_device("", true);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_GT(d->input_channels, 0);
  auto missing = find_audio_device("no such microphone", true);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kDevice);
  EXPECT_NE(missing.error().message.find("no such microphone"), std::string::npos);
  auto cli = test::run_shell(std::string(HEARTH_BINARY) + " audio devices");
  EXPECT_EQ(cli.exit_code, 0) << cli.text;
  EXPECT_NE(cli.text.find("default"), std::string::npos) << cli.text;
}

TEST(AudioDevice, CaptureDeliversTheFeedIntact) {
  std::mt19937 rng(3);
  std::vector<int16_t> samples(3 * kSpeechRate);
  for (auto& s : samples) s = static_cast<int16_t>(static_cast<int>(rng() % 20000) - 10000);
  std::vector<int16_t> padded = samples;
  padded.insert(padded.end(), kSpeechRate, 0);
  feed(padded);
  auto capture = Capture::open();
  ASSERT_TRUE(capture) << capture.error().message;
  EXPECT_EQ((*capture)->device_rate(), kSpeechRate);
  std::vector<int16_t> got;
  for (int i = 0; i < 200 && got.size() < samples.size(); ++i) {
    auto r = (*capture)->read(got, samples.size() - got.size(), 100ms);
    ASSERT_TRUE(r) << r.error().message;
  }
  ASSERT_EQ(got.size(), samples.size());
  EXPECT_EQ(got, samples);
  EXPECT_EQ((*capture)->dropped(), 0u);
}

TEST(AudioDevice, PlayerPlaysTheChimeAndStopsOnRequest) {
  feed(std::vector<int16_t>(16000, 0));
  std::filesystem::remove(g_device->dir.file("played.raw"));
  {
    auto player = Player::open();
    ASSERT_TRUE(player) << player.error().message;
    const Pcm chime = listening_chime();
    ASSERT_TRUE((*player)->play(chime));
    EXPECT_TRUE((*player)->wait_idle(5s));
    // Barge-in: a long reply is dropped at once.
    auto reply = synthesize("The kitchen light is on, the garage door is closed and it is twenty degrees inside.", "flite:slt");
    ASSERT_TRUE(reply);
    ASSERT_TRUE((*player)->play(*reply));
    (*player)->stop();
    EXPECT_TRUE((*player)->wait_idle(1s));
  }
  std::ifstream played(g_device->dir.file("played.raw"), std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(played)), std::istreambuf_iterator<char>());
  std::vector<int16_t> out(bytes.size() / 2);
  std::memcpy(out.data(), bytes.data(), out.size() * 2);
  // The chime is in what the device received: its loudest sample is there.
  const Pcm chime = listening_chime();
  int16_t peak = 0, want = 0;
  for (auto s : out) peak = std::max<int16_t>(peak, static_cast<int16_t>(std::abs(s)));
  for (auto s : chime.samples) want = std::max<int16_t>(want, static_cast<int16_t>(std::abs(s)));
  EXPECT_GE(out.size(), chime.samples.size());
  EXPECT_NEAR(peak, want, 2);
}

// `hearth listen` from the microphone: the request is heard and understood (no broker: the
// reply says devices cannot be reached, which is not what is checked).
TEST(AudioDevice, ListenHearsTheMicrophone) {
  test::TempDir dir;
  std::ofstream(dir.file("home.yaml")) << "areas:\n  - {name: kitchen}\ndevices:\n"
                                          "  - {id: light.k, name: kitchen light, area: kitchen, domain: light}\n";
  auto speech = synthesize("turn on the kitchen light", "flite:slt");
  ASSERT_TRUE(speech);
  std::vector<int16_t> samples(kSpeechRate / 2, 0);
  samples.insert(samples.end(), speech->samples.begin(), speech->samples.end());
  samples.insert(samples.end(), 2 * kSpeechRate, 0);
  feed(samples);
  const std::string env = "env XDG_CONFIG_HOME=" + test::shell_quote(dir.file("c")) + " XDG_DATA_HOME=" + test::shell_quote(dir.file("d")) +
                          " XDG_STATE_HOME=" + test::shell_quote(dir.file("s")) + " ";
  auto out = test::run_shell(env + HEARTH_BINARY + " listen --json --devices " + test::shell_quote(dir.file("home.yaml")));
  ASSERT_EQ(out.exit_code, 0) << out.text;
  EXPECT_NE(out.text.find("\"text\":\"turn on the kitchen light\""), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("HassTurnOn"), std::string::npos) << out.text;
}

// `hearth speak --wav` and `hearth audio wake`: the shipped wake-word model finds the phrase in
// what hearth itself said, not in silence; a broken file is a usage error.
TEST(AudioDevice, SpeakAndWakeFromTheCommandLine) {
  if (!std::ifstream(std::string(HEARTH_SOURCE_DIR) + "/audio/model/hey-computer.hww")) GTEST_SKIP() << "no wake-word model";
  test::TempDir dir;
  const std::string env = "env XDG_CONFIG_HOME=" + test::shell_quote(dir.file("c")) + " XDG_DATA_HOME=" + test::shell_quote(dir.file("d")) +
                          " XDG_STATE_HOME=" + test::shell_quote(dir.file("s")) + " " + HEARTH_BINARY;
  const std::string said = dir.file("said.wav");
  ASSERT_EQ(test::run_shell(env + " speak 'hey computer, turn on the kitchen light' --voice flite:slt --wav " + test::shell_quote(said)).exit_code, 0);
  auto woke = test::run_shell(env + " audio wake --json --wav " + test::shell_quote(said));
  ASSERT_EQ(woke.exit_code, 0) << woke.text;
  EXPECT_NE(woke.text.find("\"wakes\":["), std::string::npos) << woke.text;
  EXPECT_EQ(woke.text.find("\"wakes\":[]"), std::string::npos) << woke.text;
  Pcm quiet;
  quiet.samples.assign(3 * kSpeechRate, 0);
  std::ofstream(dir.file("quiet.wav"), std::ios::binary) << encode_wav(quiet);
  auto none = test::run_shell(env + " audio wake --json --wav " + test::shell_quote(dir.file("quiet.wav")));
  EXPECT_NE(none.text.find("\"wakes\":[]"), std::string::npos) << none.text;
  std::ofstream(dir.file("broken.wav")) << "RIFF";
  EXPECT_EQ(test::run_shell(env + " audio wake --wav " + test::shell_quote(dir.file("broken.wav"))).exit_code, 2);
  auto missing = test::run_shell(env + " audio wake --wav " + test::shell_quote(said) + " --model " + test::shell_quote(dir.file("none.hww")));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.text.find("none.hww"), std::string::npos) << missing.text;
}

}  // namespace
}  // namespace hearth::audio
