// app/src/config.h — hearth.yaml: the settings of the hearth executable.
//
// Every setting has a default, so no file is needed. load_config() searches, in order:
// the --config path, $XDG_CONFIG_HOME/hearth/hearth.yaml (~/.config/...), /etc/hearth/hearth.yaml.
// A file is validated completely: an unknown key, a wrong type or an out-of-range value is an
// error that names the file, line and key.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hearth/result.h"

namespace hearth::app {

struct Config {
  struct Log {
    std::string level = "info";  // trace, debug, info, warn, error, off
    std::string file;            // empty: <state dir>/hearth.log, headless mode only
    int max_size_mb = 10;
    int max_files = 5;
  } log;
  struct Storage {
    std::string database;        // empty: $XDG_DATA_HOME/hearth/hearth.db
    int busy_timeout_ms = 5000;
    std::string durability = "normal";  // normal: survives crashes; full: also power cuts
  } storage;
  struct Mqtt {
    std::string host;            // empty: start a private local broker
    int port = 1883;             // of the configured host (the local broker picks a free port)
    std::string mosquitto = "/usr/sbin/mosquitto";  // broker binary for the local broker
    std::string client_id = "hearth";  // persistent: the broker keeps hearth's session under it
    std::string username;
    std::string password_file;   // first line: the password; must not be readable by others
    std::string tls_ca_file;     // set: TLS on
    std::string tls_cert_file, tls_key_file;
    std::string topic_prefix = "hearth";  // hearth's own topics: <prefix>/status
    std::string discovery_prefix = "homeassistant";
    std::string zigbee2mqtt_base = "zigbee2mqtt";
  } mqtt;
  struct Hub {  // the device side of the hub (the devices themselves: floors/areas/devices)
    int command_ttl_ms = 10000;      // a command not delivered by then is dropped and reported
    int confirm_timeout_ms = 3000;   // how long to wait for a device to report the change
    std::string expose_discovered = "on";  // whether discovered devices can be controlled
    std::string simulator = "auto";  // auto: simulate a home on the private local broker
    std::string hermes = "on";       // answer Rhasspy Hermes NLU queries on the broker
    int command_qos = 2;             // hub -> broker: 2 never repeats a command across a broker restart
  } hub;
  struct Http {
    std::string bind = "127.0.0.1";  // any other address requires token_file
    int port = 8770;                 // 0: no HTTP API
    std::string token_file;          // bearer token (first line); required off loopback
    int max_body_kb = 64;            // larger request bodies get 413
    int rate_limit_per_s = 50;       // requests per second per client address (0: no limit)
    int threads = 16;                // concurrent connections served (event streams hold one each)
  } http;
  struct Nlu {
    std::string model;           // empty: the embedded default model
    std::string devices;         // devices file (empty: an empty home)
    std::string chat_format;     // for a general (non-hearth) model: chatml, llama2, llama3, zephyr
    int threads = 0;             // 0: physical cores
    int confidence_threshold_percent = 30;
    int session_window_s = 30;
  } nlu;
  struct Audio {
    std::string voice_input = "auto";  // auto: listen when a microphone opens; on: insist; off
    std::string input_device;    // name part or index (`hearth audio devices`); empty: default
    std::string output_device;
    std::string wake_model;      // .hww file; empty: the embedded model of the wake_word phrase
    int wake_sensitivity_percent = 50;  // higher wakes more easily, and falsely more often
    int max_utterance_ms = 8000;
    std::string noise_suppression = "on";  // on: steady background noise is taken out first
  } audio;
  struct Cloud {                 // used only when the cloud_fallback preference allows it
    std::string base_url;        // OpenAI-compatible API, e.g. https://api.example.com/v1
    std::string model;
    std::string api_key_file;    // the key: $HEARTH_CLOUD_API_KEY, else the first line of this file
    int timeout_ms = 8000;
    std::string verify_tls = "on";
  } cloud;

  std::string source;            // the file it came from, or "" for built-in defaults
  bool has_home_sections = false;  // the file itself has floors:, areas: or devices: (the home)
};

struct ConfigError {
  std::string message;  // "FILE:LINE:COL: key 'a.b': what is wrong"
};

// Loads and validates one file.
Result<Config, ConfigError> load_config_file(const std::string& path);
// Searches the standard places (explicit_path first, which must exist when given).
Result<Config, ConfigError> load_config(const std::optional<std::string>& explicit_path);
// The effective configuration as YAML (every key, defaults included).
std::string config_to_yaml(const Config& config);
std::string config_to_json(const Config& config);

// The keys a file may hold, "section.key", with their help text; for docs and `config show`.
struct ConfigKey {
  std::string path;
  std::string help;
};
std::vector<ConfigKey> config_keys();

// Standard folders (XDG base directories with their documented fallbacks).
std::string config_home();  // $XDG_CONFIG_HOME or ~/.config
std::string data_home();    // $XDG_DATA_HOME or ~/.local/share
std::string state_home();   // $XDG_STATE_HOME or ~/.local/state
// storage.database, or the default under data_home().
std::string database_path(const Config& config);
// The folder for logs and runtime files: $STATE_DIRECTORY (systemd) or state_home()/hearth.
std::string state_dir();

}  // namespace hearth::app
