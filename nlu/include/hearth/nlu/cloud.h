// hearth/nlu/cloud.h — the optional cloud model: an OpenAI-compatible /v1/chat/completions client.
//
// The utterance goes out with the exposed devices (names, areas, domains) and the intent contract
// as tools; the tool calls that come back are checked against the same contract and the home
// before anything may run: unknown intents or slots, values out of range, and names of devices,
// areas or floors that do not exist (or are not exposed) are refused. Nothing else of the home
// is sent. Off unless the user allows it (the cloud_fallback preference).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "hearth/nlu/error.h"
#include "hearth/nlu/home.h"
#include "hearth/nlu/intent.h"

namespace hearth::nlu {

struct CloudOptions {
  std::string base_url;          // e.g. https://api.example.com/v1 (…/chat/completions is appended)
  std::string model;             // the model name the server expects
  std::string api_key;           // sent as a Bearer token; may be empty for local servers
  int timeout_ms = 8000;         // connect + read
  bool verify_tls = true;
  std::string ca_file;           // extra CA bundle (empty: the system's)
};

// Reads the API key: the environment variable when set, else the first line of the file.
std::string read_api_key(const std::string& env_var, const std::string& file);

enum class CloudErrorKind { kUnreachable, kTimeout, kServer, kBadResponse, kRejected };

struct CloudResult {
  std::vector<Intent> intents;  // validated; chat replies have none
  std::string reply;            // the model's text, when it answered without tools
};

class CloudClient {
 public:
  static Result<std::unique_ptr<CloudClient>> create(const CloudOptions& options);
  ~CloudClient();
  // kModel errors carry one of the CloudErrorKind words first ("timeout: ...").
  Result<CloudResult> understand(const std::string& text, const Home& home, const std::vector<Intent>& prev = {});
  // The request body understand() sends (for tests and inspection).
  static std::string request_body(const std::string& model, const std::string& text, const Home& home,
                                  const std::vector<Intent>& prev);
  // Validates a /chat/completions response body against the contract and the home.
  static Result<CloudResult> parse_response(const std::string& body, const Home& home);

 private:
  CloudClient() = default;
  CloudOptions options_;
};

}  // namespace hearth::nlu
