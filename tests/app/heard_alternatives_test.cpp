// A heard request with the recognizer's alternatives, answered by the hub's assistant against the
// simulated home on a real broker: the sentence that makes sense in the home as it is now wins.
#include <gtest/gtest.h>

#include <chrono>

#include "assistant.h"
#include "device_link.h"
#include "eventually.h"
#include "hearth/devices/hub.h"
#include "hearth/devices/local_broker.h"
#include "hearth/devices/simulator.h"
#include "hearth/storage/outbox.h"
#include "temp_dir.h"

namespace hearth::test {
namespace {

using namespace std::chrono_literals;

TEST(HeardAlternatives, TheSentenceThatChangesSomethingIsCarriedOut) {
  TempDir dir;
  auto broker = devices::LocalBroker::start({});
  ASSERT_TRUE(broker) << broker.error().message;
  devices::SimOptions so;
  so.mqtt.port = (*broker)->port();
  auto sim = devices::Simulator::start(so);
  ASSERT_TRUE(sim) << sim.error().message;
  auto db = storage::Database::open({dir.file("hearth.db")});
  ASSERT_TRUE(db) << db.error().message;
  storage::Outbox outbox(**db);
  devices::HubOptions ho;
  ho.mqtt.port = (*broker)->port();
  auto hub = devices::DeviceHub::start(ho, outbox);
  ASSERT_TRUE(hub) << hub.error().message;
  (*hub)->wait_connected(5000);
  (*hub)->wait_for_discovery(500, 5000);
  auto layout = nlu::Home::parse(devices::Simulator::layout_yaml());
  ASSERT_TRUE(layout) << layout.error().message;
  app::Config config;
  app::EventBus events;
  app::Metrics metrics;
  auto assistant = app::Assistant::start(config, **db, hub->get(), *layout, events, metrics);
  ASSERT_TRUE(assistant) << assistant.error();
  const std::string lamp = "light.bedroom_bedside_lamp";
  auto state = [&] {
    auto d = (*hub)->registry().find(lamp);
    return d && d->state.contains("state") ? d->state["state"].get<std::string>() : std::string();
  };
  auto typed = (*assistant)->say({"turn on the bedside lamp", "", "test"}).get();
  ASSERT_TRUE(typed.ok);
  ASSERT_TRUE(eventually([&] { return state() == "on"; }, 10s)) << typed.reply;

  // Heard best as "turn on the bedside lamp" (already on), "turn off ..." fitting almost as well.
  app::SayRequest heard{"turn on the bedside lamp", "", "test", true,
                        {{"turn on the bedside lamp", 0}, {"turn off the bedside lamp", 0.7}}};
  auto r = (*assistant)->say(heard).get();
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.reply, "Turning off the bedside lamp.");
  EXPECT_TRUE(eventually([&] { return state() == "off"; }, 10s)) << r.reply;

  // With the lamp off, the best makes sense and is carried out as heard.
  auto again = (*assistant)->say(heard).get();
  EXPECT_EQ(again.reply, "Turning on the bedside lamp.");
  EXPECT_TRUE(eventually([&] { return state() == "on"; }, 10s)) << again.reply;
}

}  // namespace
}  // namespace hearth::test
