// libFuzzer target: any bytes through the GGUF reader, the model loader and the tokenizer.
// Nothing may crash, hang or read out of bounds; errors are fine.
#include <cstdint>
#include <span>

#include "hearth/engine/context.h"
#include "hearth/engine/gguf.h"
#include "hearth/engine/model.h"
#include "hearth/engine/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hearth::engine;
  auto file = GgufFile::parse(std::span<const uint8_t>(data, size), "fuzz.gguf");
  if (!file) return 0;
  // The tokenizer alone, so vocabulary-only files (and the gpt2 path) are exercised too.
  if (auto tok = Tokenizer::from_gguf(**file)) {
    auto ids = (*tok)->encode("Hello, wörld! 1234 <|endoftext|>  x", true, true);
    (void)(*tok)->decode(ids);
  }
  auto model = Model::from_gguf(std::move(file).value());
  if (!model) return 0;
  auto ids = (*model)->tokenizer().encode("turn on the kitchen light <s> 21°C", true, true);
  (void)(*model)->tokenizer().decode(ids);
  // Small models also run one token, so a bad shape cannot hide until inference.
  if ((*model)->weight_bytes() < (1u << 20)) {
    ContextOptions o;
    o.n_ctx = 8;
    o.n_threads = 1;
    auto ctx = Context::create(model.value(), o);
    if (ctx && !ids.empty()) (void)(*ctx)->eval(std::span<const int32_t>(ids.data(), 1));
  }
  return 0;
}
