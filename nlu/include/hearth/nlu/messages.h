// hearth/nlu/messages.h — the words of hearth's replies, in the language the user chose.
//
// Every reply hearth gives (nlu's answers, clarification questions, timer announcements, and the
// device outcomes the app reports) is built from a message of this catalog, so the `language`
// preference changes all of them at once. Each message is a template with named placeholders
// ("Turning on {what}."); the grammar that differs between languages (articles before names,
// lists, plurals of device kinds, durations, dates) is here too.
//
// Understanding is English so far: the language changes what hearth says, not what it reads.
// Device, area and floor names are used as the home file spells them.
//
// Thread-safety: the catalogs are immutable; share them freely.
#pragma once

#include <chrono>
#include <ctime>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hearth::nlu {

enum class Msg {
  // Device actions; {what} names the devices (describe_targets), {n} a number.
  kTurnOn, kTurnOff, kLock, kUnlock, kOpen, kClose, kActivateScene, kRunScript, kToggle,
  kSetPercent, kBrighten, kDim, kSetColor, kSetColorTemp, kLightWhat,
  kSetTemperature, kWarmer, kCooler, kWhichTemperature, kChecking,
  kPauseMedia, kResumeMedia, kNextTrack, kPreviousTrack, kSetVolume, kVolumeUp, kVolumeDown, kPlay,
  kVacuumStart, kVacuumDock,
  // Timers; {timer} / {Timer}: a timer's label inside / at the start of a sentence.
  kTimerHowLong, kTimerTooLong, kTimerSet, kTimerCancelling, kTimerAdding, kTimerTakingOff, kTimerPausing,
  kTimerResuming, kTimerChecking, kTimersCancelling, kSomeTime, kNoTimers, kTimerCancelledOne,
  kTimersCancelledAll, kNoSuchTimer, kTimerLeft, kTimerLeftPaused, kWhichTimer, kTimerOfDuration,
  kTimerCancelled, kTimerAlreadyPaused, kTimerPaused, kTimerRunning, kTimerResumed, kByHowMuch, kTimerAdded,
  kTimerTookOff, kTimerDone, kTimerLabel, kTimerLabelNamed,
  // Clock, weather, lists.
  kTimeNow, kDateToday, kNoWeather, kOk, kListAdded, kListChecked, kShoppingList, kNamedList,
  // Chat.
  kGreeting, kThanks, kGoodbye, kHelp, kIdentity, kUnsupported,
  // The conversation.
  kWontDoIt, kNothingHeard, kTooLong, kUnreadable, kOtherLanguage, kAskCloud, kNotSure, kCloudOffline,
  kCloudMismatch, kConfirm, kYes, kNo,
  // The resolver and target descriptions.
  kWhichDevice, kUnknownPlace, kNotFound, kADevice, kWhich, kWhichOfManyAreas, kWhichOfManyNames, kInArea, kOnFloor, kNoArea, kAreaKinds, kCountKinds,
  kNothing, kDevices,
  // Device states and outcomes (the app's answers).
  kIs, kAre, kYesIs, kNoIs, kNoneIs, kItIs, kNoTemperature, kTemperatureBy, kTemperatureIn, kDegrees, kPercent,
  kStateAt, kStateSetTo, kCantReachDevices, kDeviceGone, kDidNotRespond, kJammed, kQueued, kExpired, kOffline,
  kSomethingWrong,
  kCount
};

class Messages {
 public:
  struct Table;  // one language's words and grammar (messages.cpp)

  // The catalog of a language code ("en", "de"); English for a code it does not know.
  static const Messages& for_language(std::string_view code);
  // The codes there are catalogs for, English first.
  static std::vector<std::string> languages();
  static bool has_language(std::string_view code);

  const std::string& code() const { return code_; }

  // The message with its placeholders filled in: say(Msg::kTurnOn, {{"what", "the lamp"}}).
  using Args = std::vector<std::pair<std::string_view, std::string>>;
  std::string say(Msg m, const Args& args = {}) const;
  // The raw template (tests check every language has every message with the same placeholders).
  const std::string& text(Msg m) const { return text_[static_cast<size_t>(m)]; }

  // A device or thing by its name as a reply mentions it: "the desk lamp" in English, the bare
  // name where the article depends on a gender hearth cannot know.
  std::string the(const std::string& name) const;
  // "a, b and c" / "a, b or c".
  std::string join_and(const std::vector<std::string>& items) const;
  std::string join_or(const std::vector<std::string>& items) const;
  // A kind of device (a Home Assistant domain) in the singular or plural: "light", "lights".
  std::string kind(const std::string& domain, bool plural) const;
  // "5 minutes and 30 seconds".
  std::string duration(std::chrono::milliseconds d) const;
  // A device state word as devices report it or questions ask it ("open", "on", "offline",
  // "detecting someone"), in this language; a word the catalog lacks is returned as it is.
  std::string state(const std::string& english) const;
  // A colour name of hearth/color_names.h in this language (the name itself where none is known).
  std::string color(const std::string& english) const;
  // The time or date of tm in a sentence: "It's 14:05." / "Today is Thursday, December 03.".
  std::string time_of_day(const std::tm& tm) const;
  std::string date(const std::tm& tm) const;

 private:
  explicit Messages(const Table& t);
  std::string code_;
  std::vector<std::string> text_;
  const Table* table_;
};

// The first letter of s in upper case (ASCII and the Latin-1 letters of German, French, Spanish).
std::string capitalized(std::string s);

}  // namespace hearth::nlu
