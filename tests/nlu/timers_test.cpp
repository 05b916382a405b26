// The timers hearth runs itself, on a clock the test moves.
#include <gtest/gtest.h>

#include "hearth/nlu/timers.h"

using namespace hearth::nlu;
using namespace std::chrono_literals;

namespace {
Intent I(const char* name, nlohmann::json slots = nlohmann::json::object()) { return Intent{name, std::move(slots), {}}; }
}  // namespace

TEST(Timers, StartRunOutAndAnnounce) {
  Timers timers;
  const auto t0 = Timers::Clock::now();
  EXPECT_EQ(*timers.handle(I("HassStartTimer", {{"minutes", 5}, {"seconds", 30}}), t0), "The timer is set for 5 minutes and 30 seconds.");
  EXPECT_EQ(*timers.handle(I("HassStartTimer", {{"name", "pasta"}, {"minutes", 12}}), t0), "The pasta timer is set for 12 minutes.");
  EXPECT_EQ(timers.next_due(), t0 + 330s);
  EXPECT_TRUE(timers.due(t0 + 329s).empty());
  EXPECT_EQ(timers.due(t0 + 331s), (std::vector<std::string>{"The timer is done."}));
  EXPECT_EQ(*timers.handle(I("HassTimerStatus"), t0 + 360s), "The pasta timer has 6 minutes left.");
  EXPECT_EQ(timers.due(t0 + 720s), (std::vector<std::string>{"The pasta timer is done."}));
  EXPECT_EQ(*timers.handle(I("HassTimerStatus"), t0 + 721s), "There are no timers.");
}

TEST(Timers, ChangesPausesAndCancels) {
  Timers timers;
  const auto t0 = Timers::Clock::now();
  timers.handle(I("HassStartTimer", {{"name", "laundry"}, {"minutes", 20}}), t0);
  EXPECT_EQ(*timers.handle(I("HassIncreaseTimer", {{"minutes", 5}}), t0 + 60s), "Added 5 minutes to the laundry timer. 24 minutes left.");
  EXPECT_EQ(*timers.handle(I("HassDecreaseTimer", {{"name", "laundry"}, {"minutes", 2}}), t0 + 60s),
            "Took 2 minutes off the laundry timer. 22 minutes left.");
  EXPECT_EQ(*timers.handle(I("HassPauseTimer"), t0 + 120s), "Paused the laundry timer.");
  EXPECT_TRUE(timers.due(t0 + 3600s).empty());  // paused timers do not run out
  EXPECT_EQ(*timers.handle(I("HassUnpauseTimer"), t0 + 3600s), "Resumed the laundry timer.");
  EXPECT_EQ(*timers.handle(I("HassTimerStatus"), t0 + 3600s), "The laundry timer has 21 minutes left.");
  timers.handle(I("HassStartTimer", {{"minutes", 10}}), t0 + 3600s);
  EXPECT_EQ(*timers.handle(I("HassPauseTimer"), t0 + 3601s), "Which timer: laundry or the 10 minutes one?");
  EXPECT_EQ(*timers.handle(I("HassCancelTimer", {{"minutes", 10}}), t0 + 3602s), "The timer is cancelled.");
  EXPECT_EQ(*timers.handle(I("HassCancelTimer", {{"name", "pizza"}}), t0 + 3602s), "There is no pizza timer.");
  EXPECT_EQ(*timers.handle(I("HassCancelAllTimers"), t0 + 3603s), "Cancelled the timer.");
  EXPECT_FALSE(timers.handle(I("HassTurnOn")).has_value());
  EXPECT_EQ(*timers.handle(I("HassStartTimer")), "How long should the timer run?");
}
