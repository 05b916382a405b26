#include <gtest/gtest.h>

#include "hearth/engine/chat_template.h"
#include "hearth/engine/gguf.h"
#include "hearth/engine/gguf_writer.h"

namespace hearth::engine {
namespace {

const std::vector<ChatMessage> kConversation = {
    {"system", "You control a home."}, {"user", "Lights on."}, {"assistant", "Done."}, {"user", "And off."}};

TEST(ChatTemplate, EachFormat) {
  EXPECT_EQ(apply_chat_template(ChatFormat::kChatML, kConversation, true),
            "<|im_start|>system\nYou control a home.<|im_end|>\n<|im_start|>user\nLights on.<|im_end|>\n"
            "<|im_start|>assistant\nDone.<|im_end|>\n<|im_start|>user\nAnd off.<|im_end|>\n<|im_start|>assistant\n");
  EXPECT_EQ(apply_chat_template(ChatFormat::kLlama3, kConversation, true),
            "<|start_header_id|>system<|end_header_id|>\n\nYou control a home.<|eot_id|>"
            "<|start_header_id|>user<|end_header_id|>\n\nLights on.<|eot_id|>"
            "<|start_header_id|>assistant<|end_header_id|>\n\nDone.<|eot_id|>"
            "<|start_header_id|>user<|end_header_id|>\n\nAnd off.<|eot_id|>"
            "<|start_header_id|>assistant<|end_header_id|>\n\n");
  EXPECT_EQ(apply_chat_template(ChatFormat::kZephyr, kConversation, true),
            "<|system|>\nYou control a home.</s>\n<|user|>\nLights on.</s>\n<|assistant|>\nDone.</s>\n"
            "<|user|>\nAnd off.</s>\n<|assistant|>\n");
  EXPECT_EQ(apply_chat_template(ChatFormat::kLlama2, kConversation, true),
            "[INST] <<SYS>>\nYou control a home.\n<</SYS>>\n\nLights on. [/INST] Done. </s><s>[INST] And off. [/INST]");
  EXPECT_EQ(apply_chat_template(ChatFormat::kChatML, std::vector<ChatMessage>{{"user", "Hi"}}, false),
            "<|im_start|>user\nHi<|im_end|>\n");
}

TEST(ChatTemplate, DetectedFromGgufAndNamed) {
  const std::pair<const char*, ChatFormat> cases[] = {
      {"{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n'}}{% endfor %}", ChatFormat::kChatML},
      {"{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>' }}", ChatFormat::kLlama3},
      {"{{ '<|user|>\\n' }}{{ '<|assistant|>\\n' }}", ChatFormat::kZephyr},
      {"{{ bos_token + '[INST] ' + content + ' [/INST]' }}", ChatFormat::kLlama2}};
  for (const auto& [tmpl, want] : cases) {
    GgufWriter w;
    w.set_string("tokenizer.chat_template", tmpl);
    auto f = GgufFile::parse(w.to_bytes(), "t.gguf");
    ASSERT_TRUE(f);
    EXPECT_EQ(detect_chat_format(**f), want) << tmpl;
  }
  GgufWriter none;
  none.set_string("tokenizer.chat_template", "{{ messages }}");
  EXPECT_FALSE(detect_chat_format(**GgufFile::parse(none.to_bytes(), "n.gguf")));
  EXPECT_EQ(chat_format_from_name("llama3"), ChatFormat::kLlama3);
  EXPECT_FALSE(chat_format_from_name("vicuna"));
}

}  // namespace
}  // namespace hearth::engine
