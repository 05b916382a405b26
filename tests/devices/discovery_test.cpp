// Home Assistant discovery and Zigbee2MQTT device lists -> registry devices.
#include <gtest/gtest.h>

#include "hearth/devices/discovery.h"

namespace hearth::devices {
namespace {

Device parse_ok(const std::string& topic, const std::string& payload) {
  auto r = parse_ha_discovery(topic, payload);
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  if (!r) return {};
  EXPECT_FALSE(r->removal);
  return r->device;
}

TEST(Discovery, LightDefaultSchemaWithAbbreviationsAndBaseTopic) {
  Device d = parse_ok("homeassistant/light/kitchen_main/config",
                      R"({"~":"home/kitchen","name":"kitchen light","cmd_t":"~/set","stat_t":"~/state",
                          "bri_cmd_t":"~/bri/set","bri_stat_t":"~/bri","bri_scl":100,"rgb_cmd_t":"~/rgb/set",
                          "clr_temp_cmd_t":"~/ct/set","dev":{"ids":["k1"],"sa":"kitchen"},"avty_t":"~/status"})");
  EXPECT_EQ(d.id, "light.kitchen_main");
  EXPECT_EQ(d.name, "kitchen light");
  EXPECT_EQ(d.area, "kitchen");
  EXPECT_EQ(d.domain, "light");
  EXPECT_EQ(d.transport.schema, Schema::kHaDefault);
  EXPECT_EQ(d.transport.topic("command"), "home/kitchen/set");
  EXPECT_EQ(d.transport.topic("brightness_command"), "home/kitchen/bri/set");
  EXPECT_EQ(d.transport.brightness_scale, 100);
  EXPECT_TRUE(d.has_feature("brightness"));
  EXPECT_TRUE(d.has_feature("color"));
  EXPECT_TRUE(d.has_feature("color_temp"));
  ASSERT_EQ(d.transport.availability.size(), 1u);
  EXPECT_EQ(d.transport.availability[0].topic, "home/kitchen/status");
  EXPECT_FALSE(d.available);  // until the availability topic says online
}

TEST(Discovery, LightJsonSchemaWithNodeId) {
  Device d = parse_ok("homeassistant/light/bridge1/lamp/config",
                      R"({"schema":"json","name":"lamp","command_topic":"l/set","state_topic":"l/state",
                          "supported_color_modes":["rgb","color_temp"],"brightness":true})");
  EXPECT_EQ(d.id, "light.bridge1_lamp");
  EXPECT_EQ(d.transport.schema, Schema::kHaJson);
  EXPECT_TRUE(d.has_feature("brightness"));
  EXPECT_TRUE(d.has_feature("color"));
  EXPECT_TRUE(d.has_feature("color_temp"));
}

TEST(Discovery, EveryComponent) {
  struct Case {
    std::string component, payload, feature;
  };
  const std::vector<Case> cases = {
      {"switch", R"({"name":"plug","cmd_t":"p/set","stat_t":"p/state","dev_cla":"outlet"})", ""},
      {"fan", R"({"name":"fan","cmd_t":"f/set","pct_cmd_t":"f/pct/set","spd_rng_min":1,"spd_rng_max":4})", "speed"},
      {"cover", R"({"name":"garage door","cmd_t":"g/set","set_pos_t":"g/pos/set","pos_t":"g/pos","dev_cla":"garage"})", "position"},
      {"lock", R"({"name":"front door","cmd_t":"d/set","stat_t":"d/state"})", ""},
      {"climate", R"({"name":"thermostat","temp_cmd_t":"t/set","temp_stat_t":"t/target","curr_temp_t":"t/now","temp_unit":"F","min_temp":50,"max_temp":86})", "temperature"},
      {"valve", R"({"name":"sprinkler","cmd_t":"v/set","stat_t":"v/state"})", ""},
      {"scene", R"({"name":"movie night","cmd_t":"s/set","pl_on":"GO"})", ""},
      {"sensor", R"({"name":"outside","stat_t":"s/t","unit_of_meas":"°C","dev_cla":"temperature","val_tpl":"{{ value_json.temperature }}"})", ""},
      {"binary_sensor", R"({"name":"motion","stat_t":"m/state","dev_cla":"motion"})", ""},
      {"vacuum", R"({"name":"robot","cmd_t":"v/cmd","stat_t":"v/state"})", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.component);
    Device d = parse_ok("homeassistant/" + c.component + "/x/config", c.payload);
    EXPECT_EQ(d.domain, c.component);
    EXPECT_EQ(d.id, c.component + ".x");
    if (!c.feature.empty()) {
      EXPECT_TRUE(d.has_feature(c.feature));
    }
  }
  Device climate = parse_ok("homeassistant/climate/x/config", cases[4].payload);
  EXPECT_EQ(climate.transport.temperature_unit, "F");
  EXPECT_NEAR(climate.min_temp_c, 10.0, 0.01);
  EXPECT_NEAR(climate.max_temp_c, 30.0, 0.01);
  Device sensor = parse_ok("homeassistant/sensor/x/config", cases[7].payload);
  EXPECT_EQ(sensor.transport.value_keys.at("state"), "temperature");
  EXPECT_EQ(sensor.state["unit"], "°C");
  Device scene = parse_ok("homeassistant/scene/x/config", cases[6].payload);
  EXPECT_EQ(scene.transport.payloads.at("on"), "GO");
}

TEST(Discovery, EmptyPayloadRemoves) {
  auto r = parse_ha_discovery("homeassistant/switch/plug/config", "");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->removal);
  EXPECT_EQ(r->id, "switch.plug");
}

TEST(Discovery, BadConfigsAreRefusedWithTheTopicAndTheProblem) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"homeassistant/light/x/config", "{not json"},
      {"homeassistant/light/x/config", "[1,2]"},
      {"homeassistant/light/x/config", R"({"name":"x","cmd_t":5})"},
      {"homeassistant/light/x/config", R"({"name":"x"})"},                        // no command topic
      {"homeassistant/light/x/config", R"({"name":"x","cmd_t":"a/#"})"},          // wildcard
      {"homeassistant/light/x/config", R"({"name":"x","cmd_t":"a","schema":"template"})"},
      {"homeassistant/teleporter/x/config", R"({"name":"x","cmd_t":"a"})"},      // unknown component
      {"homeassistant/sensor/x/config", R"({"name":"x"})"},                       // no state topic
      {"homeassistant/sensor/x/config", R"({"name":"x","stat_t":"s","val_tpl":"{{ value | int }}"})"},
      {"homeassistant/cover/x/config", R"({"name":"x","cmd_t":"c","pos_open":5,"pos_clsd":5})"},
      {"homeassistant/light/x/config", std::string(1 << 20, '{')},
      {"homeassistant/x/config", R"({})"},
  };
  for (const auto& [topic, payload] : bad) {
    auto r = parse_ha_discovery(topic, payload);
    ASSERT_FALSE(r) << topic << " " << payload.substr(0, 60);
    EXPECT_EQ(r.error().code, ErrorCode::kBadMessage);
    EXPECT_NE(r.error().message.find(topic), std::string::npos) << r.error().message;
  }
}

TEST(Discovery, TemplateKeys) {
  EXPECT_EQ(template_key("{{ value_json.state }}"), "state");
  EXPECT_EQ(template_key("{{value_json['a'].b}}"), "a.b");
  EXPECT_EQ(template_key("{{ value_json[\"temp\"] }}"), "temp");
  EXPECT_EQ(template_key("{{ value | float }}"), "");
  EXPECT_EQ(template_key("{% if x %}"), "");
}

TEST(Discovery, Zigbee2MqttDeviceList) {
  const std::string list = R"([
    {"type":"Coordinator","friendly_name":"Coordinator"},
    {"type":"Router","friendly_name":"living room/lamp","definition":{"exposes":[
      {"type":"light","features":[{"name":"state","property":"state","value_on":"ON","value_off":"OFF"},
        {"name":"brightness","property":"brightness","value_max":254},{"name":"color_temp","property":"color_temp"},
        {"name":"color_xy","property":"color"}]}]}},
    {"type":"EndDevice","friendly_name":"hall sensor","definition":{"exposes":[
      {"type":"numeric","name":"temperature","property":"temperature","unit":"°C"},
      {"type":"numeric","name":"humidity","property":"humidity","unit":"%"}]}},
    {"type":"EndDevice","friendly_name":"not interviewed","definition":null}
  ])";
  auto r = parse_z2m_devices(list);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 3u);
  const Device& lamp = (*r)[0];
  EXPECT_EQ(lamp.id, "light.living_room_lamp");
  EXPECT_EQ(lamp.name, "lamp");
  EXPECT_EQ(lamp.area, "living room");
  EXPECT_EQ(lamp.transport.schema, Schema::kZigbee2Mqtt);
  EXPECT_EQ(lamp.transport.topic("command"), "zigbee2mqtt/living room/lamp/set");
  EXPECT_TRUE(lamp.has_feature("brightness"));
  EXPECT_TRUE(lamp.has_feature("color"));
  EXPECT_EQ((*r)[1].id, "sensor.hall_sensor");
  EXPECT_EQ((*r)[2].id, "sensor.hall_sensor_humidity");
  EXPECT_FALSE(parse_z2m_devices("{}"));
  EXPECT_FALSE(parse_z2m_devices("[1]"));
  EXPECT_FALSE(parse_z2m_devices(R"([{"type":"EndDevice"}])"));
}

}  // namespace
}  // namespace hearth::devices
