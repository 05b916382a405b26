#include "hearth/engine/chat_template.h"

#include "hearth/engine/gguf.h"

namespace hearth::engine {

std::optional<ChatFormat> chat_format_from_name(std::string_view name) {
  if (name == "chatml") return ChatFormat::kChatML;
  if (name == "llama2") return ChatFormat::kLlama2;
  if (name == "llama3") return ChatFormat::kLlama3;
  if (name == "zephyr") return ChatFormat::kZephyr;
  return std::nullopt;
}

const char* to_string(ChatFormat format) {
  switch (format) {
    case ChatFormat::kChatML: return "chatml";
    case ChatFormat::kLlama2: return "llama2";
    case ChatFormat::kLlama3: return "llama3";
    case ChatFormat::kZephyr: return "zephyr";
  }
  return "chatml";
}

std::optional<ChatFormat> detect_chat_format(const GgufFile& file) {
  auto t = file.get_string("tokenizer.chat_template");
  if (!t) return std::nullopt;
  const auto has = [&](const char* marker) { return t->find(marker) != std::string::npos; };
  if (has("<|im_start|>")) return ChatFormat::kChatML;
  if (has("<|start_header_id|>")) return ChatFormat::kLlama3;
  if (has("<|assistant|>") && has("<|user|>")) return ChatFormat::kZephyr;
  if (has("[INST]")) return ChatFormat::kLlama2;
  return std::nullopt;
}

std::string apply_chat_template(ChatFormat format, std::span<const ChatMessage> messages, bool add_generation_prompt) {
  std::string out;
  switch (format) {
    case ChatFormat::kChatML:
      for (const auto& m : messages) out += "<|im_start|>" + m.role + "\n" + m.content + "<|im_end|>\n";
      if (add_generation_prompt) out += "<|im_start|>assistant\n";
      break;
    case ChatFormat::kLlama3:
      for (const auto& m : messages)
        out += "<|start_header_id|>" + m.role + "<|end_header_id|>\n\n" + m.content + "<|eot_id|>";
      if (add_generation_prompt) out += "<|start_header_id|>assistant<|end_header_id|>\n\n";
      break;
    case ChatFormat::kZephyr:
      for (const auto& m : messages) out += "<|" + m.role + "|>\n" + m.content + "</s>\n";
      if (add_generation_prompt) out += "<|assistant|>\n";
      break;
    case ChatFormat::kLlama2: {
      // [INST] <<SYS>>\nsystem\n<</SYS>>\n\nuser [/INST] assistant </s><s>[INST] user [/INST]
      // The first <s> is the BOS the tokenizer adds.
      std::string system;
      bool first_turn = true;
      for (const auto& m : messages) {
        if (m.role == "system") {
          system = m.content;
        } else if (m.role == "user") {
          if (!first_turn) out += "<s>";
          out += "[INST] ";
          if (!system.empty()) {
            out += "<<SYS>>\n" + system + "\n<</SYS>>\n\n";
            system.clear();
          }
          out += m.content + " [/INST]";
          first_turn = false;
        } else {
          out += " " + m.content + " </s>";
        }
      }
      break;  // the generation prompt of Llama-2 is the end of the last [/INST]
    }
  }
  return out;
}

}  // namespace hearth::engine
