// The OpenAI-compatible cloud client: request with the contract as tools, validated tool calls.
#include "hearth/nlu/cloud.h"

#include <httplib.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "hearth/color_names.h"
#include "hearth/nlu/contract.h"
#include "names.h"

namespace hearth::nlu {

namespace {

using nlohmann::json;

std::vector<std::string> names_of(const Home& home) {
  std::set<std::string> out = {"all"};
  for (const Device& d : home.devices) {
    if (!d.expose) continue;
    out.insert(d.name);
    out.insert(d.aliases.begin(), d.aliases.end());
  }
  return {out.begin(), out.end()};
}

json slot_schema(const SlotSpec& s, const Home& home) {
  switch (s.kind) {
    case SlotKind::kDeviceName: return {{"type", "string"}, {"enum", names_of(home)}};
    case SlotKind::kArea: {
      std::vector<std::string> v;
      for (const Area& a : home.areas) v.push_back(a.name);
      return {{"type", "string"}, {"enum", v}};
    }
    case SlotKind::kFloor: {
      std::vector<std::string> v;
      for (const Floor& f : home.floors) v.push_back(f.name);
      return {{"type", "string"}, {"enum", v}};
    }
    case SlotKind::kDomain: return {{"type", "string"}, {"enum", known_domains()}};
    case SlotKind::kDeviceClass: return {{"type", "string"}, {"enum", known_device_classes()}};
    case SlotKind::kState: return {{"type", "string"}, {"enum", states()}};
    case SlotKind::kEnum: return {{"type", "string"}, {"enum", s.values}};
    case SlotKind::kInteger: return {{"type", "integer"}, {"minimum", s.min}, {"maximum", s.max}};
    case SlotKind::kNumber: return {{"type", "number"}, {"minimum", s.min}, {"maximum", s.max}};
    case SlotKind::kText:
    case SlotKind::kListName: return {{"type", "string"}};
    case SlotKind::kColor: {
      std::vector<std::string> names;
      for (const auto& c : color_names()) names.emplace_back(c.name);
      return {{"type", "string"}, {"enum", names}};
    }
  }
  return {{"type", "string"}};
}

Fail<Error> cloud_fail(CloudErrorKind kind, const std::string& message) {
  static const char* words[] = {"unreachable", "timeout", "server error", "bad response", "rejected"};
  return fail(ErrorCode::kModel, std::string(words[static_cast<int>(kind)]) + ": " + message);
}

// Every name, area and floor a tool call uses must be one of the home's (exposed) ones.
Result<void> check_names(const Intent& i, const Home& home) {
  auto text = [&](const char* key) {
    auto it = i.slots.find(key);
    return it != i.slots.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  const IntentSpec* spec = find_intent(i.name);
  for (const SlotSpec& s : spec->slots) {
    const std::string v = text(s.key.c_str());
    if (v.empty()) continue;
    if (s.kind == SlotKind::kDeviceName) {
      if (fold(v) == "all") continue;
      bool found = false;
      for (const Device& d : home.devices) {
        if (!d.expose) continue;
        found |= name_key(d.name) == name_key(v);
        for (const auto& a : d.aliases) found |= name_key(a) == name_key(v);
      }
      if (!found) return cloud_fail(CloudErrorKind::kRejected, "the cloud model named '" + v + "', which is not a device here");
    } else if (s.kind == SlotKind::kArea && !home.find_area(v)) {
      return cloud_fail(CloudErrorKind::kRejected, "the cloud model named the area '" + v + "', which does not exist");
    } else if (s.kind == SlotKind::kFloor && !home.find_floor(v)) {
      return cloud_fail(CloudErrorKind::kRejected, "the cloud model named the floor '" + v + "', which does not exist");
    }
  }
  return {};
}

}  // namespace

std::string read_api_key(const std::string& env_var, const std::string& file) {
  if (!env_var.empty())
    if (const char* v = std::getenv(env_var.c_str()); v && *v) return v;
  if (file.empty()) return {};
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

CloudClient::~CloudClient() = default;

Result<std::unique_ptr<CloudClient>> CloudClient::create(const CloudOptions& options) {
  if (options.base_url.rfind("http://", 0) != 0 && options.base_url.rfind("https://", 0) != 0)
    return fail(ErrorCode::kInvalidInput, "cloud base URL '" + options.base_url + "' must start with http:// or https://");
  if (options.model.empty()) return fail(ErrorCode::kInvalidInput, "no cloud model name is set");
  if (options.timeout_ms < 100 || options.timeout_ms > 120000)
    return fail(ErrorCode::kInvalidInput, "cloud timeout must be 100 to 120000 ms");
  std::unique_ptr<CloudClient> c(new CloudClient());
  c->options_ = options;
  return c;
}

std::string CloudClient::request_body(const std::string& model, const std::string& text, const Home& home,
                                      const std::vector<Intent>& prev) {
  std::string devices;
  for (const Device& d : home.devices) {
    if (!d.expose) continue;
    devices += "- " + d.name + " (" + d.domain + (d.device_class.empty() ? "" : ", " + d.device_class) +
               (d.area.empty() ? "" : ", in the " + d.area) + ")\n";
  }
  std::string system =
      "You are the voice assistant of a home. Call one tool per action the user asks for, in order, using only "
      "these devices, areas and floors. If the user asks for no device action, answer in one short sentence "
      "without tools.\nDevices:\n" + devices;
  if (!prev.empty()) system += "The previous request was: " + encode_intents(prev) + "\n";
  json tools = json::array();
  for (const IntentSpec& spec : intent_specs()) {
    if (spec.name == "chat") continue;
    json props = json::object();
    for (const SlotSpec& s : spec.slots) props[s.key] = slot_schema(s, home);
    tools.push_back({{"type", "function"},
                     {"function", {{"name", spec.name},
                                   {"description", "Home Assistant intent " + spec.name},
                                   {"parameters", {{"type", "object"}, {"properties", props}, {"additionalProperties", false}}}}}});
  }
  json body = {{"model", model},
               {"messages", json::array({{{"role", "system"}, {"content", system}}, {{"role", "user"}, {"content", text}}})},
               {"tools", tools},
               {"tool_choice", "auto"},
               {"temperature", 0}};
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<CloudResult> CloudClient::parse_response(const std::string& body, const Home& home) {
  const json j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return cloud_fail(CloudErrorKind::kBadResponse, "the reply is not JSON");
  if (!j.contains("choices") || !j["choices"].is_array() || j["choices"].empty() || !j["choices"][0].is_object() ||
      !j["choices"][0].contains("message") || !j["choices"][0]["message"].is_object())
    return cloud_fail(CloudErrorKind::kBadResponse, "the reply has no choices[0].message");
  const json& msg = j["choices"][0]["message"];
  CloudResult out;
  if (msg.contains("content") && msg["content"].is_string()) out.reply = msg["content"].get<std::string>();
  if (!msg.contains("tool_calls") || msg["tool_calls"].is_null()) {
    if (out.reply.empty()) return cloud_fail(CloudErrorKind::kBadResponse, "the reply has neither text nor tool calls");
    return out;
  }
  if (!msg["tool_calls"].is_array()) return cloud_fail(CloudErrorKind::kBadResponse, "tool_calls is not a list");
  json flat = json::array();
  for (const json& call : msg["tool_calls"]) {
    if (!call.is_object() || !call.contains("function") || !call["function"].is_object() ||
        !call["function"].contains("name") || !call["function"]["name"].is_string())
      return cloud_fail(CloudErrorKind::kBadResponse, "a tool call has no function name");
    const json& fn = call["function"];
    json args = json::object();
    if (fn.contains("arguments")) {
      // The spec sends arguments as a JSON string; some servers send the object itself.
      args = fn["arguments"].is_string() ? json::parse(fn["arguments"].get<std::string>(), nullptr, false) : fn["arguments"];
      if (args.is_discarded() || !args.is_object())
        return cloud_fail(CloudErrorKind::kBadResponse, "the arguments of " + fn["name"].get<std::string>() + " are not a JSON object");
    }
    json o = {{"intent", fn["name"]}};
    for (auto kv = args.begin(); kv != args.end(); ++kv) o[kv.key()] = kv.value();
    if (o["intent"] == "chat") return cloud_fail(CloudErrorKind::kRejected, "the cloud model called an unknown tool 'chat'");
    flat.push_back(std::move(o));
  }
  auto intents = decode_intents(flat.dump());
  if (!intents) return cloud_fail(CloudErrorKind::kRejected, intents.error().message);
  for (const Intent& i : *intents)
    if (auto r = check_names(i, home); !r) return Fail(r.error());
  out.intents = std::move(intents).value();
  return out;
}

Result<CloudResult> CloudClient::understand(const std::string& text, const Home& home, const std::vector<Intent>& prev) {
  const std::string& url = options_.base_url;
  const size_t scheme_end = url.find("://") + 3;
  const size_t path_start = url.find('/', scheme_end);
  const std::string origin = path_start == std::string::npos ? url : url.substr(0, path_start);
  std::string path = path_start == std::string::npos ? "" : url.substr(path_start);
  while (!path.empty() && path.back() == '/') path.pop_back();
  path += "/chat/completions";
  httplib::Client cli(origin);
  if (!cli.is_valid()) return cloud_fail(CloudErrorKind::kUnreachable, "cannot use the URL " + url);
  const time_t secs = options_.timeout_ms / 1000;
  const time_t usecs = (options_.timeout_ms % 1000) * 1000;
  cli.set_connection_timeout(secs, usecs);
  cli.set_read_timeout(secs, usecs);
  cli.set_write_timeout(secs, usecs);
  cli.enable_server_certificate_verification(options_.verify_tls);
  if (!options_.ca_file.empty()) cli.set_ca_cert_path(options_.ca_file.c_str());
  httplib::Headers headers;
  if (!options_.api_key.empty()) headers.emplace("Authorization", "Bearer " + options_.api_key);
  auto res = cli.Post(path.c_str(), headers, request_body(options_.model, text, home, prev), "application/json");
  if (!res) {
    const auto e = res.error();
    if (e == httplib::Error::Read || e == httplib::Error::Write || e == httplib::Error::ConnectionTimeout)
      return cloud_fail(CloudErrorKind::kTimeout, "no answer from " + origin + " within " + std::to_string(options_.timeout_ms) + " ms");
    return cloud_fail(CloudErrorKind::kUnreachable, "cannot reach " + origin + " (" + httplib::to_string(e) + ")");
  }
  if (res->status != 200)
    return cloud_fail(CloudErrorKind::kServer, origin + " answered HTTP " + std::to_string(res->status) + ": " +
                                                   res->body.substr(0, 200));
  return parse_response(res->body, home);
}

}  // namespace hearth::nlu
