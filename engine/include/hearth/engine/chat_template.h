// hearth/engine/chat_template.h — turning a conversation into the prompt text a chat model
// was trained on.
//
// The format is picked from the model's GGUF metadata (tokenizer.chat_template, a Jinja template
// we recognise by its markers, not execute), or named by the caller to override it. The text
// contains the format's special tokens as text; encode it with parse_special = true.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace hearth::engine {

class GgufFile;

enum class ChatFormat { kChatML, kLlama2, kLlama3, kZephyr };

struct ChatMessage {
  std::string role;     // "system", "user" or "assistant"
  std::string content;
};

// "chatml", "llama2", "llama3", "zephyr"; nullopt for another name.
std::optional<ChatFormat> chat_format_from_name(std::string_view name);
const char* to_string(ChatFormat format);
// The format of the model's tokenizer.chat_template; nullopt when it has none or one we do not
// recognise (the caller then names one, or uses a plain prompt).
std::optional<ChatFormat> detect_chat_format(const GgufFile& file);
// The prompt text for the messages; with add_generation_prompt, ends where the assistant's
// reply begins.
std::string apply_chat_template(ChatFormat format, std::span<const ChatMessage> messages, bool add_generation_prompt);

}  // namespace hearth::engine
