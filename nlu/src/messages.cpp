#include "hearth/nlu/messages.h"

#include <array>
#include <cstdio>

namespace hearth::nlu {

// One language: its messages and the grammar the replies need.
struct Messages::Table {
  const char* code;
  std::vector<std::pair<Msg, const char*>> messages;
  bool article_the;                      // English: "the " before a name
  const char *and_word, *or_word;
  // Device kinds: domain -> {singular, plural}; "device" for several kinds.
  std::vector<std::pair<const char*, std::pair<const char*, const char*>>> kinds;
  std::array<const char*, 6> units;      // hour, hours, minute, minutes, second, seconds
  std::array<const char*, 7> weekdays;   // Sunday first, as tm_wday
  std::array<const char*, 12> months;
  std::vector<std::pair<const char*, const char*>> states;  // English -> this language
  std::vector<std::pair<const char*, const char*>> colors;  // hearth/color_names.h -> this language
};

namespace {

// Built on first use (function-local statics): no order-of-initialization questions.
// clang-format off
const Messages::Table& english() {
  static const Messages::Table t{
    "en",
    {
        {Msg::kTurnOn, "Turning on {what}."},
        {Msg::kTurnOff, "Turning off {what}."},
        {Msg::kLock, "Locking {what}."},
        {Msg::kUnlock, "Unlocking {what}."},
        {Msg::kOpen, "Opening {what}."},
        {Msg::kClose, "Closing {what}."},
        {Msg::kActivateScene, "Activating {what}."},
        {Msg::kRunScript, "Running {what}."},
        {Msg::kToggle, "Toggling {what}."},
        {Msg::kSetPercent, "Setting {what} to {n}%."},
        {Msg::kBrighten, "Brightening {what}."},
        {Msg::kDim, "Dimming {what}."},
        {Msg::kSetColor, "Turning {what} {color}."},
        {Msg::kSetColorTemp, "Setting {what} to {n} K."},
        {Msg::kLightWhat, "What should I change on {what}?"},
        {Msg::kSetTemperature, "Setting {what} to {n} degrees."},
        {Msg::kWarmer, "Making it warmer."},
        {Msg::kCooler, "Making it cooler."},
        {Msg::kWhichTemperature, "What temperature would you like?"},
        {Msg::kChecking, "Checking {what}."},
        {Msg::kPauseMedia, "Pausing {what}."},
        {Msg::kResumeMedia, "Resuming {what}."},
        {Msg::kNextTrack, "Skipping to the next track on {what}."},
        {Msg::kPreviousTrack, "Going back a track on {what}."},
        {Msg::kSetVolume, "Setting the volume of {what} to {n}%."},
        {Msg::kVolumeUp, "Turning {what} up."},
        {Msg::kVolumeDown, "Turning {what} down."},
        {Msg::kPlay, "Playing {query} on {what}."},
        {Msg::kVacuumStart, "Starting {what}."},
        {Msg::kVacuumDock, "Sending {what} back to its dock."},
        {Msg::kTimerHowLong, "How long should the timer run?"},
        {Msg::kTimerTooLong, "Timers can run for at most a day."},
        {Msg::kTimerSet, "{Timer} is set for {duration}."},
        {Msg::kTimerCancelling, "Cancelling {timer}."},
        {Msg::kTimerAdding, "Adding {duration} to {timer}."},
        {Msg::kTimerTakingOff, "Taking {duration} off {timer}."},
        {Msg::kTimerPausing, "Pausing {timer}."},
        {Msg::kTimerResuming, "Resuming {timer}."},
        {Msg::kTimerChecking, "Checking {timer}."},
        {Msg::kTimersCancelling, "Cancelling all timers."},
        {Msg::kSomeTime, "time"},
        {Msg::kNoTimers, "There are no timers."},
        {Msg::kTimerCancelledOne, "Cancelled the timer."},
        {Msg::kTimersCancelledAll, "Cancelled all {count} timers."},
        {Msg::kNoSuchTimer, "There is no {name} timer."},
        {Msg::kTimerLeft, "{Timer} has {duration} left."},
        {Msg::kTimerLeftPaused, "{Timer} has {duration} left, paused."},
        {Msg::kWhichTimer, "Which timer: {options}?"},
        {Msg::kTimerOfDuration, "the {duration} one"},
        {Msg::kTimerCancelled, "{Timer} is cancelled."},
        {Msg::kTimerAlreadyPaused, "{Timer} is already paused."},
        {Msg::kTimerPaused, "Paused {timer}."},
        {Msg::kTimerRunning, "{Timer} is running."},
        {Msg::kTimerResumed, "Resumed {timer}."},
        {Msg::kByHowMuch, "By how much?"},
        {Msg::kTimerAdded, "Added {duration} to {timer}. {left} left."},
        {Msg::kTimerTookOff, "Took {duration} off {timer}. {left} left."},
        {Msg::kTimerDone, "{Timer} is done."},
        {Msg::kTimerLabel, "the timer"},
        {Msg::kTimerLabelNamed, "the {name} timer"},
        {Msg::kTimeNow, "It's {time}."},
        {Msg::kDateToday, "Today is {weekday}, {month} {day}."},
        {Msg::kNoWeather, "I have no weather source yet."},
        {Msg::kOk, "OK."},
        {Msg::kListAdded, "Added {item} to your {list}."},
        {Msg::kListChecked, "Checked {item} off your {list}."},
        {Msg::kShoppingList, "shopping list"},
        {Msg::kNamedList, "{name} list"},
        {Msg::kGreeting, "Hello! What can I do for you?"},
        {Msg::kThanks, "You're welcome."},
        {Msg::kGoodbye, "Goodbye!"},
        {Msg::kHelp, "I can switch and dim lights, run covers, locks, climate and media, set timers and keep your shopping "
                     "list. Try \"turn on the kitchen lights\"."},
        {Msg::kIdentity, "I'm hearth, the assistant of this home. I run here, without the cloud."},
        {Msg::kUnsupported, "Sorry, I can only help with your home."},
        {Msg::kWontDoIt, "OK, I won't."},
        {Msg::kNothingHeard, "I didn't catch anything. What would you like?"},
        {Msg::kTooLong, "That's too long for me. Please say it in fewer words."},
        {Msg::kUnreadable, "Sorry, I couldn't read that."},
        {Msg::kOtherLanguage, "Sorry, I only understand English so far."},
        {Msg::kAskCloud, "I'm not sure what you meant. Shall I ask the cloud model? Your words would leave this hub."},
        {Msg::kNotSure, "Sorry, I'm not sure what you meant. Could you say it another way?"},
        {Msg::kCloudOffline, "I couldn't reach the cloud model, and I'm not sure what you meant. Could you say it another way?"},
        {Msg::kCloudMismatch, "The cloud model's answer didn't fit this home, so I did nothing. Could you say it another way?"},
        {Msg::kConfirm, "Should I go ahead with {action}?"},
        {Msg::kYes, "yes"},
        {Msg::kNo, "no"},
        {Msg::kWhichDevice, "Which device do you mean?"},
        {Msg::kUnknownPlace, "I don't know {place}."},
        {Msg::kNotFound, "I couldn't find {what}{where}."},
        {Msg::kADevice, "a device"},
        {Msg::kWhich, "Which {kind}: {options}?"},
        {Msg::kWhichOfManyAreas, "Which {kind}? There are {kinds} in {count} places; please say which one."},
        {Msg::kWhichOfManyNames, "Which {kind}? There are {count}; please say the room or the whole name."},
        {Msg::kInArea, " in the {area}"},
        {Msg::kOnFloor, " on the {floor}"},
        {Msg::kNoArea, "the ones with no area"},
        {Msg::kAreaKinds, "the {area} {kinds}"},
        {Msg::kCountKinds, "{count} {kinds}"},
        {Msg::kNothing, "nothing"},
        {Msg::kDevices, "devices"},
        {Msg::kIs, "{name} is {state}"},
        {Msg::kAre, "{names} are {state}"},
        {Msg::kYesIs, "Yes, {name} is {state}."},
        {Msg::kNoIs, "No, {name} is {state}."},
        {Msg::kNoneIs, "None of them is {state}."},
        {Msg::kItIs, "It's {what}."},
        {Msg::kNoTemperature, "I don't have a temperature reading for that."},
        {Msg::kTemperatureBy, "{temperature} by {name}"},
        {Msg::kTemperatureIn, "{temperature} in the {area}"},
        {Msg::kDegrees, "{n} degrees"},
        {Msg::kPercent, "{n} percent"},
        {Msg::kStateAt, "at {value}"},
        {Msg::kStateSetTo, "set to {value}"},
        {Msg::kCantReachDevices, "I can't reach the devices right now."},
        {Msg::kDeviceGone, "I can't find that device any more."},
        {Msg::kDidNotRespond, "{Name} did not respond."},
        {Msg::kJammed, "{Name} is jammed."},
        {Msg::kQueued, "I can't reach {name} right now; the command goes out when the connection is back."},
        {Msg::kExpired, "{Name} could not be reached in time."},
        {Msg::kOffline, "{Name} is offline."},
        {Msg::kSomethingWrong, "Something went wrong on my side."},
    },
    true, "and", "or",
    {{"light", {"light", "lights"}}, {"switch", {"switch", "switches"}}, {"fan", {"fan", "fans"}},
     {"cover", {"cover", "covers"}}, {"lock", {"lock", "locks"}}, {"climate", {"thermostat", "thermostats"}},
     {"media_player", {"media player", "media players"}}, {"vacuum", {"vacuum", "vacuums"}},
     {"scene", {"scene", "scenes"}}, {"script", {"script", "scripts"}}, {"valve", {"valve", "valves"}},
     {"sensor", {"sensor", "sensors"}}, {"binary_sensor", {"sensor", "sensors"}}, {"person", {"person", "people"}},
     {"device", {"device", "devices"}}},
    {"hour", "hours", "minute", "minutes", "second", "seconds"},
    {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
    {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
     "December"},
    {},
    {},
  };
  return t;
}

const Messages::Table& german() {
  static const Messages::Table t{
    "de",
    {
        {Msg::kTurnOn, "Schalte {what} ein."},
        {Msg::kTurnOff, "Schalte {what} aus."},
        {Msg::kLock, "Verriegle {what}."},
        {Msg::kUnlock, "Entriegle {what}."},
        {Msg::kOpen, "Öffne {what}."},
        {Msg::kClose, "Schließe {what}."},
        {Msg::kActivateScene, "Aktiviere {what}."},
        {Msg::kRunScript, "Starte {what}."},
        {Msg::kToggle, "Schalte {what} um."},
        {Msg::kSetPercent, "Stelle {what} auf {n} %."},
        {Msg::kBrighten, "Mache {what} heller."},
        {Msg::kDim, "Dimme {what}."},
        {Msg::kSetColor, "Färbe {what} {color}."},
        {Msg::kSetColorTemp, "Stelle {what} auf {n} K."},
        {Msg::kLightWhat, "Was soll ich an {what} ändern?"},
        {Msg::kSetTemperature, "Stelle {what} auf {n} Grad."},
        {Msg::kWarmer, "Mache es wärmer."},
        {Msg::kCooler, "Mache es kühler."},
        {Msg::kWhichTemperature, "Welche Temperatur hättest du gern?"},
        {Msg::kChecking, "Ich sehe bei {what} nach."},
        {Msg::kPauseMedia, "Pausiere {what}."},
        {Msg::kResumeMedia, "Setze {what} fort."},
        {Msg::kNextTrack, "Nächster Titel auf {what}."},
        {Msg::kPreviousTrack, "Vorheriger Titel auf {what}."},
        {Msg::kSetVolume, "Stelle die Lautstärke von {what} auf {n} %."},
        {Msg::kVolumeUp, "Mache {what} lauter."},
        {Msg::kVolumeDown, "Mache {what} leiser."},
        {Msg::kPlay, "Spiele {query} auf {what}."},
        {Msg::kVacuumStart, "Starte {what}."},
        {Msg::kVacuumDock, "Schicke {what} zurück zur Station."},
        {Msg::kTimerHowLong, "Wie lange soll der Timer laufen?"},
        {Msg::kTimerTooLong, "Timer laufen höchstens einen Tag."},
        {Msg::kTimerSet, "{Timer} läuft {duration}."},
        {Msg::kTimerCancelling, "Breche {timer} ab."},
        {Msg::kTimerAdding, "Verlängere {timer} um {duration}."},
        {Msg::kTimerTakingOff, "Verkürze {timer} um {duration}."},
        {Msg::kTimerPausing, "Halte {timer} an."},
        {Msg::kTimerResuming, "Setze {timer} fort."},
        {Msg::kTimerChecking, "Ich sehe bei {timer} nach."},
        {Msg::kTimersCancelling, "Breche alle Timer ab."},
        {Msg::kSomeTime, "etwas"},
        {Msg::kNoTimers, "Es läuft kein Timer."},
        {Msg::kTimerCancelledOne, "Der Timer ist abgebrochen."},
        {Msg::kTimersCancelledAll, "Alle {count} Timer sind abgebrochen."},
        {Msg::kNoSuchTimer, "Es gibt keinen Timer {name}."},
        {Msg::kTimerLeft, "{Timer} läuft noch {duration}."},
        {Msg::kTimerLeftPaused, "{Timer} hat noch {duration} und ist angehalten."},
        {Msg::kWhichTimer, "Welcher Timer: {options}?"},
        {Msg::kTimerOfDuration, "der über {duration}"},
        {Msg::kTimerCancelled, "{Timer} ist abgebrochen."},
        {Msg::kTimerAlreadyPaused, "{Timer} ist schon angehalten."},
        {Msg::kTimerPaused, "{Timer} ist angehalten."},
        {Msg::kTimerRunning, "{Timer} läuft."},
        {Msg::kTimerResumed, "{Timer} läuft weiter."},
        {Msg::kByHowMuch, "Um wie viel?"},
        {Msg::kTimerAdded, "{Timer} ist um {duration} verlängert. Noch {left}."},
        {Msg::kTimerTookOff, "{Timer} ist um {duration} verkürzt. Noch {left}."},
        {Msg::kTimerDone, "{Timer} ist abgelaufen."},
        {Msg::kTimerLabel, "der Timer"},
        {Msg::kTimerLabelNamed, "der Timer {name}"},
        {Msg::kTimeNow, "Es ist {time} Uhr."},
        {Msg::kDateToday, "Heute ist {weekday}, der {day}. {month}."},
        {Msg::kNoWeather, "Ich habe noch keine Wetterquelle."},
        {Msg::kOk, "Okay."},
        {Msg::kListAdded, "{item} steht jetzt auf deiner {list}."},
        {Msg::kListChecked, "{item} ist auf deiner {list} abgehakt."},
        {Msg::kShoppingList, "Einkaufsliste"},
        {Msg::kNamedList, "Liste {name}"},
        {Msg::kGreeting, "Hallo! Was kann ich für dich tun?"},
        {Msg::kThanks, "Gern geschehen."},
        {Msg::kGoodbye, "Tschüss!"},
        {Msg::kHelp, "Ich schalte und dimme Lichter, steuere Rollläden, Schlösser, Heizung und Medien, stelle Timer und "
                     "führe deine Einkaufsliste. Versuch \"turn on the kitchen lights\"."},
        {Msg::kIdentity, "Ich bin hearth, der Assistent dieses Zuhauses. Ich laufe hier, ohne Cloud."},
        {Msg::kUnsupported, "Tut mir leid, ich kann nur mit deinem Zuhause helfen."},
        {Msg::kWontDoIt, "Okay, dann nicht."},
        {Msg::kNothingHeard, "Ich habe nichts verstanden. Was möchtest du?"},
        {Msg::kTooLong, "Das ist mir zu lang. Sag es bitte mit weniger Worten."},
        {Msg::kUnreadable, "Tut mir leid, das konnte ich nicht lesen."},
        {Msg::kOtherLanguage, "Tut mir leid, ich verstehe bisher nur Englisch."},
        {Msg::kAskCloud, "Ich bin nicht sicher, was du meinst. Soll ich das Cloud-Modell fragen? Deine Worte würden dann "
                         "diesen Hub verlassen."},
        {Msg::kNotSure, "Tut mir leid, ich bin nicht sicher, was du meinst. Kannst du es anders sagen?"},
        {Msg::kCloudOffline, "Ich habe das Cloud-Modell nicht erreicht und bin nicht sicher, was du meinst. Kannst du es "
                             "anders sagen?"},
        {Msg::kCloudMismatch, "Die Antwort des Cloud-Modells passte nicht zu diesem Zuhause, darum habe ich nichts getan. "
                              "Kannst du es anders sagen?"},
        {Msg::kConfirm, "Soll ich das tun: {action}?"},
        {Msg::kYes, "ja"},
        {Msg::kNo, "nein"},
        {Msg::kWhichDevice, "Welches Gerät meinst du?"},
        {Msg::kUnknownPlace, "Ich kenne {place} nicht."},
        {Msg::kNotFound, "Ich finde {what}{where} nicht."},
        {Msg::kADevice, "kein passendes Gerät"},
        {Msg::kWhich, "Was meinst du: {options}?"},
        {Msg::kWhichOfManyAreas, "Was meinst du? Es gibt {kinds} in {count} Bereichen; sag bitte, in welchem."},
        {Msg::kWhichOfManyNames, "Was meinst du? Es gibt {count} davon; sag bitte den Bereich oder den ganzen Namen."},
        {Msg::kInArea, " im Bereich {area}"},
        {Msg::kOnFloor, " auf der Etage {floor}"},
        {Msg::kNoArea, "die ohne Bereich"},
        {Msg::kAreaKinds, "{kinds} im Bereich {area}"},
        {Msg::kCountKinds, "{count} {kinds}"},
        {Msg::kNothing, "nichts"},
        {Msg::kDevices, "Geräte"},
        {Msg::kIs, "{name} ist {state}"},
        {Msg::kAre, "{names} sind {state}"},
        {Msg::kYesIs, "Ja, {name} ist {state}."},
        {Msg::kNoIs, "Nein, {name} ist {state}."},
        {Msg::kNoneIs, "Keins davon ist {state}."},
        {Msg::kItIs, "Es sind {what}."},
        {Msg::kNoTemperature, "Dafür habe ich keinen Temperaturwert."},
        {Msg::kTemperatureBy, "{temperature} bei {name}"},
        {Msg::kTemperatureIn, "{temperature} im Bereich {area}"},
        {Msg::kDegrees, "{n} Grad"},
        {Msg::kPercent, "{n} Prozent"},
        {Msg::kStateAt, "bei {value}"},
        {Msg::kStateSetTo, "eingestellt auf {value}"},
        {Msg::kCantReachDevices, "Ich erreiche die Geräte gerade nicht."},
        {Msg::kDeviceGone, "Dieses Gerät finde ich nicht mehr."},
        {Msg::kDidNotRespond, "{Name} hat nicht geantwortet."},
        {Msg::kJammed, "{Name} klemmt."},
        {Msg::kQueued, "Ich erreiche {name} gerade nicht; der Befehl geht raus, sobald die Verbindung wieder steht."},
        {Msg::kExpired, "{Name} war nicht rechtzeitig erreichbar."},
        {Msg::kOffline, "{Name} ist offline."},
        {Msg::kSomethingWrong, "Bei mir ist etwas schiefgegangen."},
    },
    false, "und", "oder",
    {{"light", {"Licht", "Lichter"}}, {"switch", {"Schalter", "Schalter"}}, {"fan", {"Ventilator", "Ventilatoren"}},
     {"cover", {"Rollladen", "Rollläden"}}, {"lock", {"Schloss", "Schlösser"}}, {"climate", {"Thermostat", "Thermostate"}},
     {"media_player", {"Mediaplayer", "Mediaplayer"}}, {"vacuum", {"Staubsauger", "Staubsauger"}},
     {"scene", {"Szene", "Szenen"}}, {"script", {"Skript", "Skripte"}}, {"valve", {"Ventil", "Ventile"}},
     {"sensor", {"Sensor", "Sensoren"}}, {"binary_sensor", {"Sensor", "Sensoren"}}, {"person", {"Person", "Personen"}},
     {"device", {"Gerät", "Geräte"}}},
    {"Stunde", "Stunden", "Minute", "Minuten", "Sekunde", "Sekunden"},
    {"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"},
    {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November",
     "Dezember"},
    {{"on", "an"}, {"off", "aus"}, {"open", "offen"}, {"opened", "offen"}, {"closed", "geschlossen"},
     {"opening", "am Öffnen"}, {"closing", "am Schließen"}, {"locked", "verriegelt"}, {"unlocked", "entriegelt"},
     {"jammed", "verklemmt"}, {"playing", "am Spielen"}, {"paused", "pausiert"}, {"idle", "bereit"},
     {"cleaning", "am Putzen"}, {"docked", "in der Station"}, {"returning", "auf dem Rückweg"}, {"home", "zu Hause"},
     {"not_home", "unterwegs"}, {"away", "unterwegs"}, {"heat", "im Heizbetrieb"}, {"cool", "im Kühlbetrieb"},
     {"offline", "offline"}, {"unknown", "unbekannt"}, {"detecting someone", "bemerkt jemanden"}, {"clear", "ruhig"},
     {"wet", "nass"}, {"dry", "trocken"}, {"detecting smoke", "meldet Rauch"}},
    {{"red", "rot"}, {"green", "grün"}, {"blue", "blau"}, {"yellow", "gelb"}, {"orange", "orange"}, {"purple", "lila"},
     {"pink", "rosa"}, {"white", "weiß"}, {"warm white", "warmweiß"}, {"cool white", "kaltweiß"},
     {"cold white", "kaltweiß"}, {"daylight", "tageslichtweiß"}, {"cyan", "cyan"}, {"aqua", "aqua"},
     {"magenta", "magenta"}, {"fuchsia", "fuchsia"}, {"violet", "violett"}, {"turquoise", "türkis"}, {"teal", "petrol"},
     {"lime", "limettengrün"}, {"gold", "gold"}, {"amber", "bernsteinfarben"}, {"indigo", "indigo"},
     {"lavender", "lavendel"}, {"crimson", "karmesinrot"}, {"coral", "korallenrot"}, {"salmon", "lachsrosa"},
     {"brown", "braun"}, {"navy", "marineblau"}, {"maroon", "kastanienbraun"}, {"olive", "oliv"}, {"beige", "beige"},
     {"silver", "silbern"}, {"cream", "cremeweiß"}, {"lilac", "flieder"}, {"mint", "mintgrün"}, {"peach", "pfirsich"},
     {"rose", "rosenrot"}, {"ruby", "rubinrot"}, {"emerald", "smaragdgrün"}, {"sky blue", "himmelblau"},
     {"light blue", "hellblau"}, {"dark blue", "dunkelblau"}, {"light green", "hellgrün"}, {"dark green", "dunkelgrün"},
     {"dark red", "dunkelrot"}, {"hot pink", "pink"}, {"deep purple", "tiefviolett"}, {"warm yellow", "warmgelb"}},
  };
  return t;
}
// clang-format on

std::array<const Messages::Table*, 2> tables() { return {&english(), &german()}; }

}  // namespace

Messages::Messages(const Table& t) : code_(t.code), text_(static_cast<size_t>(Msg::kCount)), table_(&t) {
  const Table& fallback = english();
  for (const auto& [m, s] : fallback.messages) text_[static_cast<size_t>(m)] = s;
  for (const auto& [m, s] : t.messages) text_[static_cast<size_t>(m)] = s;
}

const Messages& Messages::for_language(std::string_view code) {
  static const std::array<Messages, 2> all = {Messages(english()), Messages(german())};
  for (const Messages& m : all)
    if (m.code_ == code) return m;
  return all[0];
}

std::vector<std::string> Messages::languages() {
  std::vector<std::string> out;
  for (const Table* t : tables()) out.emplace_back(t->code);
  return out;
}

bool Messages::has_language(std::string_view code) {
  for (const Table* t : tables())
    if (code == t->code) return true;
  return false;
}

std::string Messages::say(Msg m, const Args& args) const {
  const std::string& tpl = text(m);
  std::string out;
  out.reserve(tpl.size() + 32);
  for (size_t i = 0; i < tpl.size();) {
    const size_t close = tpl[i] == '{' ? tpl.find('}', i) : std::string::npos;
    if (close == std::string::npos) {
      out += tpl[i++];
      continue;
    }
    const std::string_view key(tpl.data() + i + 1, close - i - 1);
    // {Name} is {name} with its first letter in upper case (a sentence's start).
    const bool upper = !key.empty() && key[0] >= 'A' && key[0] <= 'Z';
    std::string lower(key);
    if (upper) lower[0] = static_cast<char>(lower[0] - 'A' + 'a');
    bool found = false;
    for (const auto& [k, v] : args)
      if (k == lower) {
        out += upper ? capitalized(v) : v;
        found = true;
        break;
      }
    if (!found) out.append(tpl, i, close - i + 1);
    i = close + 1;
  }
  return out;
}

std::string Messages::the(const std::string& name) const { return table_->article_the ? "the " + name : name; }

namespace {
std::string join(const std::vector<std::string>& items, const char* last) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += i + 1 == items.size() ? std::string(" ") + last + " " : ", ";
    out += items[i];
  }
  return out;
}
}  // namespace

std::string Messages::join_and(const std::vector<std::string>& items) const { return join(items, table_->and_word); }
std::string Messages::join_or(const std::vector<std::string>& items) const { return join(items, table_->or_word); }

std::string Messages::kind(const std::string& domain, bool plural) const {
  for (const auto& [d, forms] : table_->kinds)
    if (domain == d) return plural ? forms.second : forms.first;
  return plural ? kind("device", true) : domain;
}

std::string Messages::duration(std::chrono::milliseconds d) const {
  long long s = (d.count() + 500) / 1000;
  const long long h = s / 3600, m = (s % 3600) / 60;
  s %= 60;
  const auto& u = table_->units;
  std::vector<std::string> parts;
  if (h) parts.push_back(std::to_string(h) + " " + (h == 1 ? u[0] : u[1]));
  if (m) parts.push_back(std::to_string(m) + " " + (m == 1 ? u[2] : u[3]));
  if (s || parts.empty()) parts.push_back(std::to_string(s) + " " + (s == 1 ? u[4] : u[5]));
  return join_and(parts);
}

std::string Messages::state(const std::string& english) const {
  for (const auto& [en, word] : table_->states)
    if (english == en) return word;
  return english;
}

std::string Messages::color(const std::string& english) const {
  for (const auto& [en, word] : table_->colors)
    if (english == en) return word;
  return english;
}

std::string Messages::time_of_day(const std::tm& tm) const {
  char hm[8];
  std::snprintf(hm, sizeof hm, "%02d:%02d", tm.tm_hour % 24, tm.tm_min % 60);
  return say(Msg::kTimeNow, {{"time", hm}});
}

std::string Messages::date(const std::tm& tm) const {
  return say(Msg::kDateToday, {{"weekday", table_->weekdays[static_cast<size_t>(tm.tm_wday) % 7]},
                               {"month", table_->months[static_cast<size_t>(tm.tm_mon) % 12]},
                               {"day", std::to_string(tm.tm_mday)}});
}

std::string capitalized(std::string s) {
  if (s.empty()) return s;
  const unsigned char c = static_cast<unsigned char>(s[0]);
  if (c >= 'a' && c <= 'z') {
    s[0] = static_cast<char>(c - 'a' + 'A');
  } else if (c == 0xc3 && s.size() > 1) {
    // Two-byte UTF-8 Latin-1 letters: lower case U+00E0..U+00FE are 0xC3 0xA0..0xBE, upper case
    // 0x20 below (except the division sign).
    const unsigned char c2 = static_cast<unsigned char>(s[1]);
    if (c2 >= 0xa0 && c2 <= 0xbe && c2 != 0xb7) s[1] = static_cast<char>(c2 - 0x20);
  }
  return s;
}

}  // namespace hearth::nlu
