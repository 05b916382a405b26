// The hub's HTTP API as clients meet it: `hearth run --headless` in a child process with the
// simulated home on a private broker, talked to with cpp-httplib's client.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "eventually.h"
#include "hearth/devices/local_broker.h"
#include "hearth/devices/simulator.h"
#include "hearth/nlu/cloud.h"
#include "subprocess.h"
#include "temp_dir.h"

namespace hearth::test {
namespace {

using namespace std::chrono_literals;

class Hub : public ::testing::Test {
 protected:
  // Starts hearth with extra config lines under `http:`; false if it exited.
  bool start(const std::string& http_lines = "") {
    port_ = devices::find_free_loopback_port();
    std::ofstream(dir_.file("hearth.yaml")) << "http:\n  port: " << port_ << "\n" << http_lines;
    const std::string pidfile = dir_.file("run.pid");
    run_shell(env() + HEARTH_BINARY + " --config " + shell_quote(dir_.file("hearth.yaml")) + " run --headless >" +
              shell_quote(dir_.file("run.log")) + " 2>&1 & echo $! > " + shell_quote(pidfile));
    std::ifstream(pidfile) >> pid_;
    return eventually([&] {
      if (::kill(pid_, 0) != 0) return true;  // exited: the caller looks at the log
      httplib::Client c("127.0.0.1", port_);
      auto r = c.Get("/healthz");
      return r && r->status == 200 && nlohmann::json::parse(r->body)["devices"].get<int>() >= 20;
    }, 20s) && ::kill(pid_, 0) == 0;
  }
  void TearDown() override {
    if (pid_ > 0 && ::kill(pid_, 0) == 0) {
      ::kill(pid_, SIGTERM);
      eventually([&] { return ::kill(pid_, 0) != 0; }, 10s);
    }
  }
  std::string env() const {
    return "env XDG_CONFIG_HOME=" + shell_quote(dir_.file("config")) + " XDG_DATA_HOME=" + shell_quote(dir_.file("data")) +
           " XDG_STATE_HOME=" + shell_quote(dir_.file("state")) + " ";
  }
  std::string log() const { return run_shell("cat " + shell_quote(dir_.file("run.log"))).text; }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(30, 0);
    return c;
  }
  httplib::Result say(httplib::Client& c, const std::string& text) {
    return c.Post("/api/say", nlohmann::json{{"text", text}}.dump(), "application/json");
  }
  TempDir dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

TEST_F(Hub, EveryEndpoint) {
  ASSERT_TRUE(start()) << log();
  auto c = client();

  // Events: a reader in the background, as a dashboard would keep one open.
  std::mutex mu;
  std::string stream;
  std::atomic<bool> stop{false};
  std::thread reader([&] {
    auto ec = client();
    ec.Get("/api/events", [&](const char* data, size_t n) {
      std::lock_guard lock(mu);
      stream.append(data, n);
      return !stop.load();
    });
  });
  std::this_thread::sleep_for(300ms);

  auto r = say(c, "turn on the bedside lamp");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto j = nlohmann::json::parse(r->body);
  EXPECT_EQ(j["reply"], "Turning on the bedside lamp.");
  EXPECT_EQ(j["intents"][0]["targets"][0], "light.bedroom_bedside_lamp");
  EXPECT_FALSE(r->has_header("Access-Control-Allow-Origin"));  // CORS closed

  auto devs = c.Get("/api/devices");
  ASSERT_EQ(devs->status, 200);
  bool on = false;
  for (const auto& d : nlohmann::json::parse(devs->body))
    if (d["id"] == "light.bedroom_bedside_lamp") on = d["state"]["state"] == "on";
  EXPECT_TRUE(on);

  auto prefs = c.Get("/api/prefs");
  ASSERT_EQ(prefs->status, 200);
  EXPECT_EQ(nlohmann::json::parse(prefs->body)["temperature_unit"], "C");
  auto put = c.Put("/api/prefs", R"({"temperature_unit":"F","default_area":"kitchen"})", "application/json");
  ASSERT_EQ(put->status, 200) << put->body;
  EXPECT_EQ(nlohmann::json::parse(put->body)["temperature_unit"], "F");
  auto bad = c.Put("/api/prefs", R"({"default_area":"office","temperature_unit":"K"})", "application/json");
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("temperature_unit"), std::string::npos) << bad->body;
  // Nothing of a refused request is stored.
  EXPECT_EQ(nlohmann::json::parse(c.Get("/api/prefs")->body)["default_area"], "kitchen");
  // A voice the speech engines do not have is refused as it is set, not when a reply is spoken.
  auto no_voice = c.Put("/api/prefs", R"({"voice":"flite:nobody"})", "application/json");
  EXPECT_EQ(no_voice->status, 400);
  EXPECT_NE(no_voice->body.find("flite has no voice"), std::string::npos) << no_voice->body;
  EXPECT_EQ(c.Put("/api/prefs", R"({"voice":"espeak-ng:en+f3"})", "application/json")->status, 200);
  auto stored = run_shell(env() + HEARTH_BINARY + " prefs get temperature_unit");
  EXPECT_NE(stored.text.find("F"), std::string::npos) << stored.text;

  auto hist = c.Get("/api/history?limit=5&search=bedside");
  ASSERT_EQ(hist->status, 200);
  auto rows = nlohmann::json::parse(hist->body);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["outcome"], "done");
  EXPECT_EQ(c.Get("/api/history?limit=lots")->status, 400);

  auto health = c.Get("/healthz");
  EXPECT_EQ(nlohmann::json::parse(health->body)["mqtt"], "connected");
  auto metrics = c.Get("/metrics");
  ASSERT_EQ(metrics->status, 200);
  EXPECT_NE(metrics->body.find("hearth_http_requests_total{method=\"POST\",code=\"200\"} 1"), std::string::npos) << metrics->body;
  EXPECT_NE(metrics->body.find("hearth_mqtt_connected 1"), std::string::npos);
  EXPECT_NE(metrics->body.find("hearth_stage_seconds_bucket{stage=\"understand\""), std::string::npos);
  EXPECT_NE(metrics->body.find("hearth_outbox_depth 0"), std::string::npos);

  auto missing = c.Get("/api/nothing");
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(missing->body.find("no such endpoint"), std::string::npos);

  EXPECT_TRUE(eventually([&] {
    std::lock_guard lock(mu);
    return stream.find("event: say") != std::string::npos && stream.find("event: device") != std::string::npos &&
           stream.find("bedside lamp") != std::string::npos;
  }, 10s)) << stream.substr(0, 2000);
  stop = true;
  say(c, "what time is it");  // an event, so the reader sees stop
  reader.join();
}

TEST_F(Hub, BadRequestsAreRefusedClearly) {
  ASSERT_TRUE(start("  max_body_kb: 4\n")) << log();
  auto c = client();
  auto post = [&](const std::string& body) { return c.Post("/api/say", body, "application/json"); };
  auto r = post("{not json");
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("not valid JSON"), std::string::npos);
  EXPECT_EQ(post("[1,2]")->status, 400);
  r = post(R"({"text": 42})");
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("'text' must be a string"), std::string::npos);
  r = post(R"({"text": "hi", "colour": "red"})");
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("unknown field 'colour'"), std::string::npos);
  EXPECT_EQ(post(R"({"text": ""})")->status, 400);
  EXPECT_EQ(post(R"({"text": "hi", "area": 3})")->status, 400);
  EXPECT_EQ(post(nlohmann::json{{"text", std::string(8000, 'a')}}.dump())->status, 413);
  // Binary garbage in a valid string still gets an answer, never a crash.
  r = post(nlohmann::json{{"text", std::string("\xff\xfe turn on \x01", 12)}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(client().Get("/healthz")->status, 200);
}

TEST_F(Hub, TokenAndBindRules) {
  // Reachable from other machines without a token: refused at start.
  ASSERT_FALSE(start("  bind: 0.0.0.0\n"));
  EXPECT_NE(log().find("set http.token_file"), std::string::npos) << log();

  const std::string token_file = dir_.file("token");
  std::ofstream(token_file) << "correct-horse-battery-staple\n";
  ::chmod(token_file.c_str(), 0644);
  ASSERT_FALSE(start("  token_file: " + token_file + "\n"));
  EXPECT_NE(log().find("chmod 600"), std::string::npos) << log();

  ::chmod(token_file.c_str(), 0600);
  ASSERT_TRUE(start("  token_file: " + token_file + "\n")) << log();
  auto c = client();
  auto none = c.Get("/api/devices");
  EXPECT_EQ(none->status, 401);
  EXPECT_TRUE(none->has_header("WWW-Authenticate"));
  c.set_bearer_token_auth("guess");
  EXPECT_EQ(c.Get("/api/devices")->status, 401);
  c.set_bearer_token_auth("correct-horse-battery-staple");
  EXPECT_EQ(c.Get("/api/devices")->status, 200);
  EXPECT_EQ(client().Get("/healthz")->status, 200);  // health needs no token
  // No endpoint hands the token back.
  for (const char* path : {"/api/prefs", "/metrics", "/healthz", "/api/history"})
    EXPECT_EQ(c.Get(path)->body.find("correct-horse"), std::string::npos) << path;
}

TEST_F(Hub, TakenPortCostsTheApiNotTheAssistant) {
  ASSERT_TRUE(start()) << log();
  TempDir other;
  const std::string env2 = "env XDG_CONFIG_HOME=" + shell_quote(other.file("c")) + " XDG_DATA_HOME=" + shell_quote(other.file("d")) +
                           " XDG_STATE_HOME=" + shell_quote(other.file("s")) + " ";
  std::ofstream(other.file("in")) << "add milk to the shopping list\n";
  auto second = run_shell(env2 + HEARTH_BINARY + " --config " + shell_quote(dir_.file("hearth.yaml")) + " run <" +
                          shell_quote(other.file("in")));
  EXPECT_EQ(second.exit_code, 0) << second.text;
  EXPECT_NE(second.text.find("no HTTP API: cannot listen"), std::string::npos) << second.text;
  EXPECT_NE(second.text.find("Added milk to your shopping list."), std::string::npos) << second.text;
  EXPECT_EQ(client().Get("/healthz")->status, 200);  // the first one still serves
}

TEST_F(Hub, RateLimitPerClient) {
  ASSERT_TRUE(start("  rate_limit_per_s: 3\n")) << log();
  auto c = client();
  int refused = 0;
  for (int i = 0; i < 20; ++i) refused += c.Get("/api/prefs")->status == 429;
  EXPECT_GE(refused, 10);
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(c.Get("/api/prefs")->status, 200);
}

TEST_F(Hub, OpenAiCompatibleEndpointAndOneHearthAsAnothersCloud) {
  ASSERT_TRUE(start()) << log();
  auto c = client();
  auto models = c.Get("/v1/models");
  ASSERT_EQ(models->status, 200);
  EXPECT_EQ(nlohmann::json::parse(models->body)["data"][0]["id"], "hearth-intent");

  const nlohmann::json plain = {{"model", "hearth-intent"}, {"messages", {{{"role", "user"}, {"content", "turn on the bedside lamp"}}}}};
  auto r = c.Post("/v1/chat/completions", plain.dump(), "application/json");
  ASSERT_EQ(r->status, 200) << r->body;
  auto j = nlohmann::json::parse(r->body);
  EXPECT_EQ(j["object"], "chat.completion");
  EXPECT_EQ(j["choices"][0]["finish_reason"], "stop");
  auto intents = nlohmann::json::parse(j["choices"][0]["message"]["content"].get<std::string>());
  EXPECT_EQ(intents[0]["intent"], "HassTurnOn");
  EXPECT_GT(j["usage"]["completion_tokens"].get<int>(), 0);

  nlohmann::json streamed = plain;
  streamed["stream"] = true;
  r = c.Post("/v1/chat/completions", streamed.dump(), "application/json");
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/event-stream");
  EXPECT_NE(r->body.find("\"object\":\"chat.completion.chunk\""), std::string::npos) << r->body;
  EXPECT_EQ(r->body.substr(r->body.size() - 14), "data: [DONE]\n\n");

  auto bad = c.Post("/v1/chat/completions", R"({"messages": []})", "application/json");
  EXPECT_EQ(bad->status, 400);
  EXPECT_TRUE(nlohmann::json::parse(bad->body)["error"]["message"].is_string());
  EXPECT_EQ(c.Post("/v1/chat/completions", R"({"model":"gpt-9","messages":[{"role":"user","content":"hi"}]})",
                   "application/json")->status, 404);

  // Another hearth's cloud client, pointed at this hub, gets validated intents back.
  auto home = nlu::Home::parse(devices::Simulator::layout_yaml() +
                               "devices:\n  - {id: light.bedroom_bedside_lamp, name: bedside lamp, area: bedroom, domain: light}\n");
  ASSERT_TRUE(home) << home.error().message;
  nlu::CloudOptions co;
  co.base_url = "http://127.0.0.1:" + std::to_string(port_) + "/v1";
  co.model = "hearth-intent";
  auto cloud = nlu::CloudClient::create(co);
  ASSERT_TRUE(cloud) << cloud.error().message;
  auto got = cloud.value()->understand("turn on the bedside lamp", home.value());
  ASSERT_TRUE(got) << got.error().message;
  ASSERT_EQ(got->intents.size(), 1u);
  EXPECT_EQ(got->intents[0].name, "HassTurnOn");
  EXPECT_EQ(got->intents[0].slots["name"], "bedside lamp");
}

// 50 clients x 20 requests at once; every request answered and in the history; then the same
// load with SIGTERM in the middle: every request that was answered is in the history.
TEST_F(Hub, ConcurrentClientsAndSigtermLoseNothingAcknowledged) {
  ASSERT_TRUE(start("  rate_limit_per_s: 0\n")) << log();
  std::mutex mu;
  std::set<std::string> acknowledged;
  std::atomic<int> errors{0};
  std::string first_error;
  auto load = [&](const std::string& tag, bool tolerate_errors) {
    std::vector<std::thread> clients;
    for (int k = 0; k < 50; ++k)
      clients.emplace_back([&, k] {
        auto c = client();
        for (int i = 0; i < 20; ++i) {
          const std::string text = "what time is it " + tag + " " + std::to_string(k) + " " + std::to_string(i);
          auto r = say(c, text);
          if (r && r->status == 200) {
            std::lock_guard lock(mu);
            acknowledged.insert(text);
          } else if (!tolerate_errors) {
            if (errors++ == 0) {
              std::lock_guard lock(mu);
              first_error = (r ? std::to_string(r->status) + " " + r->body : httplib::to_string(r.error())) + " at request " +
                            std::to_string(k) + "/" + std::to_string(i);
            }
          }
        }
      });
    for (auto& t : clients) t.join();
  };
  load("a", false);
  EXPECT_EQ(errors.load(), 0) << first_error << "\n" << log().substr(0, 3000);
  EXPECT_EQ(acknowledged.size(), 1000u);

  std::thread killer([&] {
    eventually([&] {
      std::lock_guard lock(mu);
      return acknowledged.size() >= 1300;
    }, 60s);
    ::kill(pid_, SIGTERM);
  });
  load("b", true);
  killer.join();
  ASSERT_TRUE(eventually([&] { return ::kill(pid_, 0) != 0; }, 20s));
  auto history = run_shell(env() + HEARTH_BINARY + " --config " + shell_quote(dir_.file("hearth.yaml")) + " history list --json -n 5000");
  ASSERT_EQ(history.exit_code, 0) << history.text.substr(0, 500);
  size_t found = 0, missing = 0;
  std::string first_missing;
  for (const auto& text : acknowledged) {
    if (history.text.find("\"" + text + "\"") != std::string::npos) ++found;
    else if (missing++ == 0) first_missing = text;
  }
  EXPECT_EQ(missing, 0u) << "first missing: " << first_missing;
  EXPECT_GE(found, 1300u);
  EXPECT_NE(log().find("hearth stopped"), std::string::npos) << log();
}

}  // namespace
}  // namespace hearth::test
