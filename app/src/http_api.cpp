#include "http_api.h"

// Debian's cpp-httplib is a compiled library: its compile-time settings (listen backlog 5, no
// TCP_NODELAY) cannot be changed with macros here; see start() for how they are set at run time.
#include <httplib.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "hearth/audio/speech_out.h"
#include "hearth/nlu/conversation.h"
#include "hearth/storage/history.h"
#include "hearth/storage/preferences.h"

namespace hearth::app {

namespace {

std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

void reply_json(httplib::Response& res, int status, const nlohmann::json& j) {
  res.status = status;
  res.set_content(dump(j), "application/json");
}

void reply_error(httplib::Response& res, int status, const std::string& message) {
  reply_json(res, status, {{"error", message}});
}

// Constant time, so the token cannot be guessed a character at a time.
bool same_secret(const std::string& a, const std::string& b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  return diff == 0;
}

// A token bucket per client address.
class RateLimiter {
 public:
  explicit RateLimiter(int per_s) : per_s_(per_s) {}
  bool allow(const std::string& client) {
    if (per_s_ <= 0) return true;
    std::lock_guard lock(mu_);
    const auto now = std::chrono::steady_clock::now();
    Bucket& b = buckets_[client];
    if (b.last.time_since_epoch().count() == 0) b = {static_cast<double>(burst()), now};
    b.tokens = std::min<double>(burst(), b.tokens + std::chrono::duration<double>(now - b.last).count() * per_s_);
    b.last = now;
    if (buckets_.size() > 10000) buckets_.clear();  // forget idle clients
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point last{};
  };
  int burst() const { return per_s_ * 2; }
  int per_s_;
  std::mutex mu_;
  std::map<std::string, Bucket> buckets_;
};

}  // namespace

bool is_loopback_address(const std::string& a) {
  return a == "localhost" || a == "::1" || a.rfind("127.", 0) == 0;
}

struct HttpApi::Impl {
  Config::Http settings;
  HttpDeps deps;
  std::string token;
  httplib::Server server;
  RateLimiter limiter;
  std::thread thread;
  int port = 0;
  std::atomic<uint64_t> completions_{0};
  int listen_fd = -1;

  Impl(const Config::Http& s, HttpDeps d) : settings(s), deps(d), limiter(s.rate_limit_per_s) {}

  void routes() {
    server.Post("/api/say", [this](const httplib::Request& req, httplib::Response& res) { say(req, res); });
    server.Get("/api/devices", [this](const httplib::Request&, httplib::Response& res) {
      if (!deps.hub) return reply_error(res, 503, "no devices: the MQTT broker is not available");
      nlohmann::json out = nlohmann::json::array();
      for (const auto& d : deps.hub->registry().snapshot()) out.push_back(devices::to_json(d));
      reply_json(res, 200, out);
    });
    server.Get("/api/prefs", [this](const httplib::Request&, httplib::Response& res) {
      auto all = storage::Preferences(deps.db).export_json();
      if (!all) return reply_error(res, 500, all.error().message);
      reply_json(res, 200, all.value());
    });
    server.Put("/api/prefs", [this](const httplib::Request& req, httplib::Response& res) { put_prefs(req, res); });
    server.Get("/api/history", [this](const httplib::Request& req, httplib::Response& res) { history(req, res); });
    server.Get("/api/events", [this](const httplib::Request&, httplib::Response& res) { events(res); });
    server.Get("/v1/models", [this](const httplib::Request&, httplib::Response& res) {
      nlohmann::json data = nlohmann::json::array();
      if (deps.assistant) data.push_back({{"id", kModelId}, {"object", "model"}, {"created", 0}, {"owned_by", "hearth"}});
      reply_json(res, 200, {{"object", "list"}, {"data", data}});
    });
    server.Post("/v1/chat/completions", [this](const httplib::Request& req, httplib::Response& res) { chat(req, res); });
    server.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
      reply_json(res, 200,
                 {{"status", "ok"},
                  {"mqtt", deps.hub ? (deps.hub->connected() ? "connected" : "disconnected") : "none"},
                  {"devices", deps.hub ? deps.hub->registry().size() : 0},
                  {"model", deps.assistant ? "loaded" : "none"},
                  {"queued", deps.assistant ? deps.assistant->queued() : 0}});
    });
    server.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(deps.metrics.render(), "text/plain; version=0.0.4");
    });
  }

  void say(const httplib::Request& req, httplib::Response& res) {
    if (!deps.assistant) return reply_error(res, 503, "language understanding is not available");
    nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
    if (body.is_discarded()) return reply_error(res, 400, "the body is not valid JSON");
    if (!body.is_object()) return reply_error(res, 400, "the body must be a JSON object with 'text'");
    for (auto it = body.begin(); it != body.end(); ++it)
      if (it.key() != "text" && it.key() != "area" && it.key() != "session")
        return reply_error(res, 400, "unknown field '" + it.key() + "' (known: text, area, session)");
    if (!body.contains("text") || !body["text"].is_string()) return reply_error(res, 400, "'text' must be a string");
    SayRequest r;
    r.text = body["text"].get<std::string>();
    if (r.text.empty()) return reply_error(res, 400, "'text' is empty");
    for (const char* key : {"area", "session"}) {
      if (!body.contains(key)) continue;
      if (!body[key].is_string()) return reply_error(res, 400, std::string("'") + key + "' must be a string");
      if (body[key].get<std::string>().size() > 200) return reply_error(res, 400, std::string("'") + key + "' is longer than 200 characters");
    }
    r.area = body.value("area", std::string());
    r.session = body.value("session", std::string("http"));
    const auto t0 = std::chrono::steady_clock::now();
    auto future = deps.assistant->say(r);
    if (future.wait_for(std::chrono::seconds(60)) != std::future_status::ready)
      return reply_error(res, 503, "hearth did not answer in time");
    SayResult result = future.get();
    deps.metrics.observe("hearth_say_seconds", "", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    if (!result.ok) return reply_error(res, 503, result.reply);
    reply_json(res, 200, say_result_json(r, result));
  }

  // OpenAI-compatible: the last user message is understood by the hub's model. With `tools`
  // the intents come back as tool calls named after the intent, with the slots as arguments
  // (what hearth's own cloud client asks for, so one hearth can be another's cloud fallback);
  // without tools, as the intents' JSON in the message content. Chat gets the assistant's reply.
  static constexpr const char* kModelId = "hearth-intent";

  static void openai_error(httplib::Response& res, int status, const std::string& message) {
    reply_json(res, status, {{"error", {{"message", message}, {"type", "invalid_request_error"}, {"code", nullptr}}}});
  }

  void chat(const httplib::Request& req, httplib::Response& res) {
    if (!deps.assistant) return openai_error(res, 503, "the hub's model is not loaded");
    nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) return openai_error(res, 400, "the body must be a JSON object");
    if (!body.contains("messages") || !body["messages"].is_array() || body["messages"].empty())
      return openai_error(res, 400, "'messages' must be a non-empty list");
    std::string text;
    for (const auto& m : body["messages"]) {
      if (!m.is_object() || !m.contains("role") || !m["role"].is_string())
        return openai_error(res, 400, "each message needs a 'role'");
      if (m["role"] == "user") {
        if (!m.contains("content") || !m["content"].is_string()) return openai_error(res, 400, "a user message needs text 'content'");
        text = m["content"].get<std::string>();
      }
    }
    if (text.empty()) return openai_error(res, 400, "no user message with text");
    if (body.contains("model") && (!body["model"].is_string() || body["model"] != kModelId))
      return openai_error(res, 404, std::string("model not found; this hub serves '") + kModelId + "'");
    const bool tools = body.contains("tools") && body["tools"].is_array() && !body["tools"].empty();
    const bool stream = body.value("stream", false);

    auto future = deps.assistant->understand(text);
    if (future.wait_for(std::chrono::seconds(60)) != std::future_status::ready)
      return openai_error(res, 503, "the model did not answer in time");
    auto u = future.get();
    if (!u) return openai_error(res, 500, u.error().message);

    nlohmann::json message = {{"role", "assistant"}, {"content", nullptr}};
    std::string finish = "stop";
    nlohmann::json calls = nlohmann::json::array();
    std::string chat_text;
    for (const auto& i : u->intents) {
      if (i.is_chat()) {
        chat_text = nlu::chat_reply(i.slots.value("topic", "unsupported"));
        continue;
      }
      calls.push_back({{"id", "call_" + std::to_string(calls.size())},
                       {"type", "function"},
                       {"function", {{"name", i.name}, {"arguments", dump(i.slots)}}}});
    }
    if (tools && !calls.empty()) {
      message["tool_calls"] = calls;
      finish = "tool_calls";
    } else if (!tools && !calls.empty()) {
      message["content"] = dump(nlu::intents_to_json(u->intents, false));
    } else {
      message["content"] = chat_text.empty() ? "Sorry, I didn't understand that." : chat_text;
    }
    const int64_t created = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    const std::string id = "chatcmpl-" + std::to_string(created) + "-" + std::to_string(++completions_);
    const nlohmann::json usage = {{"prompt_tokens", u->prompt_tokens}, {"completion_tokens", u->output_tokens},
                                  {"total_tokens", u->prompt_tokens + u->output_tokens}};
    if (u->latency_ms > 0)
      deps.metrics.observe("hearth_model_seconds", "", u->latency_ms / 1000.0);
    deps.metrics.count("hearth_model_tokens_total", "kind=\"output\"", static_cast<double>(u->output_tokens));
    if (!stream) {
      reply_json(res, 200,
                 {{"id", id}, {"object", "chat.completion"}, {"created", created}, {"model", kModelId},
                  {"choices", {{{"index", 0}, {"message", message}, {"finish_reason", finish}}}}, {"usage", usage}});
      return;
    }
    // Streaming: the answer is complete before the first byte (the model is fast and the output
    // is constrained), so it goes out as a role chunk, a content or tool-call chunk, the finish.
    auto chunk = [&](const nlohmann::json& delta, const nlohmann::json& finish_reason) {
      return "data: " +
             dump({{"id", id}, {"object", "chat.completion.chunk"}, {"created", created}, {"model", kModelId},
                   {"choices", {{{"index", 0}, {"delta", delta}, {"finish_reason", finish_reason}}}}}) +
             "\n\n";
    };
    std::string out = chunk({{"role", "assistant"}}, nullptr);
    if (message.contains("tool_calls")) {
      nlohmann::json delta_calls = nlohmann::json::array();
      for (size_t k = 0; k < calls.size(); ++k) {
        nlohmann::json c = calls[k];
        c["index"] = k;
        delta_calls.push_back(c);
      }
      out += chunk({{"tool_calls", delta_calls}}, nullptr);
    } else {
      out += chunk({{"content", message["content"]}}, nullptr);
    }
    out += chunk(nlohmann::json::object(), finish) + "data: [DONE]\n\n";
    res.set_header("Cache-Control", "no-cache");
    res.set_content(out, "text/event-stream");
  }

  void put_prefs(const httplib::Request& req, httplib::Response& res) {
    nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
    if (body.is_discarded()) return reply_error(res, 400, "the body is not valid JSON");
    if (!body.is_object() || body.empty()) return reply_error(res, 400, "the body must be a JSON object of preferences");
    // Everything is checked before anything is stored: a bad value changes nothing.
    std::vector<std::pair<std::string, nlohmann::json>> values;
    for (auto it = body.begin(); it != body.end(); ++it) {
      auto v = storage::Preferences::validate(it.key(), it.value());
      if (!v) return reply_error(res, 400, v.error().message);
      if (it.key() == "voice")
        if (auto c = audio::check_voice(v->get<std::string>()); !c)
          return reply_error(res, 400, "preference 'voice': " + c.error().message);
      values.emplace_back(it.key(), v.value());
    }
    storage::Preferences prefs(deps.db);
    for (const auto& [key, value] : values)
      if (auto r = prefs.set_json(key, value); !r) return reply_error(res, 500, r.error().message);
    auto all = prefs.export_json();
    if (!all) return reply_error(res, 500, all.error().message);
    deps.events.publish("prefs", all.value());
    reply_json(res, 200, all.value());
  }

  void history(const httplib::Request& req, httplib::Response& res) {
    storage::HistoryQuery q;
    if (req.has_param("search")) q.contains = req.get_param_value("search");
    if (req.has_param("limit")) {
      try {
        size_t used = 0;
        const std::string v = req.get_param_value("limit");
        q.limit = std::stoll(v, &used);
        if (used != v.size() || q.limit < 1 || q.limit > 10000) throw std::out_of_range("limit");
      } catch (...) {
        return reply_error(res, 400, "'limit' must be a whole number from 1 to 10000");
      }
    }
    auto rows = storage::History(deps.db).list(q);
    if (!rows) return reply_error(res, 500, rows.error().message);
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : rows.value())
      out.push_back({{"id", e.id}, {"time_ms", e.time_ms}, {"input", storage::to_string(e.input)}, {"utterance", e.utterance},
                     {"intents", nlohmann::json::parse(e.intents_json, nullptr, false)}, {"reply", e.reply},
                     {"outcome", e.outcome}, {"latency_ms", e.latency_ms}, {"left_device", e.left_device}});
    reply_json(res, 200, out);
  }

  void events(httplib::Response& res) {
    auto sub = deps.events.subscribe();
    res.set_header("Cache-Control", "no-cache");
    res.set_chunked_content_provider(
        "text/event-stream",
        [this, sub](size_t, httplib::DataSink& sink) {
          auto e = sub->next(std::chrono::milliseconds(1000));
          if (sub->closed() && !e) {
            sink.done();
            return false;
          }
          std::string chunk = e ? "id: " + std::to_string(e->id) + "\nevent: " + e->type + "\ndata: " + dump(e->data) + "\n\n"
                                : std::string(": keep-alive\n\n");
          return sink.write(chunk.data(), chunk.size());
        },
        [this, sub](bool) { deps.events.unsubscribe(sub); });
  }
};

Result<std::unique_ptr<HttpApi>, HttpError> HttpApi::start(const Config::Http& s, HttpDeps deps) {
  auto refuse = [](std::string m) { return Fail<HttpError>(HttpError{HttpError::kSettings, std::move(m)}); };
  auto impl = std::make_unique<Impl>(s, deps);
  if (!s.token_file.empty()) {
    struct stat st {};
    if (::stat(s.token_file.c_str(), &st) != 0) return refuse("http.token_file " + s.token_file + " does not exist");
    if (st.st_mode & (S_IRWXG | S_IRWXO))
      return refuse("http.token_file " + s.token_file + " may be read by others; chmod 600 it");
    std::ifstream in(s.token_file);
    std::getline(in, impl->token);
    while (!impl->token.empty() && (impl->token.back() == '\r' || impl->token.back() == ' ')) impl->token.pop_back();
    if (impl->token.size() < 16) return refuse("http.token_file " + s.token_file + ": the token must be 16 characters or more");
  } else if (!is_loopback_address(s.bind)) {
    return refuse("http.bind " + s.bind + " is reachable from other machines: set http.token_file");
  }
  Impl* raw = impl.get();
  httplib::Server& svr = impl->server;
  svr.new_task_queue = [threads = s.threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  // SO_REUSEADDR only: cpp-httplib's default also sets SO_REUSEPORT, which lets a second process
  // bind the same port and take half of this hub's connections.
  svr.set_socket_options([raw](int sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    raw->listen_fd = sock;
  });
  // Replies go out as headers and body in two writes; with Nagle's algorithm the body would wait
  // for the client's delayed ACK (40 ms on Linux).
  svr.set_tcp_nodelay(true);
  svr.set_payload_max_length(static_cast<size_t>(s.max_body_kb) * 1024);
  svr.set_read_timeout(10, 0);
  svr.set_write_timeout(10, 0);
  svr.set_pre_routing_handler([raw](const httplib::Request& req, httplib::Response& res) {
    if (!raw->limiter.allow(req.remote_addr)) {
      reply_error(res, 429, "too many requests; slow down");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!raw->token.empty() && req.path != "/healthz") {
      const std::string auth = req.get_header_value("Authorization");
      if (auth.rfind("Bearer ", 0) != 0 || !same_secret(auth.substr(7), raw->token)) {
        res.set_header("WWW-Authenticate", "Bearer");
        reply_error(res, 401, auth.empty() ? "this hub needs a bearer token" : "wrong token");
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  svr.set_logger([raw](const httplib::Request& req, const httplib::Response& res) {
    raw->deps.metrics.count("hearth_http_requests_total",
                            "method=\"" + req.method + "\",code=\"" + std::to_string(res.status) + "\"");
  });
  svr.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) {
      const char* what = res.status == 404 ? "no such endpoint" : res.status == 413 ? "the body is too large" : "request refused";
      reply_error(res, res.status, what);
    }
  });
  impl->routes();
  impl->port = s.port;
  if (!svr.bind_to_port(s.bind, s.port))
    return Fail<HttpError>(HttpError{HttpError::kCannotListen, "cannot listen on " + s.bind + ":" + std::to_string(s.port)});
  // Clients come in bursts (a dashboard, satellites, scripts); the library listens with a backlog
  // of 5 pending connections and the rest are dropped. Listening again raises it.
  if (raw->listen_fd >= 0) ::listen(raw->listen_fd, 256);
  impl->thread = std::thread([raw] { raw->server.listen_after_bind(); });
  spdlog::info("HTTP API on http://{}:{}", s.bind, s.port);
  return std::unique_ptr<HttpApi>(new HttpApi(std::move(impl)));
}

HttpApi::HttpApi(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpApi::~HttpApi() {
  impl_->deps.events.close();  // ends the event streams so their threads come back
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

int HttpApi::port() const { return impl_->port; }

}  // namespace hearth::app
