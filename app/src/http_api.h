// app/src/http_api.h — the hub's local HTTP API (cpp-httplib).
//
//   POST /api/say      {text, area?, session?} -> the understanding, what was done, the reply
//   GET  /api/devices  every device with area, state and source
//   GET  /api/prefs    every preference; PUT /api/prefs {key: value, ...} (all checked first)
//   GET  /api/history  ?search=TEXT&limit=N, newest first
//   GET  /api/events   server-sent events: say, device, timer, notice
//   GET  /healthz      {"status":"ok", ...}; GET /metrics (Prometheus text format)
//   POST /v1/chat/completions, GET /v1/models: OpenAI-compatible, served by the hub's model
//                      (intents as tool calls when tools are given; streaming and not)
//
// Security: binds to loopback unless configured otherwise, and any other address needs a bearer
// token from a file only its owner reads; with a token every endpoint but /healthz asks for it.
// No CORS headers (browsers on other origins are refused by the browser); bodies above
// http.max_body_kb get 413; each client address gets http.rate_limit_per_s requests a second
// (429 beyond). Requests are handed to the Assistant's queue: handler threads never run the model.
#pragma once

#include <memory>
#include <string>

#include "assistant.h"
#include "config.h"
#include "events.h"
#include "hearth/devices/hub.h"
#include "hearth/storage/database.h"
#include "metrics.h"

namespace hearth::app {

struct HttpDeps {
  storage::Database& db;
  Assistant* assistant;        // null: /api/say answers 503
  devices::DeviceHub* hub;     // null: /api/devices answers 503
  EventBus& events;
  Metrics& metrics;
};

struct HttpError {
  enum Kind { kSettings, kCannotListen } kind = kSettings;  // a bad setting / the port is taken
  std::string message;
};

class HttpApi {
 public:
  // Binds and starts serving on its own threads. Refuses a non-loopback bind without a token.
  static Result<std::unique_ptr<HttpApi>, HttpError> start(const Config::Http& settings, HttpDeps deps);
  ~HttpApi();  // stops accepting, finishes the requests in progress
  HttpApi(const HttpApi&) = delete;
  HttpApi& operator=(const HttpApi&) = delete;
  int port() const;

 private:
  struct Impl;
  explicit HttpApi(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

bool is_loopback_address(const std::string& address);

}  // namespace hearth::app
