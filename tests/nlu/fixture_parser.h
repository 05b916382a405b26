// The shipped intent model over the fixture home (tests/nlu/data/home.yaml), for test suites
// that share one parser (loading the model once per suite).
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "hearth/nlu/parser.h"

namespace hearth::nlu::test {

// Null (with a test failure) when the model or the home does not load.
inline IntentParser* load_fixture_parser() {
  ParserOptions po;
  po.model_path = HEARTH_SOURCE_DIR "/nlu/model/hearth-intent.gguf";
  auto p = IntentParser::create(po);
  EXPECT_TRUE(p) << p.error().message;
  if (!p) return nullptr;
  auto home = Home::load(HEARTH_TEST_DATA_DIR "/home.yaml");
  EXPECT_TRUE(home) << home.error().message;
  if (!home || !(*p)->set_home(std::make_shared<Home>(std::move(home).value()))) return nullptr;
  return std::move(p).value().release();
}

}  // namespace hearth::nlu::test
