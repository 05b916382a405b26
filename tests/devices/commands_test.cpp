// Actions -> payloads per schema, intents -> actions, state messages -> normalized state.
#include <gtest/gtest.h>

#include "hearth/devices/commands.h"
#include "hearth/devices/discovery.h"
#include "hearth/devices/registry.h"

namespace hearth::devices {
namespace {

Device discovered(const std::string& component, const std::string& payload) {
  auto r = parse_ha_discovery("homeassistant/" + component + "/dev/config", payload);
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  return r ? r->device : Device{};
}

Action act(ActionKind k, double v = 0) {
  Action a;
  a.kind = k;
  a.value = v;
  return a;
}

std::vector<std::pair<std::string, std::string>> sent(const Device& d, const Action& a) {
  auto r = payloads_for(d, a);
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  std::vector<std::pair<std::string, std::string>> out;
  if (r)
    for (const auto& p : r.value()) {
      EXPECT_EQ(p.qos, 1);
      EXPECT_FALSE(p.retain);
      out.emplace_back(p.topic, p.payload);
    }
  return out;
}

using Sent = std::vector<std::pair<std::string, std::string>>;

TEST(Payloads, HaDefaultLight) {
  Device d = discovered("light", R"({"name":"l","cmd_t":"l/set","bri_cmd_t":"l/b","bri_scl":100,"rgb_cmd_t":"l/rgb",
                                      "clr_temp_cmd_t":"l/ct","pl_on":"on!"})");
  EXPECT_EQ(sent(d, act(ActionKind::kTurnOn)), (Sent{{"l/set", "on!"}}));
  EXPECT_EQ(sent(d, act(ActionKind::kTurnOff)), (Sent{{"l/set", "OFF"}}));
  EXPECT_EQ(sent(d, act(ActionKind::kSetBrightness, 40)), (Sent{{"l/b", "40"}, {"l/set", "on!"}}));
  EXPECT_EQ(sent(d, act(ActionKind::kSetBrightness, 0)), (Sent{{"l/set", "OFF"}}));
  EXPECT_EQ(sent(d, act(ActionKind::kSetColorTemp, 2700)), (Sent{{"l/ct", "370"}, {"l/set", "on!"}}));
  Action red = act(ActionKind::kSetColor);
  ASSERT_TRUE(color_from_name("red", red.rgb));
  EXPECT_EQ(sent(d, red), (Sent{{"l/rgb", "255,0,0"}, {"l/set", "on!"}}));
  // Brightness on a 0-255 scale.
  Device d255 = discovered("light", R"({"name":"l","cmd_t":"l/set","bri_cmd_t":"l/b"})");
  EXPECT_EQ(sent(d255, act(ActionKind::kSetBrightness, 50))[0].second, "128");
  EXPECT_EQ(sent(d255, act(ActionKind::kSetBrightness, 100))[0].second, "255");
}

TEST(Payloads, HaJsonLight) {
  Device d = discovered("light", R"({"schema":"json","name":"l","cmd_t":"j/set","sup_clrm":["rgb","color_temp"]})");
  auto p = sent(d, act(ActionKind::kSetBrightness, 100));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(p[0].second), (nlohmann::json{{"state", "ON"}, {"brightness", 255}}));
  Action blue = act(ActionKind::kSetColor);
  color_from_name("blue", blue.rgb);
  EXPECT_EQ(nlohmann::json::parse(sent(d, blue)[0].second)["color"], (nlohmann::json{{"r", 0}, {"g", 0}, {"b", 255}}));
  EXPECT_EQ(nlohmann::json::parse(sent(d, act(ActionKind::kSetColorTemp, 4000))[0].second)["color_temp"], 250);
}

TEST(Payloads, Zigbee2Mqtt) {
  auto list = parse_z2m_devices(R"([{"friendly_name":"bed/lamp","definition":{"exposes":[{"type":"light","features":[
      {"name":"state","property":"state"},{"name":"brightness","property":"brightness","value_max":254},
      {"name":"color_temp","property":"color_temp"}]}]}},
    {"friendly_name":"radiator","definition":{"exposes":[{"type":"climate","features":[
      {"name":"current_heating_setpoint","property":"current_heating_setpoint","value_min":5,"value_max":30},
      {"name":"local_temperature","property":"local_temperature"}]}]}}])");
  ASSERT_TRUE(list);
  const Device& lamp = (*list)[0];
  auto p = sent(lamp, act(ActionKind::kSetBrightness, 50));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].first, "zigbee2mqtt/bed/lamp/set");
  EXPECT_EQ(nlohmann::json::parse(p[0].second), (nlohmann::json{{"state", "ON"}, {"brightness", 127}}));
  EXPECT_EQ(nlohmann::json::parse(sent(lamp, act(ActionKind::kSetColorTemp, 2000))[0].second)["color_temp"], 500);
  auto heat = sent((*list)[1], act(ActionKind::kSetTemperature, 21.5));
  EXPECT_EQ(nlohmann::json::parse(heat[0].second), (nlohmann::json{{"current_heating_setpoint", 21.5}}));
  EXPECT_FALSE(payloads_for(lamp, act(ActionKind::kLock)));
}

TEST(Payloads, CoversLocksFansClimateVacuumScene) {
  Device cover = discovered("cover", R"({"name":"g","cmd_t":"g/set","set_pos_t":"g/pos/set","pos_open":255,"pos_clsd":0})");
  EXPECT_EQ(sent(cover, act(ActionKind::kOpen)), (Sent{{"g/set", "OPEN"}}));
  EXPECT_EQ(sent(cover, act(ActionKind::kSetPosition, 50)), (Sent{{"g/pos/set", "128"}}));
  Device lock = discovered("lock", R"({"name":"d","cmd_t":"d/set","pl_unlk":"OPEN_SESAME"})");
  EXPECT_EQ(sent(lock, act(ActionKind::kUnlock)), (Sent{{"d/set", "OPEN_SESAME"}}));
  Device fan = discovered("fan", R"({"name":"f","cmd_t":"f/set","pct_cmd_t":"f/p","spd_rng_min":1,"spd_rng_max":4})");
  EXPECT_EQ(sent(fan, act(ActionKind::kSetFanSpeed, 100)), (Sent{{"f/p", "4"}}));
  EXPECT_EQ(sent(fan, act(ActionKind::kSetFanSpeed, 1)), (Sent{{"f/p", "1"}}));
  Device f_thermostat = discovered("climate", R"({"name":"t","temp_cmd_t":"t/set","temp_unit":"F","min_temp":50,"max_temp":90})");
  EXPECT_EQ(sent(f_thermostat, act(ActionKind::kSetTemperature, 21)), (Sent{{"t/set", "70"}}));  // 69.8 °F, half degrees
  auto too_hot = payloads_for(f_thermostat, act(ActionKind::kSetTemperature, 40));
  ASSERT_FALSE(too_hot);
  EXPECT_EQ(too_hot.error().code, ErrorCode::kBadValue);
  Device vac = discovered("vacuum", R"({"name":"v","cmd_t":"v/c","stat_t":"v/s"})");
  EXPECT_EQ(sent(vac, act(ActionKind::kVacuumStart)), (Sent{{"v/c", "start"}}));
  EXPECT_EQ(sent(vac, act(ActionKind::kVacuumReturnToBase)), (Sent{{"v/c", "return_to_base"}}));
  Device scene = discovered("scene", R"({"name":"s","cmd_t":"s/set","pl_on":"ACTIVATE"})");
  EXPECT_EQ(sent(scene, act(ActionKind::kTurnOn)), (Sent{{"s/set", "ACTIVATE"}}));
  Device plain;
  plain.name = "lamp";
  EXPECT_EQ(payloads_for(plain, act(ActionKind::kTurnOn)).error().code, ErrorCode::kUnsupported);
}

TEST(Payloads, ToggleIsWrittenAsTheExplicitOpposite) {
  Device d = discovered("switch", R"({"name":"p","cmd_t":"p/set","stat_t":"p/state"})");
  d.state["state"] = "on";
  EXPECT_EQ(sent(d, act(ActionKind::kToggle)), (Sent{{"p/set", "OFF"}}));
  d.state["state"] = "off";
  EXPECT_EQ(sent(d, act(ActionKind::kToggle)), (Sent{{"p/set", "ON"}}));
}

TEST(Intents, MapToActionsPerDomain) {
  Device lock = discovered("lock", R"({"name":"d","cmd_t":"d/set"})");
  auto a = action_for_intent("HassTurnOff", nlohmann::json::object(), lock);
  ASSERT_TRUE(a);
  ASSERT_EQ(a->size(), 1u);
  EXPECT_EQ((*a)[0].kind, ActionKind::kUnlock);
  Device light = discovered("light", R"({"name":"l","cmd_t":"l/set","bri_cmd_t":"l/b","rgb_cmd_t":"l/c"})");
  light.state = {{"state", "on"}, {"brightness", 60}};
  auto set = action_for_intent("HassLightSet", {{"brightness_step", 25}, {"color", "purple"}}, light);
  ASSERT_TRUE(set);
  ASSERT_EQ(set->size(), 2u);
  EXPECT_EQ((*set)[0].kind, ActionKind::kSetBrightness);
  EXPECT_DOUBLE_EQ((*set)[0].value, 85);
  EXPECT_EQ((*set)[1].kind, ActionKind::kSetColor);
  auto bad_color = action_for_intent("HassLightSet", {{"color", "plaid"}}, light);
  ASSERT_FALSE(bad_color);
  EXPECT_EQ(bad_color.error().code, ErrorCode::kBadValue);
  Device climate = discovered("climate", R"({"name":"t","temp_cmd_t":"t/set","min_temp":7,"max_temp":30})");
  auto f = action_for_intent("HassClimateSetTemperature", {{"temperature", 68}}, climate, "F");
  ASSERT_TRUE(f);
  EXPECT_NEAR((*f)[0].value, 20.0, 0.01);
  EXPECT_FALSE(action_for_intent("HassClimateSetTemperature", {{"temperature", 45}}, climate, "C"));
  Device sensor = discovered("sensor", R"({"name":"s","stat_t":"s"})");
  EXPECT_FALSE(action_for_intent("HassTurnOn", nlohmann::json::object(), sensor));
  auto question = action_for_intent("HassGetState", nlohmann::json::object(), sensor);
  ASSERT_TRUE(question);
  EXPECT_TRUE(question->empty());
}

TEST(Colors, Conversions) {
  int rgb[3];
  hs_to_rgb(240, 100, rgb);
  EXPECT_EQ(rgb[0], 0);
  EXPECT_EQ(rgb[2], 255);
  double h = 0, s = 0;
  const int orange[3] = {255, 165, 0};
  rgb_to_hs(orange, h, s);
  EXPECT_NEAR(h, 38.8, 0.1);
  EXPECT_NEAR(s, 100, 0.1);
  xy_to_rgb(0.7, 0.29, rgb);  // deep red
  EXPECT_EQ(rgb[0], 255);
  EXPECT_LT(rgb[1], 60);
  EXPECT_EQ(kelvin_to_mireds(2700), 370);
  EXPECT_EQ(mireds_to_kelvin(370), 2703);
  EXPECT_FALSE(color_from_name("plaid", rgb));
  EXPECT_TRUE(color_from_name("Warm_White", rgb));
}

TEST(State, MessagesBecomeNormalizedState) {
  Registry reg;
  reg.upsert(discovered("light", R"({"name":"l","cmd_t":"l/set","stat_t":"l/state","bri_cmd_t":"l/b","bri_stat_t":"l/bs",
                                     "bri_scl":100,"clr_temp_cmd_t":"l/ct","clr_temp_stat_t":"l/cts","avty_t":"l/avail"})"));
  reg.upsert(discovered("sensor", R"({"name":"t","stat_t":"w/json","val_tpl":"{{ value_json.temp }}","unit_of_meas":"°C"})"));
  EXPECT_FALSE(reg.find("light.dev")->available);
  EXPECT_EQ(reg.apply_message("l/avail", "online").value(), 1);
  EXPECT_TRUE(reg.find("light.dev")->available);
  EXPECT_EQ(reg.apply_message("l/state", "ON").value(), 1);
  EXPECT_EQ(reg.apply_message("l/bs", "40").value(), 1);
  EXPECT_EQ(reg.apply_message("l/cts", "250").value(), 1);
  const Device l = *reg.find("light.dev");
  EXPECT_EQ(l.state["state"], "on");
  EXPECT_EQ(l.state["brightness"], 40);
  EXPECT_EQ(l.state["color_temp_kelvin"], 4000);
  EXPECT_EQ(reg.apply_message("l/state", "ON").value(), 0);  // no change, no event
  EXPECT_FALSE(reg.apply_message("l/state", "MAYBE"));
  EXPECT_FALSE(reg.apply_message("l/bs", "bright"));
  EXPECT_EQ(reg.find("light.dev")->state["brightness"], 40);  // a bad message changes nothing
  EXPECT_EQ(reg.apply_message("w/json", R"({"temp": 21.5, "hum": 40})").value(), 1);
  EXPECT_EQ(reg.find("sensor.dev")->state["value"], 21.5);
  EXPECT_FALSE(reg.apply_message("w/json", "{broken"));
  EXPECT_EQ(reg.apply_message("nobody/listens", "x").value(), 0);
}

TEST(State, AvailabilityModes) {
  const std::string topics = R"("avty":[{"t":"a/1"},{"t":"a/2","pl_avail":"up","pl_not_avail":"down"}])";
  Registry reg;
  reg.upsert(discovered("switch", R"({"name":"p","cmd_t":"p/set","avty_mode":"all",)" + topics + "}"));
  ASSERT_TRUE(reg.apply_message("a/1", "online"));
  EXPECT_FALSE(reg.find("switch.dev")->available);  // all: a/2 has not spoken
  ASSERT_TRUE(reg.apply_message("a/2", "up"));
  EXPECT_TRUE(reg.find("switch.dev")->available);
  ASSERT_TRUE(reg.apply_message("a/2", "down"));
  EXPECT_FALSE(reg.find("switch.dev")->available);

  Registry any;
  any.upsert(discovered("switch", R"({"name":"p","cmd_t":"p/set","avty_mode":"any",)" + topics + "}"));
  ASSERT_TRUE(any.apply_message("a/2", "up"));
  ASSERT_TRUE(any.apply_message("a/1", "offline"));
  EXPECT_TRUE(any.find("switch.dev")->available);

  Registry latest;
  latest.upsert(discovered("switch", R"({"name":"p","cmd_t":"p/set",)" + topics + "}"));
  ASSERT_TRUE(latest.apply_message("a/2", "up"));
  ASSERT_TRUE(latest.apply_message("a/1", "offline"));
  EXPECT_FALSE(latest.find("switch.dev")->available);
  ASSERT_TRUE(latest.apply_message("a/1", "something else"));  // neither word: no change
  EXPECT_FALSE(latest.find("switch.dev")->available);
}

TEST(State, LockCoverAndClimateWords) {
  Registry reg;
  reg.upsert(discovered("lock", R"({"name":"d","cmd_t":"d/set","stat_t":"d/state"})"));
  reg.upsert(discovered("cover", R"({"name":"g","cmd_t":"g/set","pos_t":"g/pos","pos_open":255})"));
  reg.upsert(discovered("climate", R"({"name":"t","temp_cmd_t":"t/set","temp_stat_t":"t/target","curr_temp_t":"t/now","temp_unit":"F"})"));
  ASSERT_TRUE(reg.apply_message("d/state", "JAMMED"));
  EXPECT_EQ(reg.find("lock.dev")->state["state"], "jammed");
  ASSERT_TRUE(reg.apply_message("g/pos", "255"));
  EXPECT_EQ(reg.find("cover.dev")->state["position"], 100);
  EXPECT_EQ(reg.find("cover.dev")->state["state"], "open");
  ASSERT_TRUE(reg.apply_message("t/now", "68"));
  EXPECT_NEAR(reg.find("climate.dev")->state["current_temperature_c"].get<double>(), 20.0, 0.01);
}

TEST(State, ExpectedStatesMatchWithTolerance) {
  Device light = discovered("light", R"({"name":"l","cmd_t":"l/set","clr_temp_cmd_t":"c"})");
  DeviceState want = expected_state(light, act(ActionKind::kSetColorTemp, 2700));
  EXPECT_TRUE(state_matches({{"state", "on"}, {"color_temp_kelvin", 2703}}, want));
  EXPECT_FALSE(state_matches({{"state", "off"}, {"color_temp_kelvin", 2703}}, want));
  Device cover = discovered("cover", R"({"name":"g","cmd_t":"g/set"})");
  EXPECT_TRUE(state_matches({{"state", "opening"}}, expected_state(cover, act(ActionKind::kOpen))));
}

TEST(Registry, ConfiguredNamesWinOverDiscoveryAndListenersSeeChanges) {
  Registry reg;
  std::vector<std::string> events;
  reg.add_listener([&](const Change& c) { events.push_back(std::string(to_string(c.kind)) + ":" + c.device.id); });
  Device mine;
  mine.id = "switch.dev";
  mine.name = "coffee machine";
  mine.aliases = {"coffee"};
  mine.area = "kitchen";
  mine.domain = "switch";
  mine.expose = false;
  reg.set_configured({mine});
  reg.upsert(discovered("switch", R"({"name":"plug 3","cmd_t":"p/set","stat_t":"p/state","dev":{"sa":"garage"}})"));
  Device d = *reg.find("switch.dev");
  EXPECT_EQ(d.name, "coffee machine");
  EXPECT_EQ(d.area, "kitchen");
  EXPECT_FALSE(d.expose);
  EXPECT_EQ(d.transport.topic("command"), "p/set");
  EXPECT_TRUE(reg.remove("switch.dev"));
  ASSERT_TRUE(reg.find("switch.dev"));  // still listed by the user, without transport
  EXPECT_EQ(reg.find("switch.dev")->transport.schema, Schema::kNone);
  EXPECT_EQ(events, (std::vector<std::string>{"added:switch.dev", "updated:switch.dev", "updated:switch.dev"}));
}

}  // namespace
}  // namespace hearth::devices
