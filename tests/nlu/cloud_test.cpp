// The cloud fallback against a real OpenAI-compatible HTTP server on loopback (cpp-httplib in
// this process, scripted per test): tool-call validation against the contract and the home,
// refused names, timeouts, server errors, malformed replies, and the off/ask/auto modes.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "hearth/nlu/cloud.h"
#include "hearth/nlu/conversation.h"

using namespace hearth::nlu;

namespace {

class FakeCloud {
 public:
  FakeCloud() {
    server_.Post("/v1/chat/completions", [this](const httplib::Request& req, httplib::Response& res) {
      ++requests_;
      last_body_ = req.body;
      last_auth_ = req.get_header_value("Authorization");
      if (delay_ms_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms_));
      res.status = status_;
      res.set_content(reply_, "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakeCloud() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
  // A reply whose message calls the tools given as (name, arguments JSON) pairs.
  void tool_calls(const std::vector<std::pair<std::string, std::string>>& calls) {
    nlohmann::json tc = nlohmann::json::array();
    for (const auto& [name, args] : calls)
      tc.push_back({{"id", "call"}, {"type", "function"}, {"function", {{"name", name}, {"arguments", args}}}});
    reply_ = nlohmann::json{{"choices", {{{"message", {{"role", "assistant"}, {"content", nullptr}, {"tool_calls", tc}}}}}}}.dump();
  }
  void text(const std::string& t) {
    reply_ = nlohmann::json{{"choices", {{{"message", {{"role", "assistant"}, {"content", t}}}}}}}.dump();
  }
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> requests_{0};
  std::string reply_ = "{}", last_body_, last_auth_;
  int status_ = 200, delay_ms_ = 0;
};

Home fixture() { return Home::load(HEARTH_TEST_DATA_DIR "/home.yaml").value(); }

std::unique_ptr<CloudClient> client(const FakeCloud& s, int timeout_ms = 3000) {
  CloudOptions o;
  o.base_url = s.url();
  o.model = "test-model";
  o.api_key = "sk-test";
  o.timeout_ms = timeout_ms;
  return CloudClient::create(o).value();
}

}  // namespace

TEST(Cloud, ValidToolCallsBecomeIntents) {
  FakeCloud s;
  s.tool_calls({{"HassTurnOff", R"({"area":"kitchen","domain":"light"})"}, {"HassTurnOn", R"({"name":"front door","domain":"lock"})"}});
  const Home home = fixture();
  auto r = client(s)->understand("lights off in the kitchen and lock up", home);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->intents.size(), 2u);
  EXPECT_EQ(r->intents[0].name, "HassTurnOff");
  EXPECT_EQ(r->intents[0].slots["area"], "kitchen");
  EXPECT_EQ(r->intents[1].slots["name"], "front door");
  EXPECT_EQ(s.last_auth_, "Bearer sk-test");
  // What left the hub: the utterance and the exposed devices, never the unexposed one.
  EXPECT_NE(s.last_body_.find("lights off in the kitchen"), std::string::npos);
  EXPECT_NE(s.last_body_.find("desk lamp"), std::string::npos);
  EXPECT_EQ(s.last_body_.find("server"), std::string::npos);
  EXPECT_NE(s.last_body_.find("\"HassLightSet\""), std::string::npos);
}

TEST(Cloud, NamesThatAreNotInTheHomeAreRefused) {
  FakeCloud s;
  const Home home = fixture();
  s.tool_calls({{"HassTurnOn", R"({"name":"garden gnome"})"}});
  auto r = client(s)->understand("x", home);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("rejected: the cloud model named 'garden gnome'"), std::string::npos) << r.error().message;
  s.tool_calls({{"HassTurnOff", R"({"name":"server"})"}});  // exists, but is not exposed
  r = client(s)->understand("x", home);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("'server'"), std::string::npos);
  s.tool_calls({{"HassTurnOn", R"({"area":"attic","domain":"light"})"}});
  EXPECT_FALSE(client(s)->understand("x", home));
}

TEST(Cloud, CallsOffContractAreRefused) {
  FakeCloud s;
  const Home home = fixture();
  for (const auto& call : std::vector<std::pair<std::string, std::string>>{
           {"HassSelfDestruct", "{}"},
           {"HassLightSet", R"({"name":"desk lamp","brightness":250})"},
           {"HassTurnOn", R"({"name":"floor lamp","colour":"red"})"},
           {"HassTurnOn", "not json"}}) {
    s.tool_calls({call});
    auto r = client(s)->understand("x", home);
    EXPECT_FALSE(r) << call.first << " " << call.second;
  }
}

TEST(Cloud, TextRepliesCarryNoIntents) {
  FakeCloud s;
  s.text("Paris is the capital of France.");
  auto r = client(s)->understand("capital of france", fixture());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->intents.empty());
  EXPECT_EQ(r->reply, "Paris is the capital of France.");
}

TEST(Cloud, FailuresSayWhatHappened) {
  const Home home = fixture();
  {
    FakeCloud s;
    s.delay_ms_ = 1500;
    s.text("late");
    auto r = client(s, 300)->understand("x", home);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message.rfind("timeout:", 0), 0u) << r.error().message;
  }
  {
    FakeCloud s;
    s.status_ = 500;
    s.reply_ = "{\"error\":\"overloaded\"}";
    auto r = client(s)->understand("x", home);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("HTTP 500"), std::string::npos) << r.error().message;
  }
  {
    FakeCloud s;
    s.reply_ = "{\"choices\": [ {\"message\": ";
    auto r = client(s)->understand("x", home);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message.rfind("bad response:", 0), 0u) << r.error().message;
  }
  {
    int port;
    {
      FakeCloud s;  // a port that was just free, now closed
      port = s.port_;
    }
    CloudOptions o;
    o.base_url = "http://127.0.0.1:" + std::to_string(port) + "/v1";
    o.model = "m";
    auto r = CloudClient::create(o).value()->understand("x", home);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message.rfind("unreachable:", 0), 0u) << r.error().message;
  }
}

TEST(Cloud, OptionsAreChecked) {
  CloudOptions o;
  o.base_url = "ftp://example.com";
  o.model = "m";
  EXPECT_FALSE(CloudClient::create(o));
  o.base_url = "https://example.com/v1";
  o.model = "";
  EXPECT_FALSE(CloudClient::create(o));
}

// The modes, through a Conversation whose local model is never sure enough (threshold above 1),
// so every turn is a fallback case. Uses the embedded model.
class CloudModes : public ::testing::Test {
 protected:
  void SetUp() override {
    ParserOptions po;
    po.model_path = HEARTH_SOURCE_DIR "/nlu/model/hearth-intent.gguf";
    auto p = IntentParser::create(po);
    ASSERT_TRUE(p) << p.error().message;
    parser_ = std::move(p).value();
    ASSERT_TRUE(parser_->set_home(std::make_shared<Home>(fixture())));
  }
  Conversation conversation(CloudMode mode, CloudClient* cloud) {
    ConversationOptions o;
    o.confidence_threshold = 1.01;
    o.cloud_mode = mode;
    o.cloud = cloud;
    return Conversation(*parser_, o);
  }
  std::unique_ptr<IntentParser> parser_;
};

TEST_F(CloudModes, OffNeverCallsTheCloud) {
  FakeCloud s;
  auto c = client(s);
  auto conv = conversation(CloudMode::kOff, c.get());
  Turn t = conv.handle("turn off the kettle", "");
  EXPECT_FALSE(t.act);
  EXPECT_FALSE(t.left_device);
  EXPECT_EQ(s.requests_, 0);
}

TEST_F(CloudModes, AutoUsesValidatedToolCalls) {
  FakeCloud s;
  s.tool_calls({{"HassTurnOff", R"({"name":"kettle"})"}});
  auto c = client(s);
  auto conv = conversation(CloudMode::kAuto, c.get());
  Turn t = conv.handle("kill the kettle", "");
  EXPECT_TRUE(t.act);
  EXPECT_TRUE(t.left_device);
  EXPECT_EQ(t.source, "cloud");
  ASSERT_EQ(t.intents.size(), 1u);
  EXPECT_EQ(t.intents[0].targets, (std::vector<std::string>{"switch.kettle"}));
  EXPECT_EQ(t.reply, "Turning off the kettle.");
}

TEST_F(CloudModes, AutoOfflineGivesAnHonestReply) {
  FakeCloud s;
  s.delay_ms_ = 1000;
  auto c = client(s, 200);
  auto conv = conversation(CloudMode::kAuto, c.get());
  Turn t = conv.handle("kill the kettle", "");
  EXPECT_FALSE(t.act);
  EXPECT_TRUE(t.left_device);
  EXPECT_NE(t.reply.find("couldn't reach the cloud"), std::string::npos) << t.reply;
}

TEST_F(CloudModes, AskWaitsForPermission) {
  FakeCloud s;
  s.tool_calls({{"HassTurnOff", R"({"name":"kettle"})"}});
  auto c = client(s);
  auto conv = conversation(CloudMode::kAsk, c.get());
  Turn q = conv.handle("kill the kettle", "");
  EXPECT_TRUE(q.needs_confirmation);
  EXPECT_FALSE(q.left_device);
  EXPECT_EQ(s.requests_, 0);
  Turn no = conv.handle("no", "");
  EXPECT_FALSE(no.act);
  EXPECT_EQ(s.requests_, 0);
  conv.handle("kill the kettle", "");
  Turn yes = conv.handle("yes", "");
  EXPECT_EQ(s.requests_, 1);
  EXPECT_TRUE(yes.act);
  EXPECT_TRUE(yes.left_device);
  EXPECT_NE(s.last_body_.find("kill the kettle"), std::string::npos);
}
