// The command grammar: how people ask a home for things, over this home's names.
#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <map>
#include <set>
#include <sstream>

#include "hearth/audio/recognizer.h"

namespace hearth::audio {

namespace {

// Lower-case words of letters, digits and apostrophes; anything else separates words.
std::string clean(const std::string& name) {
  std::string out;
  for (char c : name) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '\'') out += static_cast<char>(std::tolower(u));
    else if (!out.empty() && out.back() != ' ') out += ' ';
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string alternatives(const std::vector<std::string>& names) {
  std::set<std::string> seen;
  std::string out;
  for (const auto& n : names) {
    const std::string c = clean(n);
    if (c.empty() || !seen.insert(c).second) continue;
    out += (out.empty() ? "" : " | ") + c;
  }
  return out;
}

}  // namespace

DeviceKind device_kind_of_domain(const std::string& domain) {
  static const std::map<std::string, DeviceKind> kinds = {
      {"light", DeviceKind::kSwitchable},        {"switch", DeviceKind::kSwitchable},
      {"fan", DeviceKind::kSwitchable},          {"media_player", DeviceKind::kSwitchable},
      {"scene", DeviceKind::kSwitchable},        {"script", DeviceKind::kSwitchable},
      {"input_boolean", DeviceKind::kSwitchable}, {"humidifier", DeviceKind::kSwitchable},
      {"cover", DeviceKind::kCover},             {"valve", DeviceKind::kValve},
      {"lock", DeviceKind::kLock},               {"climate", DeviceKind::kClimate},
      {"vacuum", DeviceKind::kVacuum},           {"sensor", DeviceKind::kSensor},
      {"binary_sensor", DeviceKind::kSensor},    {"person", DeviceKind::kSensor}};
  const auto it = kinds.find(domain);
  return it == kinds.end() ? DeviceKind::kAny : it->second;
}

std::string command_grammar(const Vocabulary& v) {
  // One rule per kind of device, holding its names; the verbs below name the kinds they fit.
  struct KindRule {
    DeviceKind kind;
    const char* rule;
  };
  static const KindRule kRules[] = {{DeviceKind::kAny, "<device>"},     {DeviceKind::kSwitchable, "<switchable>"},
                                    {DeviceKind::kCover, "<cover>"},    {DeviceKind::kValve, "<valve>"},
                                    {DeviceKind::kLock, "<lock>"},      {DeviceKind::kClimate, "<climate>"},
                                    {DeviceKind::kVacuum, "<vacuum>"},  {DeviceKind::kSensor, "<sensor>"}};
  std::map<std::string, DeviceKind> kind_of;
  for (const auto& [name, kind] : v.kinds) kind_of[clean(name)] = kind;
  std::map<DeviceKind, std::vector<std::string>> names;
  for (const auto& n : v.device_names) {
    const auto it = kind_of.find(clean(n));
    names[it == kind_of.end() ? DeviceKind::kAny : it->second].push_back(n);
  }
  std::map<DeviceKind, std::string> rule_body;
  for (const auto& [kind, list] : names)
    if (std::string body = alternatives(list); !body.empty()) rule_body[kind] = body;
  const std::string areas = alternatives(v.area_names);
  // The alternatives of the kinds given that have names, then `extra`; empty when none.
  auto any_of = [&](std::initializer_list<DeviceKind> kinds, const std::string& extra = "") {
    std::string out;
    for (const auto& r : kRules)
      if (std::find(kinds.begin(), kinds.end(), r.kind) != kinds.end() && rule_body.count(r.kind))
        out += (out.empty() ? "" : " | ") + std::string(r.rule);
    if (!extra.empty()) out += (out.empty() ? "" : " | ") + extra;
    return out;
  };
  using K = DeviceKind;
  // Lights named by their room, and all of them; with no names at all, "the light(s)".
  std::string room_lights = areas.empty() ? "" : "<area> (light | lights | lamp | lamps)";
  if (room_lights.empty() && rule_body.empty()) room_lights = "lights | light";
  const std::string all_lights = areas.empty() ? "" : "all the lights";
  // What a request names: its devices (and lights by room) after an optional "the", or all the
  // lights, which takes no "the" before it ("the all the lights" once took "the hallway light"'s
  // place). Empty when nothing fits.
  auto target = [&](std::initializer_list<DeviceKind> kinds, bool lights) {
    const std::string named = any_of(kinds, lights ? room_lights : "");
    std::string out = named.empty() ? "" : "[the] (" + named + ")";
    if (lights && !all_lights.empty()) out += (out.empty() ? "" : " | ") + all_lights;
    return out;
  };

  std::string g = "#JSGF V1.0;\ngrammar hearth;\n";
  const std::string wake = clean(v.wake_phrase);
  g += "public <utterance> = " + std::string(wake.empty() ? "" : "[<wake>] ") + "[please] <request> [please];\n";
  if (!wake.empty()) g += "<wake> = " + wake + ";\n";
  for (const auto& r : kRules)
    if (rule_body.count(r.kind)) g += std::string(r.rule) + " = " + rule_body[r.kind] + ";\n";
  if (!areas.empty()) g += "<area> = " + areas + ";\n";
  g += "<number> = one | two | three | four | five | ten | fifteen | twenty | twenty five | thirty | forty | fifty | sixty"
       " | seventy | seventy five | eighty | ninety | one hundred | eighteen | nineteen | twenty one | twenty two"
       " | twenty three | seventeen | sixteen;\n";
  // Each request with the rule of what it fits; a request nothing fits is left out.
  std::vector<std::string> requests;
  auto add = [&](const char* rule, const std::string& body, const std::string& request) {
    if (body.empty()) return;
    g += std::string(rule) + " = " + body + ";\n";
    requests.push_back(request);
  };
  add("<on_off>", target({K::kAny, K::kSwitchable, K::kValve, K::kClimate, K::kVacuum}, true),
      "(turn | switch) (on | off) <on_off> | (turn | switch) <on_off> (on | off)");
  add("<openable>", target({K::kAny, K::kCover, K::kValve, K::kLock}, false), "(open | close) <openable>");
  add("<lockable>", target({K::kAny, K::kLock}, false), "(lock | unlock) <lockable>");
  add("<togglable>", target({K::kAny, K::kSwitchable}, true), "toggle <togglable>");
  add("<dimmable>", target({K::kAny, K::kSwitchable}, true), "dim <dimmable> to <number> [percent]");
  add("<level>", target({K::kAny, K::kSwitchable, K::kCover}, true), "set <level> to <number> [percent]");
  add("<heating>", target({K::kAny, K::kClimate}, false), "set <heating> to <number> [degrees]");
  requests.push_back("set the temperature to <number> [degrees]");
  add("<has_power>", target({K::kAny, K::kSwitchable, K::kValve, K::kClimate, K::kVacuum, K::kSensor}, true),
      "is <has_power> (on | off)");
  add("<opens>", target({K::kAny, K::kCover, K::kValve, K::kLock, K::kSensor}, false), "is <opens> (open | closed)");
  add("<locks>", target({K::kAny, K::kLock}, false), "is <locks> (locked | unlocked)");
  requests.push_back("what is the temperature" + std::string(areas.empty() ? "" : " [in the <area>]"));
  requests.push_back("(start | stop) the (" + any_of({K::kVacuum}, "vacuum | robot vacuum") + ")");
  requests.push_back("set a timer for <number> (minute | minutes | second | seconds)");
  requests.push_back("what time is it | never mind | thank you");
  g += "<request> = ";
  for (size_t i = 0; i < requests.size(); ++i) g += (i ? " | " : "") + requests[i];
  g += ";\n";
  return g;
}

std::string any_speech_grammar(const Vocabulary& v) {
  // About 200 of the most frequent English words, and the words of requests and of this home.
  static const char* const kCommon =
      "the of and to a in is it you that he was for on are with as i his they be at one have this from or had by "
      "not word but what some we can out other were all there when up use your how said an each she which do "
      "their time if will way about many then them write would like so these her long make thing see him two "
      "has look more day could go come did number sound no most people my over know water than call first who "
      "may down side been now find any new work part take get place made live where after back little only "
      "round man year came show every good me give our under name very through just form sentence great think "
      "say help low line differ turn cause much mean before move right boy old too same tell does set three "
      "want air well also play small end put home read hand port large spell add even land here must big high "
      "such follow act why ask men change went light kind off need house picture try us again animal point "
      "mother world near build self earth father head stand own page should country found answer school grow "
      "study still learn plant cover food sun four between state keep eye never last let thought city tree "
      "cross farm hard start might story saw far sea draw left late run don't while press close night real life "
      "few north open seem together next white children begin got walk example ease paper group always music "
      "those both mark often letter until mile river car feet care second book carry took science eat room "
      "friend began idea fish mountain stop once base hear horse cut sure watch color face wood main enough "
      "plain girl usual young ready above ever red list though feel talk bird soon body dog family direct pose "
      "leave song measure door product black short numeral class wind question happen complete ship area half "
      "rock order fire south problem piece told knew pass since top whole king space heard best hour better "
      "true during hundred five remember step early hold west ground interest reach fast verb sing listen six "
      "table travel less morning ten simple several vowel toward war lay against pattern slow center love "
      "person money serve appear road map rain rule govern pull cold notice voice unit power town fine certain "
      "fly fall lead cry dark machine note wait plan figure star box noun field rest correct able pound done "
      "beauty drive stood contain front teach week final gave green oh quick develop ocean warm free minute "
      "strong special mind behind clear tail produce fact street inch multiply nothing course stay wheel full "
      "force blue object decide surface deep moon island foot system busy test record boat common gold possible "
      "plane stead dry wonder laugh thousand ago ran check game shape equate hot miss brought heat snow tire "
      "bring yes distant fill east paint language among weather joke milk shopping tomorrow today";
  std::vector<std::string> words;
  std::istringstream in(std::string(kCommon) + " please lights lamp lamps percent degrees temperature timer "
                        "minutes seconds vacuum robot lock unlock toggle dim switch thank hey computer");
  for (std::string w; in >> w;) words.push_back(w);
  for (const auto* list : {&v.device_names, &v.area_names}) {
    for (const auto& n : *list) {
      std::istringstream nw(clean(n));
      for (std::string w; nw >> w;) words.push_back(w);
    }
  }
  std::string wake = clean(v.wake_phrase);
  if (!wake.empty()) words.push_back(wake);
  return "#JSGF V1.0;\ngrammar any;\npublic <any> = <word>+;\n<word> = " + alternatives(words) + ";\n";
}

}  // namespace hearth::audio
