// libFuzzer target: any bytes through the NLU's parsers of outside input: the devices file, the
// model's output, evaluation-set intents and the cloud model's HTTP reply. The first byte picks
// the parser. Nothing may crash or hang; errors are fine.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "hearth/nlu/cloud.h"
#include "hearth/nlu/home.h"
#include "hearth/nlu/intent.h"
#include "hearth/nlu/prompt.h"
#include "hearth/nlu/resolver.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hearth::nlu;
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  static const Home home = [] {
    auto h = Home::parse(
        "areas:\n  - {name: kitchen}\ndevices:\n  - {id: light.a, name: lamp, area: kitchen, domain: light}\n"
        "  - {id: lock.b, name: front door, domain: lock}\n",
        "fuzz-home.yaml");
    return h ? h.value() : Home{};
  }();
  switch (data[0] % 4) {
    case 0: {
      auto h = Home::parse(text, "fuzz.yaml");
      if (h)
        for (const Device& d : h->devices) (void)resolve(Intent{"HassTurnOn", {{"name", d.name}}, {}}, *h, d.area);
      break;
    }
    case 1: {
      auto intents = decode_intents(text);
      if (intents) {
        (void)encode_intents(*intents);
        for (const Intent& i : *intents) (void)resolve(i, home, "kitchen");
      }
      break;
    }
    case 2: {
      auto j = nlohmann::json::parse(text, nullptr, false);
      if (!j.is_discarded()) (void)intents_from_json(j);
      (void)normalize(text);
      break;
    }
    default:
      (void)CloudClient::parse_response(text, home);
  }
  return 0;
}
