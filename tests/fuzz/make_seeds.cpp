// Writes the seed corpus of the GGUF fuzzer: small valid models of each weight type and shape kind.
#include <cstdio>
#include <fstream>
#include <string>

#include "hearth/engine/gguf_writer.h"
#include "hearth/engine/test_model.h"
#include "tiny_model.h"

int main(int argc, char** argv) {
  using namespace hearth::engine;
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_seeds DIR\n");
    return 2;
  }
  int n = 0;
  for (const char* type : {"F32", "F16", "Q8_0", "Q4_0"}) {
    for (const char* arch : {"llama", "qwen2"}) {
      TestModelOptions o = hearth::test::tiny_model_options(32, 1, 4, 2, 64, 300, type);
      o.shape.architecture = arch;
      o.shape.tied_output = (n % 2) == 0;
      auto w = build_test_model(o);
      if (!w) {
        std::fprintf(stderr, "%s\n", w.error().message.c_str());
        return 1;
      }
      auto bytes = w->to_bytes();
      std::ofstream f(std::string(argv[1]) + "/seed" + std::to_string(n++) + ".gguf", std::ios::binary);
      f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    }
  }
  // A vocabulary-only file with a byte-level BPE tokenizer.
  {
    GgufWriter w;
    std::vector<std::string> tokens;
    for (int b = 33; b < 127; ++b) tokens.push_back(std::string(1, static_cast<char>(b)));
    tokens.push_back("\xc4\xa0");  // the space byte in GPT-2's alphabet
    tokens.push_back("he");
    tokens.push_back("<|endoftext|>");
    w.set_string("tokenizer.ggml.model", "gpt2");
    w.set_string("tokenizer.ggml.pre", "qwen2");
    w.set_strings("tokenizer.ggml.tokens", tokens);
    w.set_strings("tokenizer.ggml.merges", {"h e"});
    w.set_u32("tokenizer.ggml.eos_token_id", static_cast<uint32_t>(tokens.size() - 1));
    auto bytes = w.to_bytes();
    std::ofstream f(std::string(argv[1]) + "/seed-bpe.gguf", std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }
  return 0;
}
