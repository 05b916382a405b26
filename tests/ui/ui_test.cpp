// The window as people use it, on a real X server (Xvfb, started here when no display is set),
// with a real broker, the simulated home, the hub and the shipped model: type a request and see
// the tile change, press a tile and see the MQTT command, change a preference and see it stored.
// Screenshots of the desktop and kiosk views are written to HEARTH_SCREENSHOT_DIR.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTest>
#include <QTextEdit>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>

#include "mqtt_listener.h"
#include "assistant.h"
#include "hearth/audio/speech_out.h"
#include "hearth/audio/voice_pipeline.h"
#include "hearth/devices/local_broker.h"
#include "hearth/devices/simulator.h"
#include "hearth/storage/preferences.h"
#include "hearth/ui/main_window.h"
#include "temp_dir.h"
#include "xvfb.h"

namespace hearth {
namespace {


class Window : public ::testing::Test {
 protected:
  void SetUp() override {
    auto b = devices::LocalBroker::start({});
    ASSERT_TRUE(b) << b.error().message;
    broker_ = std::move(b).value();
    devices::SimOptions so;
    so.mqtt.port = broker_->port();
    so.time_scale = 4;
    sim_ = std::move(devices::Simulator::start(so)).value();
    ASSERT_TRUE(sim_->wait_connected(5000));
    storage::DatabaseOptions dbo;
    dbo.path = dir_.file("hearth.db");
    db_ = std::move(storage::Database::open(dbo)).value();
    outbox_ = std::make_unique<storage::Outbox>(*db_);
    devices::HubOptions ho;
    ho.mqtt.port = broker_->port();
    hub_ = std::move(devices::DeviceHub::start(ho, *outbox_)).value();
    ASSERT_TRUE(hub_->wait_connected(5000));
    hub_->wait_for_discovery(500, 5000);
    ASSERT_GE(hub_->registry().size(), 20u);
    app::Config config;
    auto layout = nlu::Home::parse(devices::Simulator::layout_yaml());
    auto a = app::Assistant::start(config, *db_, hub_.get(), layout.value(), events_, metrics_);
    ASSERT_TRUE(a) << a.error();
    assistant_ = std::move(a).value();
    services_.say = [this](const std::string& text) {
      app::SayResult r = assistant_->say({text, "", "gui"}).get();
      return ui::UiAnswer{r.reply, r.turn.choices, r.turn.left_device};
    };
    services_.hub = hub_.get();
    services_.db = db_.get();
  }
  void TearDown() override {
    assistant_.reset();
    hub_.reset();
    sim_.reset();
  }
  static QLabel* state_of(QWidget* tile) { return tile ? tile->findChild<QLabel*>("state") : nullptr; }

  test::TempDir dir_;
  std::unique_ptr<devices::LocalBroker> broker_;
  std::unique_ptr<devices::Simulator> sim_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::Outbox> outbox_;
  std::unique_ptr<devices::DeviceHub> hub_;
  app::EventBus events_;
  app::Metrics metrics_;
  std::unique_ptr<app::Assistant> assistant_;
  ui::UiServices services_;
};

TEST_F(Window, TypedRequestChangesTheTile) {
  ui::MainWindow w(services_, false);
  w.resize(1280, 800);
  w.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
  QWidget* lamp = w.tile("light.bedroom_bedside_lamp");
  ASSERT_TRUE(lamp);
  EXPECT_TRUE(state_of(lamp)->text().startsWith("off")) << state_of(lamp)->text().toStdString();
  QTest::keyClicks(w.conversation_input(), "turn on the bedside lamp");
  QTest::keyClick(w.conversation_input(), Qt::Key_Return);
  EXPECT_TRUE(QTest::qWaitFor([&] { return state_of(lamp)->text().startsWith("on"); }, 10000))
      << state_of(lamp)->text().toStdString();
  EXPECT_TRUE(QTest::qWaitFor([&] { return w.transcript()->toPlainText().contains("Turning on the bedside lamp."); }, 5000))
      << w.transcript()->toPlainText().toStdString();
}

// A sensitive request asks first; the answer is a tap on the offered button.
TEST_F(Window, ConfirmationIsAnsweredByTapping) {
  ui::MainWindow w(services_, false);
  w.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
  QWidget* lock = w.tile("lock.front_door");
  ASSERT_TRUE(lock);
  EXPECT_TRUE(state_of(lock)->text().startsWith("locked"));
  QTest::keyClicks(w.conversation_input(), "unlock the front door");
  QTest::keyClick(w.conversation_input(), Qt::Key_Return);
  QPushButton* yes = nullptr;
  ASSERT_TRUE(QTest::qWaitFor([&] {
    for (auto* b : w.choices()->findChildren<QPushButton*>())
      if (b->text() == "Yes") yes = b;
    return yes != nullptr;
  }, 5000)) << w.transcript()->toPlainText().toStdString();
  EXPECT_TRUE(w.transcript()->toPlainText().contains("Should I go ahead with unlocking the front door?"));
  EXPECT_TRUE(state_of(lock)->text().startsWith("locked"));  // nothing happened yet
  QTest::mouseClick(yes, Qt::LeftButton);
  EXPECT_TRUE(QTest::qWaitFor([&] { return state_of(lock)->text().startsWith("unlocked"); }, 10000))
      << state_of(lock)->text().toStdString() << "\n" << w.transcript()->toPlainText().toStdString();
  EXPECT_TRUE(QTest::qWaitFor([&] { return w.choices()->findChildren<QPushButton*>().isEmpty(); }, 2000));
}

TEST_F(Window, PressingATileSendsTheCommand) {
  std::string why;
  auto listener = hearth::test::MqttListener::start("127.0.0.1", broker_->port(), "ui-test-listener", "sim/tv_plug/set", &why);
  ASSERT_TRUE(listener) << why;
  QTest::qWait(200);

  ui::MainWindow w(services_, false);
  w.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
  QWidget* plug = w.tile("switch.tv_plug");
  ASSERT_TRUE(plug);
  auto* button = plug->findChild<QPushButton*>("toggle");
  ASSERT_TRUE(button);
  EXPECT_EQ(button->text(), "Turn on");
  QTest::mouseClick(button, Qt::LeftButton);
  EXPECT_TRUE(QTest::qWaitFor([&] {
    for (const auto& m : listener->messages())
      if (m.topic == "sim/tv_plug/set" && m.payload == "ON") return true;
    return false;
  }, 5000));
  EXPECT_TRUE(QTest::qWaitFor([&] { return state_of(plug)->text().startsWith("on") && button->text() == "Turn off"; }, 5000));
}

TEST_F(Window, ChangedPreferenceIsStored) {
  ui::MainWindow w(services_, false);
  w.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
  w.pages()->setCurrentWidget(w.settings_page());
  auto* unit = w.settings_page()->findChild<QComboBox*>("temperature_unit");
  ASSERT_TRUE(unit);
  ASSERT_TRUE(QTest::qWaitFor([&] { return unit->currentText() == "C"; }, 5000));  // loaded off the GUI thread
  unit->setCurrentText("F");
  auto* save = w.settings_page()->findChild<QPushButton*>("save");
  QString message;
  QObject::connect(&w, &ui::MainWindow::preferences_saved, [&](const QString& m) { message = m; });
  QTest::mouseClick(save, Qt::LeftButton);
  ASSERT_TRUE(QTest::qWaitFor([&] { return !message.isEmpty(); }, 5000));
  EXPECT_EQ(message.toStdString(), "Saved.");
  EXPECT_EQ(storage::Preferences(*db_).get_string("temperature_unit"), "F");

  // A refused value is reported and nothing is stored.
  auto* days = w.settings_page()->findChild<QLineEdit*>("history_retention_days");
  ASSERT_TRUE(days);
  days->setText("forever");
  message.clear();
  QTest::mouseClick(save, Qt::LeftButton);
  ASSERT_TRUE(QTest::qWaitFor([&] { return !message.isEmpty(); }, 5000));
  EXPECT_NE(message.toStdString().find("history_retention_days"), std::string::npos) << message.toStdString();
  EXPECT_EQ(storage::Preferences(*db_).get_int("history_retention_days"), 30);
}

// Push to talk in the window: the real voice pipeline over a recording played in real time (no
// microphone here), its stages shown as they come, the request carried out and the reply shown.
TEST_F(Window, TalkButtonHearsARequestAndShowsEachStage) {
  auto rec = audio::Recognizer::create();
  ASSERT_TRUE(rec) << rec.error().message;
  std::unique_ptr<ui::MainWindow> window;
  std::atomic<double> loudest{-100};
  audio::VoicePipeline pipeline(std::move(*rec), audio::VoicePipelineOptions{}, [&](const audio::VoiceEvent& e) {
    if (e.stage == audio::VoiceStage::kLevel) loudest = std::max(loudest.load(), e.level_db);
    window->show_voice_event(e);
    if (e.stage == audio::VoiceStage::kFinal) {
      app::SayResult r = assistant_->say({e.text, "", "voice", true}).get();
      window->show_voice_turn(e.text, ui::UiAnswer{r.reply, r.turn.choices, r.turn.left_device});
    }
  });
  audio::Vocabulary v;
  v.device_names = {"bedside lamp", "desk plug", "bedroom blinds"};
  v.area_names = {"bedroom", "kitchen"};
  pipeline.set_vocabulary(v);
  services_.push_to_talk = [&] { pipeline.push_to_talk(); };
  window = std::make_unique<ui::MainWindow>(services_, true);
  auto& w = *window;
  w.resize(800, 480);
  w.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
  auto* talk = w.voice_bar()->findChild<QPushButton*>("talk");
  auto* indicator = w.voice_bar()->findChild<QLabel*>("wake_indicator");
  auto* partial = w.voice_bar()->findChild<QLabel*>("partial");
  ASSERT_TRUE(talk && indicator && partial);
  EXPECT_TRUE(talk->isEnabled());
  EXPECT_TRUE(indicator->text().contains("hey computer"));

  auto speech = audio::synthesize("turn on the bedside lamp", "flite:slt");
  ASSERT_TRUE(speech);
  std::vector<int16_t> samples(audio::kSpeechRate, 0);
  samples.insert(samples.end(), speech->samples.begin(), speech->samples.end());
  samples.insert(samples.end(), 3 * audio::kSpeechRate, 0);
  audio::RecordingSource source(samples, true);
  std::thread voice([&] { (void)pipeline.run(source); });
  w.dim_screen();
  EXPECT_TRUE(w.dimmed());
  QTest::qWait(300);
  QTest::mouseClick(talk, Qt::LeftButton);  // wakes the screen (the click does nothing else)...
  EXPECT_FALSE(w.dimmed());
  QTest::mouseClick(talk, Qt::LeftButton);  // ...and this one talks
  EXPECT_TRUE(QTest::qWaitFor([&] { return indicator->property("listening").toBool(); }, 3000));
  EXPECT_TRUE(QTest::qWaitFor([&] { return w.transcript()->toPlainText().contains("You (voice): turn on the bedside lamp"); }, 15000))
      << w.transcript()->toPlainText().toStdString() << " / " << partial->text().toStdString();
  EXPECT_TRUE(QTest::qWaitFor([&] { return state_of(w.tile("light.bedroom_bedside_lamp"))->text().startsWith("on"); }, 10000));
  EXPECT_FALSE(indicator->property("listening").toBool());
  EXPECT_TRUE(partial->text().contains("turn on the bedside lamp"));
  EXPECT_GT(loudest.load(), -40.0);
  pipeline.stop();
  voice.join();

  // Spoken replies off, from the voice bar: stored as the preference.
  auto* speak = w.voice_bar()->findChild<QCheckBox*>("speak_replies");
  ASSERT_TRUE(speak);
  ASSERT_TRUE(QTest::qWaitFor([&] { return speak->isChecked(); }, 3000));
  QString saved;
  QObject::connect(&w, &ui::MainWindow::preferences_saved, [&](const QString& m) { saved = m; });
  speak->click();
  ASSERT_TRUE(QTest::qWaitFor([&] { return !saved.isEmpty(); }, 5000));
  EXPECT_FALSE(storage::Preferences(*db_).get_bool("speech_replies"));

  // The wake word wakes a dimmed kiosk screen.
  w.dim_screen();
  audio::VoiceEvent wake;
  wake.stage = audio::VoiceStage::kWake;
  w.show_voice_event(wake);
  EXPECT_TRUE(QTest::qWaitFor([&] { return !w.dimmed(); }, 2000));
  window.reset();
}

// A reply that came from the cloud model is marked in the transcript. The cloud path itself is
// tested against a loopback server in tests/nlu; here `say` is a stand-in that reports it.
TEST_F(Window, CloudAnswersAreMarked) {
  services_.say = [](const std::string&) { return ui::UiAnswer{"It will rain tomorrow.", {}, true}; };
  ui::MainWindow w(services_, false);
  w.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
  QTest::keyClicks(w.conversation_input(), "will it rain tomorrow");
  QTest::keyClick(w.conversation_input(), Qt::Key_Return);
  EXPECT_TRUE(QTest::qWaitFor([&] { return w.transcript()->toPlainText().contains("[answered with the cloud model]"); }, 5000))
      << w.transcript()->toPlainText().toStdString();
}

TEST_F(Window, ScreenshotsOfDesktopAndKiosk) {
  const std::string out = HEARTH_SCREENSHOT_DIR;
  std::filesystem::create_directories(out);
  services_.push_to_talk = [] {};  // voice available (the button is shown enabled)
  {
    ui::MainWindow w(services_, false);
    w.resize(1280, 800);
    w.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
    auto* areas = w.findChild<QTabWidget*>("areas");
    ASSERT_TRUE(areas);
    for (int i = 0; i < areas->count(); ++i)
      if (areas->tabText(i) == "living room") areas->setCurrentIndex(i);
    QTest::keyClicks(w.conversation_input(), "open the bedroom blinds");
    audio::VoiceEvent level;
    level.stage = audio::VoiceStage::kLevel;
    level.level_db = -22;
    w.show_voice_event(level);
    QTest::keyClick(w.conversation_input(), Qt::Key_Return);
    EXPECT_TRUE(QTest::qWaitFor([&] { return w.transcript()->toPlainText().contains("hearth:"); }, 5000));
    QTest::qWait(300);
    EXPECT_TRUE(w.grab().save(QString::fromStdString(out + "/desktop.png")));
  }
  {
    ui::MainWindow w(services_, true);
    w.resize(800, 480);
    w.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
    auto* areas = w.findChild<QTabWidget*>("areas");
    ASSERT_TRUE(areas);
    for (int i = 0; i < areas->count(); ++i)
      if (areas->tabText(i) == "bedroom") areas->setCurrentIndex(i);
    QTest::qWait(300);
    EXPECT_TRUE(w.grab().save(QString::fromStdString(out + "/kiosk.png")));
  }
  EXPECT_GT(std::filesystem::file_size(out + "/desktop.png"), 10000u);
  EXPECT_GT(std::filesystem::file_size(out + "/kiosk.png"), 5000u);
}

}  // namespace
}  // namespace hearth

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  // Test discovery (--gtest_list_tests) needs no display.
  if (::testing::GTEST_FLAG(list_tests)) return RUN_ALL_TESTS();
  return [&] {
    // The X server must be up before QApplication connects to it.
    hearth::XvfbEnvironment xvfb;
    xvfb.SetUp();
    int qt_argc = 1;
    char name[] = "test_ui";
    char* qt_argv[] = {name, nullptr};
    QApplication app(qt_argc, qt_argv);
    const int rc = RUN_ALL_TESTS();
    xvfb.TearDown();
    return rc;
  }();
}
