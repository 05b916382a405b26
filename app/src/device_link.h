// app/src/device_link.h — joining devices/ to the rest: settings from the config, the devices
// file as registry entries, the registry as the NLU's home, and where the broker is.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config.h"
#include "hearth/devices/hermes.h"
#include "hearth/devices/hub.h"
#include "hearth/devices/local_broker.h"
#include "hearth/devices/simulator.h"
#include "hearth/nlu/home.h"
#include "hearth/nlu/parser.h"
#include "hearth/storage/database.h"
#include "hearth/storage/outbox.h"

namespace hearth::app {

struct BrokerAddress {
  std::string host;
  int port = 0;
};

// The hub's settings from the config, for the broker at `broker`.
devices::HubOptions hub_options(const Config& config, const BrokerAddress& broker);
// The devices the user listed in the devices file, as registry entries (with their MQTT settings).
std::vector<devices::Device> configured_devices(const nlu::Home& home, const std::string& z2m_base = "zigbee2mqtt");
// The home the NLU sees: the devices file's floors and areas, areas the registry's devices name
// that the file does not, and every exposed device of the registry.
nlu::Home home_from_registry(const nlu::Home& layout, const std::vector<devices::Device>& devices);

// Where the broker of `hearth run` is: mqtt.host when set, else the private broker a running
// hearth wrote to <state dir>/broker; nullopt when neither.
std::optional<BrokerAddress> broker_address(const Config& config);
void write_broker_file(const BrokerAddress& broker);
void remove_broker_file();

// Whether the simulated home runs: hub.simulator on, or auto with the private local broker
// and no devices file (a devices file describes a real home).
bool simulator_wanted(const Config& config);

// The home's floors, areas and listed devices: the devices file of the config (nlu.devices), the
// sections of hearth.yaml, the simulated home's layout when the simulator runs, or an empty home.
// kBadHome for a bad file.
nlu::Result<nlu::Home> layout_home(const Config& config);

// Keeps the parser's home (the names its grammar allows) in step with the registry: rebuilds it
// when the registry's layout changed since `seen`, which it updates.
void follow_registry(nlu::IntentParser& parser, const nlu::Home& layout, devices::DeviceHub& hub, uint64_t& seen);

// A Hermes NLU answer from hearth's parser: recognized when the parse is confident (at or above
// the threshold) and names at least one intent that is not chat.
devices::HermesParse hermes_parse(nlu::IntentParser& parser, const std::string& text, double threshold);

// For one-shot commands (say, devices): a hub of their own on the broker `hearth run` uses, under
// a client id of their own and with a private outbox in a temporary folder. A one-shot command
// waits for its answer, and the service's durable outbox must stay the service's alone: two
// couriers reading one outbox would deliver its commands twice.
struct CliDevices {
  std::string dir;
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<storage::Outbox> outbox;
  std::unique_ptr<devices::DeviceHub> hub;
  ~CliDevices();
};
// Connects and waits for the retained announcements (at most discovery_ms).
Result<std::unique_ptr<CliDevices>, std::string> connect_cli_devices(const Config& config, const nlu::Home& layout,
                                                                     int discovery_ms);

// Everything `hearth run` needs to reach devices: the broker (private or configured), the
// simulated home when asked for, and the hub.
struct DeviceSide {
  std::unique_ptr<devices::LocalBroker> broker;   // only when hearth started it
  std::unique_ptr<devices::Simulator> simulator;  // only when it runs
  std::unique_ptr<devices::DeviceHub> hub;
  BrokerAddress address;
};
// storage::Outbox must outlive the result.
Result<DeviceSide, std::string> start_device_side(const Config& config, storage::Outbox& outbox,
                                                  const std::vector<devices::Device>& configured, bool start_broker);

}  // namespace hearth::app
