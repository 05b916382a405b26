#include "config.h"

#include "hearth/nlu/home.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <variant>

namespace hearth::app {

namespace {

using StringRef = std::string& (*)(Config&);
using IntRef = int& (*)(Config&);

struct Field {
  std::string_view path;
  std::string_view help;
  std::variant<StringRef, IntRef> ref;
  std::vector<std::string_view> choices;  // strings: allowed values (empty: any)
  int min = 0, max = 0;                   // ints: inclusive range
};

const std::vector<Field>& fields() {
  static const std::vector<Field> kFields = {
      {"log.level", "trace, debug, info, warn, error or off",
       +[](Config& c) -> std::string& { return c.log.level; }, {"trace", "debug", "info", "warn", "error", "off"}},
      {"log.file", "log file in headless mode (default: <state dir>/hearth.log)",
       +[](Config& c) -> std::string& { return c.log.file; }},
      {"log.max_size_mb", "size at which the log file is rotated", +[](Config& c) -> int& { return c.log.max_size_mb; },
       {}, 1, 1024},
      {"log.max_files", "rotated log files kept", +[](Config& c) -> int& { return c.log.max_files; }, {}, 1, 100},
      {"storage.database", "SQLite file (default: $XDG_DATA_HOME/hearth/hearth.db)",
       +[](Config& c) -> std::string& { return c.storage.database; }},
      {"storage.busy_timeout_ms", "how long a write waits for another process",
       +[](Config& c) -> int& { return c.storage.busy_timeout_ms; }, {}, 100, 600000},
      {"storage.durability", "normal (survives crashes) or full (also power cuts, slower)",
       +[](Config& c) -> std::string& { return c.storage.durability; }, {"normal", "full"}},
      {"mqtt.host", "MQTT broker host (empty: start a private local broker)",
       +[](Config& c) -> std::string& { return c.mqtt.host; }},
      {"mqtt.port", "MQTT broker port", +[](Config& c) -> int& { return c.mqtt.port; }, {}, 1, 65535},
      {"mqtt.mosquitto", "mosquitto binary used for the local broker",
       +[](Config& c) -> std::string& { return c.mqtt.mosquitto; }},
      {"mqtt.client_id", "MQTT client id (the broker keeps the session under it)",
       +[](Config& c) -> std::string& { return c.mqtt.client_id; }},
      {"mqtt.username", "MQTT username (empty: none)", +[](Config& c) -> std::string& { return c.mqtt.username; }},
      {"mqtt.password_file", "file whose first line is the MQTT password (chmod 600)",
       +[](Config& c) -> std::string& { return c.mqtt.password_file; }},
      {"mqtt.tls_ca_file", "CA certificate of the broker; set: connect with TLS",
       +[](Config& c) -> std::string& { return c.mqtt.tls_ca_file; }},
      {"mqtt.tls_cert_file", "client certificate for TLS (with tls_key_file)",
       +[](Config& c) -> std::string& { return c.mqtt.tls_cert_file; }},
      {"mqtt.tls_key_file", "client key for TLS", +[](Config& c) -> std::string& { return c.mqtt.tls_key_file; }},
      {"mqtt.topic_prefix", "prefix of hearth's own topics (<prefix>/status)",
       +[](Config& c) -> std::string& { return c.mqtt.topic_prefix; }},
      {"mqtt.discovery_prefix", "Home Assistant discovery prefix",
       +[](Config& c) -> std::string& { return c.mqtt.discovery_prefix; }},
      {"mqtt.zigbee2mqtt_base", "Zigbee2MQTT base topic", +[](Config& c) -> std::string& { return c.mqtt.zigbee2mqtt_base; }},
      {"hub.command_ttl_ms", "a command the broker has not taken by then is dropped and reported",
       +[](Config& c) -> int& { return c.hub.command_ttl_ms; }, {}, 500, 3600000},
      {"hub.confirm_timeout_ms", "how long to wait for a device to report a change",
       +[](Config& c) -> int& { return c.hub.confirm_timeout_ms; }, {}, 0, 60000},
      {"hub.expose_discovered", "on: discovered devices can be controlled by voice and text",
       +[](Config& c) -> std::string& { return c.hub.expose_discovered; }, {"on", "off"}},
      {"hub.simulator", "auto: simulate a home on the private local broker when no devices file is set; on; off",
       +[](Config& c) -> std::string& { return c.hub.simulator; }, {"auto", "on", "off"}},
      {"hub.hermes", "answer Rhasspy Hermes NLU queries on the broker (on or off)",
       +[](Config& c) -> std::string& { return c.hub.hermes; }, {"on", "off"}},
      {"hub.command_qos", "MQTT QoS of device commands to the broker: 2 never repeats one across a broker restart, 1 may",
       +[](Config& c) -> int& { return c.hub.command_qos; }, {}, 1, 2},
      {"http.bind", "address of the HTTP API (other than loopback needs http.token_file)",
       +[](Config& c) -> std::string& { return c.http.bind; }},
      {"http.port", "port of the HTTP API (0: no HTTP API)", +[](Config& c) -> int& { return c.http.port; }, {}, 0, 65535},
      {"http.token_file", "file whose first line is the bearer token clients must send",
       +[](Config& c) -> std::string& { return c.http.token_file; }},
      {"http.max_body_kb", "largest request body accepted (413 beyond)", +[](Config& c) -> int& { return c.http.max_body_kb; },
       {}, 1, 10240},
      {"http.rate_limit_per_s", "requests per second one client address may make (0: no limit)",
       +[](Config& c) -> int& { return c.http.rate_limit_per_s; }, {}, 0, 100000},
      {"http.threads", "connections served at once (each event stream holds one)",
       +[](Config& c) -> int& { return c.http.threads; }, {}, 2, 256},
      {"nlu.model", "GGUF intent model (default: the embedded model)", +[](Config& c) -> std::string& { return c.nlu.model; }},
      {"nlu.devices", "devices file: floors, areas and devices (default: none)",
       +[](Config& c) -> std::string& { return c.nlu.devices; }},
      {"nlu.chat_format", "chat template of a general instruct model set as nlu.model (empty: from the file)",
       +[](Config& c) -> std::string& { return c.nlu.chat_format; }, {"", "chatml", "llama2", "llama3", "zephyr"}},
      {"nlu.threads", "threads for the model (0: physical cores)", +[](Config& c) -> int& { return c.nlu.threads; }, {}, 0, 64},
      {"nlu.confidence_threshold_percent", "below this confidence nothing is done and the user is asked to rephrase",
       +[](Config& c) -> int& { return c.nlu.confidence_threshold_percent; }, {}, 0, 100},
      {"nlu.session_window_s", "seconds a follow-up may refer to the previous request",
       +[](Config& c) -> int& { return c.nlu.session_window_s; }, {}, 1, 3600},
      {"audio.voice_input", "auto: listen for the wake word when a microphone opens; on; off",
       +[](Config& c) -> std::string& { return c.audio.voice_input; }, {"auto", "on", "off"}},
      {"audio.input_device", "microphone: part of its name or its index (`hearth audio devices`); empty: the default",
       +[](Config& c) -> std::string& { return c.audio.input_device; }},
      {"audio.output_device", "speaker for spoken replies: part of its name or its index; empty: the default",
       +[](Config& c) -> std::string& { return c.audio.output_device; }},
      {"audio.wake_model", "wake-word model file (.hww; empty: the embedded model)",
       +[](Config& c) -> std::string& { return c.audio.wake_model; }},
      {"audio.wake_sensitivity_percent", "how easily the wake word wakes hearth (higher: more false wakes)",
       +[](Config& c) -> int& { return c.audio.wake_sensitivity_percent; }, {}, 0, 100},
      {"audio.max_utterance_ms", "longest request heard after the wake word",
       +[](Config& c) -> int& { return c.audio.max_utterance_ms; }, {}, 1000, 60000},
      {"audio.noise_suppression", "take steady background noise (fans, hum) out before listening: on or off",
       +[](Config& c) -> std::string& { return c.audio.noise_suppression; }, {"on", "off"}},
      {"cloud.base_url", "OpenAI-compatible API of the cloud model (empty: no cloud)",
       +[](Config& c) -> std::string& { return c.cloud.base_url; }},
      {"cloud.model", "model name the cloud API expects", +[](Config& c) -> std::string& { return c.cloud.model; }},
      {"cloud.api_key_file", "file whose first line is the API key (or set HEARTH_CLOUD_API_KEY)",
       +[](Config& c) -> std::string& { return c.cloud.api_key_file; }},
      {"cloud.timeout_ms", "how long to wait for the cloud model", +[](Config& c) -> int& { return c.cloud.timeout_ms; }, {}, 100,
       120000},
      {"cloud.verify_tls", "check the server's certificate (on or off)", +[](Config& c) -> std::string& { return c.cloud.verify_tls; },
       {"on", "off"}},
  };
  return kFields;
}

const Field* find_field(std::string_view path) {
  for (const auto& f : fields())
    if (f.path == path) return &f;
  return nullptr;
}

bool is_section(std::string_view name) {
  for (const auto& f : fields())
    if (f.path.substr(0, f.path.find('.')) == name) return true;
  return false;
}

std::string keys_in(std::string_view section) {
  std::string out;
  for (const auto& f : fields()) {
    auto dot = f.path.find('.');
    if (section.empty() ? true : f.path.substr(0, dot) == section) {
      std::string name(section.empty() ? f.path.substr(0, dot) : f.path.substr(dot + 1));
      if (out.find(name) != std::string::npos) continue;
      if (!out.empty()) out += ", ";
      out += name;
    }
  }
  return out;
}

std::string where(const std::string& file, const YAML::Mark& m) {
  if (m.is_null()) return file;
  return file + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

// Throws std::runtime_error with the full message on the first problem.
void apply_field(Config& c, const Field& f, const YAML::Node& node, const std::string& file) {
  const std::string at = where(file, node.Mark()) + ": key '" + std::string(f.path) + "': ";
  if (!node.IsScalar()) {
    if (node.IsNull()) throw std::runtime_error(at + "has no value");
    throw std::runtime_error(at + "must be a single value, not a " + (node.IsMap() ? "map" : "list"));
  }
  if (auto* sref = std::get_if<StringRef>(&f.ref)) {
    std::string v = node.Scalar();
    if (!f.choices.empty()) {
      bool ok = false;
      for (auto ch : f.choices) ok = ok || ch == v;
      if (!ok) {
        std::string allowed;
        for (auto ch : f.choices) allowed += (allowed.empty() ? "" : ", ") + std::string(ch);
        throw std::runtime_error(at + "'" + v + "' is not allowed; use one of: " + allowed);
      }
    }
    (*sref)(c) = v;
  } else {
    auto iref = std::get<IntRef>(f.ref);
    long long v = 0;
    try {
      v = node.as<long long>();
    } catch (const YAML::Exception&) {
      throw std::runtime_error(at + "'" + node.Scalar() + "' is not a whole number");
    }
    if (v < f.min || v > f.max)
      throw std::runtime_error(at + std::to_string(v) + " is out of range " + std::to_string(f.min) + ".." +
                               std::to_string(f.max));
    iref(c) = static_cast<int>(v);
  }
}

void apply_map(Config& c, const YAML::Node& map, const std::string& prefix, const std::string& file) {
  for (auto it = map.begin(); it != map.end(); ++it) {
    // Copies: the iterator's pair is a temporary, so references into it would dangle.
    const YAML::Node key = it->first;
    const YAML::Node value_node = it->second;
    if (!key.IsScalar()) throw std::runtime_error(where(file, key.Mark()) + ": keys must be plain names");
    const std::string name = key.Scalar();
    const std::string path = prefix.empty() ? name : prefix + "." + name;
    if (prefix.empty() && (name == "floors" || name == "areas" || name == "devices") && !value_node.IsMap()) {
      // The home (the format of the devices file) may live in hearth.yaml itself; it is read and
      // checked by the NLU's parser (layout_home()), not here.
      c.has_home_sections = true;
      continue;
    }
    if (prefix.empty() && is_section(name)) {
      const YAML::Node& value = value_node;
      if (value.IsNull()) continue;  // an empty section keeps its defaults
      if (!value.IsMap())
        throw std::runtime_error(where(file, value.Mark()) + ": key '" + path + "' must be a map of settings (" +
                                 keys_in(name) + ")");
      apply_map(c, value, name, file);
      continue;
    }
    if (const Field* f = find_field(path)) {
      apply_field(c, *f, value_node, file);
      continue;
    }
    throw std::runtime_error(where(file, key.Mark()) + ": key '" + path + "' is unknown; known " +
                             (prefix.empty() ? std::string("sections: ") : "keys in '" + prefix + "': ") +
                             keys_in(prefix));
  }
}

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

std::string home() { return env_or("HOME", "/tmp"); }

}  // namespace

Result<Config, ConfigError> load_config_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return Fail(ConfigError{path + ": no such config file"});
  Config c;
  c.source = path;
  try {
    YAML::Node root = YAML::LoadFile(path);
    if (root.IsNull()) return c;  // an empty file: all defaults
    if (!root.IsMap()) return Fail(ConfigError{where(path, root.Mark()) + ": the config must be a map of sections (" + keys_in("") + ")"});
    apply_map(c, root, "", path);
  } catch (const YAML::ParserException& e) {
    return Fail(ConfigError{where(path, e.mark) + ": not valid YAML: " + e.msg});
  } catch (const YAML::BadFile&) {
    return Fail(ConfigError{path + ": cannot read the file"});
  } catch (const YAML::Exception& e) {
    return Fail(ConfigError{where(path, e.mark) + ": " + e.msg});
  } catch (const std::runtime_error& e) {
    return Fail(ConfigError{e.what()});
  }
  if (c.has_home_sections) {
    // The home's sections are checked as strictly as the settings: a bad one stops start-up.
    auto home = nlu::Home::load_sections(path);
    if (!home) return Fail(ConfigError{home.error().message});
  }
  return c;
}

Result<Config, ConfigError> load_config(const std::optional<std::string>& explicit_path) {
  if (explicit_path) return load_config_file(*explicit_path);
  for (const std::string& p : {config_home() + "/hearth/hearth.yaml", std::string("/etc/hearth/hearth.yaml")}) {
    std::error_code ec;
    if (std::filesystem::exists(p, ec)) return load_config_file(p);
  }
  return Config{};
}

std::string config_to_yaml(const Config& config) {
  Config copy = config;
  YAML::Emitter out;
  out << YAML::BeginMap;
  std::string section;
  for (const auto& f : fields()) {
    auto dot = f.path.find('.');
    std::string s(f.path.substr(0, dot));
    if (s != section) {
      if (!section.empty()) out << YAML::EndMap;
      out << YAML::Key << s << YAML::Value << YAML::BeginMap;
      section = s;
    }
    out << YAML::Key << std::string(f.path.substr(dot + 1)) << YAML::Value;
    if (auto* sref = std::get_if<StringRef>(&f.ref)) out << YAML::DoubleQuoted << (*sref)(copy);
    else out << std::get<IntRef>(f.ref)(copy);
    out << YAML::Comment(std::string(f.help));
  }
  if (!section.empty()) out << YAML::EndMap;
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

std::string config_to_json(const Config& config) {
  Config copy = config;
  nlohmann::json j = nlohmann::json::object();
  for (const auto& f : fields()) {
    auto dot = f.path.find('.');
    auto& sec = j[std::string(f.path.substr(0, dot))];
    std::string key(f.path.substr(dot + 1));
    if (auto* sref = std::get_if<StringRef>(&f.ref)) sec[key] = (*sref)(copy);
    else sec[key] = std::get<IntRef>(f.ref)(copy);
  }
  return j.dump(2);
}

std::vector<ConfigKey> config_keys() {
  std::vector<ConfigKey> out;
  for (const auto& f : fields()) out.push_back({std::string(f.path), std::string(f.help)});
  return out;
}

std::string config_home() { return env_or("XDG_CONFIG_HOME", home() + "/.config"); }
std::string data_home() { return env_or("XDG_DATA_HOME", home() + "/.local/share"); }
std::string state_home() { return env_or("XDG_STATE_HOME", home() + "/.local/state"); }

std::string database_path(const Config& config) {
  return config.storage.database.empty() ? data_home() + "/hearth/hearth.db" : config.storage.database;
}

std::string state_dir() {
  // systemd's StateDirectory= sets STATE_DIRECTORY (possibly a colon-separated list).
  std::string s = env_or("STATE_DIRECTORY", "");
  if (!s.empty()) return s.substr(0, s.find(':'));
  return state_home() + "/hearth";
}

}  // namespace hearth::app
