// hearth/nlu/resolver.h — from slots to the devices people mean. Deterministic; no model.
//
// Rules, in order:
//  - only exposed devices; the intent's own domains (HassLightSet: lights) unless a domain or
//    device class is named;
//  - a name matches a device's name or alias, case-, article- and plural-insensitively;
//    "all" matches every device the other slots allow; a domain or device class that no device of
//    that name has is dropped when the name alone means devices of one kind;
//  - an area slot keeps the devices of that area (name or alias); a floor slot those in its areas;
//  - with no place said, the speaker's area is used when it has a match, else the whole home;
//  - several devices of one name (two "desk lamp"s), or devices of a kind spread over several
//    areas with no place said and no speaker area, are ambiguous: a clarification question,
//    never a guess. Questions (HassGetState) may span areas.
#pragma once

#include <string>
#include <vector>

#include "hearth/nlu/home.h"
#include "hearth/nlu/intent.h"
#include "hearth/nlu/messages.h"

namespace hearth::nlu {

// The most choices a clarification question reads out.
inline constexpr size_t kMaxChoicesAsked = 6;

struct Resolution {
  enum class Kind { kResolved, kNoTargets, kNoMatch, kAmbiguous };
  Kind kind = Kind::kResolved;
  std::vector<std::string> targets;  // device ids (kResolved)
  std::string question;              // kAmbiguous: what to ask; kNoMatch: what was not found
  std::vector<std::string> choices;  // kAmbiguous: the answers the question offers ("the desk lamp"); none when
                                     // there are more than kMaxChoicesAsked (the question asks for a place or name)
  std::vector<std::string> candidates;  // kAmbiguous: the device ids the question chooses among
};

// Resolves one intent; intents that act on no device (timers, time, chat) resolve to no targets.
Resolution resolve(const Intent& intent, const Home& home, const std::string& speaker_area,
                   const Messages& words = Messages::for_language("en"));

// How a reply names a set of devices: "the desk lamp", "the kitchen lights", "3 lights".
std::string describe_targets(const std::vector<std::string>& ids, const Home& home,
                             const Messages& words = Messages::for_language("en"));

}  // namespace hearth::nlu
