// The reply catalog: every language says every message, with the placeholders the code fills,
// and the replies of the resolver, timers and the reply builder come out in the chosen language.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "hearth/color_names.h"
#include "hearth/nlu/conversation.h"
#include "hearth/nlu/messages.h"
#include "hearth/nlu/resolver.h"
#include "hearth/nlu/timers.h"

using namespace hearth::nlu;
using namespace std::chrono_literals;

namespace {

std::set<std::string> placeholders(const std::string& text) {
  std::set<std::string> out;
  static const std::regex re("\\{([A-Za-z]+)\\}");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it) {
    std::string key = (*it)[1];
    key[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(key[0])));
    out.insert(key);
  }
  return out;
}

Home test_home() {
  auto home = Home::parse(R"(
areas:
  - name: Küche
  - name: Büro
devices:
  - {id: light.k1, name: Deckenlicht, area: Küche, domain: light}
  - {id: light.k2, name: Spüle, area: Küche, domain: light}
  - {id: light.b1, name: Schreibtischlampe, area: Büro, domain: light}
  - {id: light.k3, name: Schreibtischlampe, area: Küche, domain: light}
)");
  EXPECT_TRUE(home) << home.error().message;
  return std::move(home).value();
}

}  // namespace

TEST(Messages, EveryLanguageHasEveryMessageWithTheEnglishPlaceholders) {
  const Messages& en = Messages::for_language("en");
  ASSERT_GE(Messages::languages().size(), 2u);
  EXPECT_EQ(Messages::languages()[0], "en");
  for (const std::string& code : Messages::languages()) {
    const Messages& m = Messages::for_language(code);
    ASSERT_EQ(m.code(), code);
    for (int i = 0; i < static_cast<int>(Msg::kCount); ++i) {
      const Msg msg = static_cast<Msg>(i);
      ASSERT_FALSE(en.text(msg).empty()) << "English lacks message " << i;
      ASSERT_FALSE(m.text(msg).empty()) << code << " lacks message " << i;
      // A translation may leave a placeholder out, but never asks for one the code does not fill.
      for (const std::string& p : placeholders(m.text(msg)))
        EXPECT_TRUE(placeholders(en.text(msg)).count(p)) << code << " message " << i << " uses {" << p << "}";
    }
  }
  EXPECT_EQ(&Messages::for_language("xx"), &en);  // unknown codes reply in English
  EXPECT_FALSE(Messages::has_language("xx"));
  EXPECT_TRUE(Messages::has_language("de"));
}

TEST(Messages, FillsPlaceholdersAndGrammar) {
  const Messages& en = Messages::for_language("en");
  const Messages& de = Messages::for_language("de");
  EXPECT_EQ(en.say(Msg::kTurnOn, {{"what", en.the("lamp")}}), "Turning on the lamp.");
  EXPECT_EQ(de.say(Msg::kTurnOn, {{"what", de.the("Lampe")}}), "Schalte Lampe ein.");
  EXPECT_EQ(en.say(Msg::kTimerDone, {{"timer", "the pasta timer"}}), "The pasta timer is done.");
  EXPECT_EQ(en.say(Msg::kTurnOn), "Turning on {what}.");  // a placeholder with no value stays visible
  EXPECT_EQ(de.duration(90min + 1s), "1 Stunde, 30 Minuten und 1 Sekunde");
  EXPECT_EQ(en.duration(2min), "2 minutes");
  EXPECT_EQ(de.join_or({"a", "b", "c"}), "a, b oder c");
  EXPECT_EQ(de.kind("light", true), "Lichter");
  EXPECT_EQ(de.state("open"), "offen");
  EXPECT_EQ(de.state("humming"), "humming");
  EXPECT_EQ(capitalized("übrig"), "Übrig");
  std::tm tm{};
  tm.tm_hour = 7;
  tm.tm_min = 5;
  tm.tm_mday = 3;
  tm.tm_mon = 11;
  tm.tm_wday = 4;
  EXPECT_EQ(de.time_of_day(tm), "Es ist 07:05 Uhr.");
  EXPECT_EQ(de.date(tm), "Heute ist Donnerstag, der 3. Dezember.");
  EXPECT_EQ(en.date(tm), "Today is Thursday, December 3.");
}

TEST(Messages, ResolverAndRepliesSpeakTheLanguage) {
  const Home home = test_home();
  const Messages& de = Messages::for_language("de");
  Intent all_kitchen{"HassTurnOn", {{"area", "Küche"}, {"domain", "light"}}, {}};
  const Resolution r = resolve(all_kitchen, home, "", de);
  ASSERT_EQ(r.kind, Resolution::Kind::kResolved);
  all_kitchen.targets = r.targets;
  EXPECT_EQ(reply_for({all_kitchen}, home, de), "Schalte Lichter im Bereich Küche ein.");
  EXPECT_EQ(reply_for({all_kitchen}, home), "Turning on the Küche lights.");

  const Resolution which = resolve(Intent{"HassTurnOff", {{"name", "Schreibtischlampe"}}, {}}, home, "", de);
  ASSERT_EQ(which.kind, Resolution::Kind::kAmbiguous);
  EXPECT_EQ(which.question, "Was meinst du: Schreibtischlampe im Bereich Büro oder Schreibtischlampe im Bereich Küche?");
  const Resolution none = resolve(Intent{"HassTurnOn", {{"area", "Keller"}}, {}}, home, "", de);
  EXPECT_EQ(none.question, "Ich kenne Keller nicht.");
  EXPECT_EQ(chat_reply("thanks", de), "Gern geschehen.");
  Intent red{"HassLightSet", {{"name", "Spüle"}, {"color", "red"}}, {"light.k2"}};
  EXPECT_EQ(reply_for({red}, home, de), "Färbe Spüle rot.");
  EXPECT_EQ(reply_for({red}, home), "Turning the Spüle red.");
  // Every colour a light can be set to has its German word (some are the same word: orange, gold);
  // the two-word English names are never left as they are.
  for (const auto& c : hearth::color_names()) {
    const std::string name(c.name);
    if (name.find(' ') != std::string::npos) {
      EXPECT_NE(de.color(name), name);
    }
  }
  EXPECT_EQ(de.color("warm white"), "warmweiß");
  EXPECT_EQ(de.color("orange"), "orange");
}

// Timer names are kept as said, folded to lower case (as the English replies show them).
TEST(Messages, TimersSpeakTheLanguageTheyAreSetTo) {
  Timers timers;
  timers.set_language("de");
  const auto t0 = Timers::Clock::now();
  EXPECT_EQ(*timers.handle(Intent{"HassStartTimer", {{"name", "Nudeln"}, {"minutes", 8}}, {}}, t0),
            "Der Timer nudeln läuft 8 Minuten.");
  EXPECT_EQ(*timers.handle(Intent{"HassTimerStatus", nlohmann::json::object(), {}}, t0 + 60s), "Der Timer nudeln läuft noch 7 Minuten.");
  EXPECT_EQ(timers.due(t0 + 481s), (std::vector<std::string>{"Der Timer nudeln ist abgelaufen."}));
  timers.set_language("en");
  EXPECT_EQ(*timers.handle(Intent{"HassTimerStatus", nlohmann::json::object(), {}}, t0 + 500s), "There are no timers.");
}
