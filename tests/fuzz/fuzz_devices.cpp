// libFuzzer target: any bytes through the devices module's parsers of outside input: Home
// Assistant discovery configs, Zigbee2MQTT device lists and state payloads (into a registry of
// discovered devices), then payloads for every action on what was parsed. The first byte picks
// the parser. Nothing may crash or hang; errors are fine.
#include <cstdint>
#include <string>

#include "hearth/devices/commands.h"
#include "hearth/devices/discovery.h"
#include "hearth/devices/registry.h"

namespace {

using namespace hearth::devices;

void exercise(const Device& d) {
  for (int k = 0; k <= static_cast<int>(ActionKind::kVacuumReturnToBase); ++k) {
    Action a;
    a.kind = static_cast<ActionKind>(k);
    a.value = 50;
    (void)payloads_for(d, a);
    (void)expected_state(d, a);
  }
  for (const char* intent : {"HassTurnOn", "HassTurnOff", "HassToggle", "HassLightSet", "HassClimateSetTemperature"})
    (void)action_for_intent(intent, {{"brightness_step", 10}, {"temperature", 21}, {"color", "red"}}, d, "F");
  (void)describe_state(d);
  (void)to_json(d);
}

Registry& registry() {
  static Registry* reg = [] {
    auto* r = new Registry();
    const char* configs[][2] = {
        {"homeassistant/light/a/config", R"({"~":"l","name":"a","cmd_t":"~/s","stat_t":"~/st","bri_stat_t":"~/b","rgb_stat_t":"~/rgb","clr_temp_stat_t":"~/ct","avty_t":"~/av"})"},
        {"homeassistant/light/j/config", R"({"schema":"json","name":"j","cmd_t":"j/s","stat_t":"j/st","sup_clrm":["rgb"]})"},
        {"homeassistant/cover/c/config", R"({"name":"c","cmd_t":"c/s","stat_t":"c/st","pos_t":"c/p","set_pos_t":"c/ps"})"},
        {"homeassistant/climate/t/config", R"({"name":"t","temp_cmd_t":"t/s","temp_stat_t":"t/st","curr_temp_t":"t/c","mode_stat_t":"t/m","temp_unit":"F"})"},
        {"homeassistant/sensor/s/config", R"({"name":"s","stat_t":"s/st","val_tpl":"{{ value_json.a.b }}"})"},
        {"homeassistant/lock/k/config", R"({"name":"k","cmd_t":"k/s","stat_t":"k/st"})"},
        {"homeassistant/fan/f/config", R"({"name":"f","cmd_t":"f/s","stat_t":"f/st","pct_stat_t":"f/p","pct_cmd_t":"f/pc"})"},
    };
    for (const auto& c : configs)
      if (auto m = parse_ha_discovery(c[0], c[1]); m) r->upsert(m->device);
    auto z = parse_z2m_devices(R"([{"friendly_name":"z","definition":{"exposes":[{"type":"light","features":[
        {"name":"state","property":"state"},{"name":"brightness","property":"brightness"},{"name":"color_xy","property":"color"}]}]}}])");
    if (z) r->replace_source("zigbee2mqtt", z.value());
    return r;
  }();
  return *reg;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 2, size - 2);
  switch (data[0] % 3) {
    case 0: {
      static const char* topics[] = {"homeassistant/light/x/config", "homeassistant/switch/n/x/config",
                                     "homeassistant/cover/x/config", "homeassistant/climate/x/config",
                                     "homeassistant/sensor/x/config", "homeassistant/fan/x/config",
                                     "homeassistant/lock/x/config",  "homeassistant/vacuum/x/config"};
      auto m = parse_ha_discovery(topics[data[1] % 8], text);
      if (m && !m->removal) exercise(m->device);
      break;
    }
    case 1: {
      auto list = parse_z2m_devices(text);
      if (list)
        for (const Device& d : list.value()) exercise(d);
      break;
    }
    case 2: {
      static const char* topics[] = {"l/st", "l/b", "l/rgb", "l/ct", "l/av", "j/st", "c/st", "c/p", "t/st", "t/c", "t/m",
                                     "s/st", "k/st", "f/st", "f/p", "zigbee2mqtt/z", "zigbee2mqtt/z/availability"};
      (void)registry().apply_message(topics[data[1] % 17], text);
      for (const Device& d : registry().snapshot()) exercise(d);
      break;
    }
  }
  return 0;
}
