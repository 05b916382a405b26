// The small random-weight models the tests build (engine::build_test_model), in one place.
#pragma once

#include <string>

#include "hearth/engine/test_model.h"

namespace hearth::test {

// A llama-shaped model small enough to build in milliseconds.
inline engine::TestModelOptions tiny_model_options(uint32_t n_embd = 64, uint32_t n_layer = 2, uint32_t n_head = 4,
                                                   uint32_t n_head_kv = 2, uint32_t n_ff = 128, uint32_t n_vocab = 400,
                                                   const std::string& type = "F32") {
  engine::TestModelOptions o;
  o.shape.n_embd = n_embd;
  o.shape.n_layer = n_layer;
  o.shape.n_head = n_head;
  o.shape.n_head_kv = n_head_kv;
  o.shape.n_ff = n_ff;
  o.shape.n_vocab = n_vocab;
  o.type = type;
  return o;
}

}  // namespace hearth::test
