// A general model (not trained on hearth's format) goes through a few-shot prompt in its chat
// template and the same grammar: whatever it writes is a valid intent list naming only what the
// home holds. A random-weight llama with a ChatML template stands in for a real instruct model
// (none can be downloaded here): the point is the path, not accuracy.
#include <gtest/gtest.h>

#include "hearth/engine/test_model.h"
#include "hearth/nlu/contract.h"
#include "hearth/nlu/parser.h"
#include "temp_dir.h"
#include "tiny_model.h"

using namespace hearth::nlu;

namespace {

std::string write_model(const hearth::test::TempDir& dir, const std::string& name, bool chatml) {
  auto o = hearth::test::tiny_model_options(64, 2, 4, 2, 128, 600);
  o.shape.n_ctx = 8192;  // room for the few-shot prompt in a letter-level vocabulary
  auto w = hearth::engine::build_test_model(o);
  EXPECT_TRUE(w);
  if (chatml) w->set_string("tokenizer.chat_template", "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}");
  const std::string path = dir.file(name);
  EXPECT_TRUE(w->write(path));
  return path;
}

}  // namespace

TEST(GeneralModel, FewShotPromptUnderTheGrammar) {
  hearth::test::TempDir dir;
  ParserOptions po;
  po.model_path = write_model(dir, "plain.gguf", false);
  auto refused = IntentParser::create(po);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("chat template"), std::string::npos) << refused.error().message;
  po.chat_format = "nonsense";
  EXPECT_FALSE(IntentParser::create(po));

  po.model_path = write_model(dir, "chat.gguf", true);
  po.chat_format = "";
  po.max_tokens = 300;
  auto p = IntentParser::create(po);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_TRUE((*p)->few_shot());
  auto home = Home::load(HEARTH_TEST_DATA_DIR "/home.yaml");
  ASSERT_TRUE((*p)->set_home(std::make_shared<Home>(std::move(home).value())));
  for (const char* text : {"turn on the kettle", "set a timer for 5 minutes"}) {
    auto u = (*p)->understand(text);
    if (!u) {
      // Random weights may run out of tokens or pick a number out of range, never more.
      EXPECT_EQ(u.error().code, ErrorCode::kBadOutput) << u.error().message;
      continue;
    }
    for (const Intent& i : u->intents) {
      const IntentSpec* spec = find_intent(i.name);
      ASSERT_TRUE(spec) << i.name;
      if (!spec->targets_devices || !i.slots.contains("name")) continue;
      const std::string n = i.slots["name"];
      bool known = n == "all";
      for (const Device& d : (*p)->home().devices) {
        known |= d.expose && d.name == n;
        for (const auto& a : d.aliases) known |= d.expose && a == n;
      }
      EXPECT_TRUE(known) << n;
    }
  }
}
