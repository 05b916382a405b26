#include "hearth/nlu/resolver.h"

#include <algorithm>
#include <map>
#include <set>

#include "hearth/nlu/contract.h"
#include "names.h"

namespace hearth::nlu {

namespace {

std::string slot(const Intent& i, const char* key) {
  auto it = i.slots.find(key);
  return it != i.slots.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Resolution resolve(const Intent& intent, const Home& home, const std::string& speaker_area, const Messages& m) {
  Resolution r;
  const IntentSpec* spec = find_intent(intent.name);
  if (!spec || !spec->targets_devices) return r;
  const std::string name = slot(intent, "name"), area = slot(intent, "area"), floor = slot(intent, "floor"),
                    domain = slot(intent, "domain"), device_class = slot(intent, "device_class");
  const bool all = fold(name) == "all";
  if (name.empty() && area.empty() && floor.empty() && domain.empty() && device_class.empty() && spec->domains.empty()) {
    r.kind = Resolution::Kind::kNoTargets;
    r.question = m.say(Msg::kWhichDevice);
    return r;
  }
  const Area* area_p = area.empty() ? nullptr : home.find_area(area);
  const Floor* floor_p = floor.empty() ? nullptr : home.find_floor(floor);
  if ((!area.empty() && !area_p) || (!floor.empty() && !floor_p)) {
    r.kind = Resolution::Kind::kNoMatch;
    r.question = m.say(Msg::kUnknownPlace, {{"place", m.the(area_p || area.empty() ? floor : area)}});
    return r;
  }
  auto on_floor = [&](const Device& d) {
    const Area* a = d.area.empty() ? nullptr : home.find_area(d.area);
    return a && fold(a->floor) == fold(floor_p->name);
  };
  // Everything but the place.
  const std::string key = all ? "" : name_key(name);
  auto of_kind = [&](const std::string& want_domain, const std::string& want_class) {
    std::vector<const Device*> out;
    for (const Device& d : home.devices) {
      if (!d.expose) continue;
      if (!key.empty() && !name_matches(d, key)) continue;
      if (intent.name == "HassClimateGetTemperature") {
        // "the temperature in the living room" is read from a thermostat or a temperature sensor,
        // whichever domain the model named.
        if (d.domain != "climate" && !(d.domain == "sensor" && (d.device_class == "temperature" || d.device_class.empty())))
          continue;
      } else {
        if (!want_domain.empty() && d.domain != want_domain) continue;
        if (!want_class.empty() && d.device_class != want_class) continue;
      }
      if (want_domain.empty() && want_class.empty() && !spec->domains.empty() &&
          std::find(spec->domains.begin(), spec->domains.end(), d.domain) == spec->domains.end())
        continue;
      // "turn off everything" means things that switch, not sensors or people.
      if (all && want_domain.empty() && want_class.empty() &&
          (d.domain == "sensor" || d.domain == "binary_sensor" || d.domain == "person" || d.domain == "scene" ||
           d.domain == "script" || d.domain == "lock"))
        continue;
      out.push_back(&d);
    }
    return out;
  };
  std::vector<const Device*> kind = of_kind(domain, device_class);
  if (kind.empty() && !key.empty() && (!domain.empty() || !device_class.empty())) {
    // A name said is what the person means; a kind that disagrees with it is the model's (often
    // carried from the previous turn: "open the garage door" after unlocking the front door came
    // out as a lock named "garage door"). Kept when the name alone means devices of one kind.
    std::vector<const Device*> named = of_kind("", "");
    std::set<std::string> domains;
    for (const Device* d : named) domains.insert(d->domain);
    if (domains.size() == 1) kind = std::move(named);
  }
  std::vector<const Device*> placed;
  for (const Device* d : kind) {
    if (area_p && fold(d->area) != fold(area_p->name)) continue;
    if (floor_p && !on_floor(*d)) continue;
    placed.push_back(d);
  }
  const bool place_said = area_p || floor_p;
  if (!place_said && !speaker_area.empty()) {
    // No place said: the speaker's room settles it. A kind of device ("the lights") means those
    // in the room when it has any; a name shared by several devices, the one in the room.
    std::vector<const Device*> here;
    if (const Area* sa = home.find_area(speaker_area))
      for (const Device* d : placed)
        if (fold(d->area) == fold(sa->name)) here.push_back(d);
    if (key.empty() ? !here.empty() : (placed.size() > 1 && here.size() == 1)) placed = here;
  }
  if (placed.empty()) {
    r.kind = Resolution::Kind::kNoMatch;
    const std::string what = !name.empty() && !all ? m.the(name)
                             : !device_class.empty() ? m.the(device_class)
                             : !domain.empty() ? m.the(m.kind(domain, false))
                             : spec->domains.empty() ? m.say(Msg::kADevice)
                                                     : m.the(m.kind(spec->domains[0], false));
    const std::string where = area_p    ? m.say(Msg::kInArea, {{"area", area_p->name}})
                              : floor_p ? m.say(Msg::kOnFloor, {{"floor", floor_p->name}})
                                        : "";
    r.question = m.say(Msg::kNotFound, {{"what", what}, {"where", where}});
    return r;
  }
  const bool question = intent.name == "HassGetState" || intent.name == "HassClimateGetTemperature";
  if (placed.size() > 1 && !all && !question) {
    std::set<std::string> areas_seen;
    for (const Device* d : placed) areas_seen.insert(d->area);
    const bool one_name = !key.empty();
    const bool spread = !place_said && areas_seen.size() > 1 && speaker_area.empty();
    // A single-device kind of intent (media, vacuum) with several candidates is ambiguous too.
    const bool single = spec->domains.size() == 1 && (spec->domains[0] == "media_player" || spec->domains[0] == "vacuum");
    if (one_name || spread || single) {
      std::vector<std::string> options;
      if (one_name || single) {
        for (const Device* d : placed)
          options.push_back(m.the(d->name) + (one_name && !d->area.empty() ? m.say(Msg::kInArea, {{"area", d->area}}) : ""));
      } else {
        for (const auto& a : areas_seen) options.push_back(a.empty() ? m.say(Msg::kNoArea) : m.the(a));
      }
      r.kind = Resolution::Kind::kAmbiguous;
      for (const Device* d : placed) r.candidates.push_back(d->id);
      const std::string dom = placed[0]->domain;
      const std::string asked = one_name ? name : m.kind(dom, false);
      // A question that reads out more than a handful of choices is no question: ask for the
      // place or the name instead (the answer is settled the same way).
      if (options.size() > kMaxChoicesAsked) {
        r.question = one_name || single
                         ? m.say(Msg::kWhichOfManyNames, {{"kind", asked}, {"count", std::to_string(options.size())}})
                         : m.say(Msg::kWhichOfManyAreas,
                                 {{"kind", asked}, {"kinds", m.kind(dom, true)}, {"count", std::to_string(options.size())}});
        return r;
      }
      r.choices = options;
      r.question = m.say(Msg::kWhich, {{"kind", asked}, {"options", m.join_or(options)}});
      return r;
    }
  }
  for (const Device* d : placed) r.targets.push_back(d->id);
  return r;
}

std::string describe_targets(const std::vector<std::string>& ids, const Home& home, const Messages& m) {
  std::vector<const Device*> ds;
  for (const auto& id : ids)
    if (const Device* d = home.find_device(id)) ds.push_back(d);
  if (ds.empty()) return m.say(Msg::kNothing);
  if (ds.size() == 1) return m.the(ds[0]->name);
  std::set<std::string> domains, areas;
  for (const Device* d : ds) {
    domains.insert(d->domain);
    areas.insert(d->area);
  }
  const std::string kinds = domains.size() == 1 ? m.kind(*domains.begin(), true) : m.say(Msg::kDevices);
  if (areas.size() == 1 && !areas.begin()->empty()) return m.say(Msg::kAreaKinds, {{"area", *areas.begin()}, {"kinds", kinds}});
  return m.say(Msg::kCountKinds, {{"count", std::to_string(ds.size())}, {"kinds", kinds}});
}

}  // namespace hearth::nlu
