// Grammar-constrained decoding: the grammar text, the automaton, value sets that change at run
// time, masking against a brute-force check over the whole vocabulary, forced text, JSON schemas,
// and constrained generation that always parses.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "hearth/engine/context.h"
#include "hearth/engine/generate.h"
#include "hearth/engine/grammar.h"
#include "hearth/engine/model.h"
#include "hearth/engine/test_model.h"
#include "hearth/engine/tokenizer.h"
#include "temp_dir.h"
#include "tiny_model.h"

namespace hearth::engine {
namespace {

std::shared_ptr<const Grammar> grammar(const std::string& text) {
  auto g = Grammar::parse(text);
  EXPECT_TRUE(g) << (g ? "" : g.error().message);
  return g ? g.value() : nullptr;
}

// Whether text is a complete sentence of g (with sets).
bool matches(const std::shared_ptr<const Grammar>& g, const std::string& text,
             std::shared_ptr<const ValueSets> sets = nullptr) {
  auto s = GrammarState::create(g, sets);
  EXPECT_TRUE(s);
  return (*s)->accept(text) && (*s)->complete();
}

TEST(Grammar, ParseErrorsNameTheLine) {
  struct Case {
    const char* text;
    const char* says;
  };
  for (const Case& c : {Case{"root ::= \"a\" b\n", "line 1: rule 'b' is used but not defined"},
                        Case{"root ::= \"a\"\nroot ::= \"b\"\n", "line 2: rule 'root' is defined twice"},
                        Case{"root ::= \"abc\n", "unterminated string"},
                        Case{"root ::= root \"a\" | \"b\"\n", "left-recursive"},
                        Case{"root = \"a\"\n", "expected ::="},
                        Case{"root ::= \"\\q\"\n", "unknown escape"},
                        Case{"root ::= [z-a]\n", "backwards"},
                        Case{"root ::= ( \"a\"\n", "missing )"},
                        Case{"start ::= \"a\"\n", "no rule named 'root'"}}) {
    auto g = Grammar::parse(c.text);
    ASSERT_FALSE(g) << c.text;
    EXPECT_EQ(g.error().code, ErrorCode::kGrammar);
    EXPECT_NE(g.error().message.find(c.says), std::string::npos) << g.error().message;
  }
}

TEST(Grammar, AcceptsExactlyItsLanguage) {
  auto g = grammar(R"(
# a tiny JSON-like language
root   ::= "{" pair ( "," pair )* "}"
pair   ::= key ":" value
key    ::= "\"" [a-z_]+ "\""
value  ::= digits | "true" | "false" | str
digits ::= "-"? [0-9]+
str    ::= "\"" ( [^"\\] | "\\" ["\\n] )* "\""
)");
  ASSERT_TRUE(g);
  for (const char* ok : {R"({"a":1})", R"({"on":true,"level":-42})", R"({"s":"say \"hi\"\n"})", R"({"x":"é"})"})
    EXPECT_TRUE(matches(g, ok)) << ok;
  for (const char* bad : {R"({})", R"({"a":1)", R"({"A":1})", R"({"a":tru})", R"({"a":1,})", R"({"a":"\x"})"})
    EXPECT_FALSE(matches(g, bad)) << bad;
  // A prefix is accepted but not complete.
  auto s = GrammarState::create(g, nullptr).value();
  EXPECT_TRUE(s->accept(R"({"a":)"));
  EXPECT_FALSE(s->complete());
  EXPECT_FALSE(s->accept("x"));  // refused without changing the state
  EXPECT_TRUE(s->accept("7}"));
  EXPECT_TRUE(s->complete());
  EXPECT_TRUE(s->finished());
}

TEST(Grammar, ValueSetsChangeWithoutRecompiling) {
  auto g = grammar("root ::= \"turn on the \" @devices\n");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->value_set_names(), std::vector<std::string>{"devices"});
  EXPECT_FALSE(GrammarState::create(g, nullptr)) << "the set is required";
  auto home1 = std::make_shared<ValueSets>();
  home1->set("devices", {"kitchen light", "kitchen", "desk lamp"});
  auto home2 = std::make_shared<ValueSets>();
  home2->set("devices", {"porch light"});
  EXPECT_TRUE(matches(g, "turn on the kitchen light", home1));
  EXPECT_TRUE(matches(g, "turn on the kitchen", home1));  // a value that prefixes another
  EXPECT_FALSE(matches(g, "turn on the porch light", home1));
  EXPECT_TRUE(matches(g, "turn on the porch light", home2));
  EXPECT_FALSE(matches(g, "turn on the desk lamp", home2));
}

TEST(Grammar, ForcedText) {
  auto g = grammar("root ::= \"{\\\"intent\\\":\\\"\" ( \"HassTurnOn\" | \"HassTurnOff\" ) \"\\\"}\"\n");
  auto s = GrammarState::create(g, nullptr).value();
  EXPECT_EQ(s->forced(), "{\"intent\":\"HassTurnO");  // both intents share "HassTurnO"
  EXPECT_TRUE(s->accept(s->forced()));
  EXPECT_EQ(s->forced(), "");  // On or Off
  EXPECT_TRUE(s->accept("f"));
  EXPECT_EQ(s->forced(), "f\"}");
}

class GrammarWithModel : public ::testing::Test {
 protected:
  void SetUp() override {
    auto w = build_test_model(test::tiny_model_options(64, 1, 4, 4, 128, 1200));
    ASSERT_TRUE(w);
    ASSERT_TRUE(w->write(dir_.file("m.gguf")));
    model_ = Model::load(dir_.file("m.gguf")).value();
    trie_ = std::make_unique<TokenTrie>(model_->tokenizer());
  }
  test::TempDir dir_;
  std::shared_ptr<const Model> model_;
  std::unique_ptr<TokenTrie> trie_;
};

TEST_F(GrammarWithModel, MaskAllowsExactlyTheTokensThatFit) {
  // A value set, alternatives, and a free-text string (where the mask walks most of the trie).
  auto g = grammar("root ::= \"the \" @names \" is \" ( \"on\" | \"off\" ) \".\" ( \" say \\\"\" [^\"]* \"\\\"\" )?\n");
  auto sets = std::make_shared<ValueSets>();
  sets->set("names", {"kitchen light", "kettle", "tv"});
  const Tokenizer& tok = model_->tokenizer();
  for (const std::string prefix : {"", "the ", "the k", "the kitchen light is o", "the tv is on.", "the tv is on. say \"hi t"}) {
    auto s = GrammarState::create(g, sets).value();
    ASSERT_TRUE(s->accept(prefix)) << prefix;
    std::vector<float> logits(static_cast<size_t>(tok.n_vocab()), 0.0f);
    const size_t n = s->mask(*trie_, logits, tok.eos());
    size_t counted = 0;
    for (int32_t id = 0; id < tok.n_vocab(); ++id) {
      const bool allowed = logits[id] > -INFINITY;
      counted += allowed;
      bool fits;
      if (id == tok.eos()) {
        fits = s->complete();
      } else {
        const TokenKind kind = tok.token_kind(id);
        const std::string piece = tok.piece(id);
        auto probe = GrammarState::create(g, sets).value();
        fits = kind != TokenKind::kControl && kind != TokenKind::kUnused && kind != TokenKind::kUnknown &&
               !piece.empty() && probe->accept(prefix + piece);
      }
      ASSERT_EQ(allowed, fits) << "prefix '" << prefix << "' token " << id << " '" << tok.piece(id) << "'";
    }
    EXPECT_EQ(n, counted);
  }
}

TEST_F(GrammarWithModel, ConstrainedGenerationAlwaysParses) {
  const char* schema = R"({"type":"object","properties":{
      "intent":{"enum":["HassTurnOn","HassTurnOff","HassLightSet"]},
      "name":{"x-hearth-set":"names"},
      "brightness":{"type":"integer","minimum":0,"maximum":100},
      "areas":{"type":"array","items":{"type":"string","maxLength":12},"maxItems":2}},
    "required":["intent","name"]})";
  auto g = Grammar::from_json_schema(schema);
  ASSERT_TRUE(g) << g.error().message;
  auto sets = std::make_shared<ValueSets>();
  sets->set("names", {"kitchen light", "desk lamp"});
  auto ctx = Context::create(model_).value();
  const std::vector<int32_t> prompt = {1, 300, 301, 302};
  size_t forced_total = 0;
  for (uint64_t seed = 1; seed <= 8; ++seed) {
    auto state = GrammarState::create(g.value(), sets).value();
    SamplerConfig c;
    c.temperature = 1.0f;
    c.seed = seed;
    c.max_tokens = 200;
    Sampler sampler(c);
    Constraint k{state.get(), trie_.get(), true};
    auto gen = generate(*ctx, prompt, sampler, {}, k);
    ASSERT_TRUE(gen) << gen.error().message;
    ASSERT_EQ(gen->stop, StopReason::kEndOfGeneration) << gen->text;
    forced_total += gen->forced_tokens;
    auto j = nlohmann::ordered_json::parse(gen->text, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << gen->text;
    EXPECT_TRUE(j["intent"] == "HassTurnOn" || j["intent"] == "HassTurnOff" || j["intent"] == "HassLightSet") << gen->text;
    EXPECT_TRUE(j["name"] == "kitchen light" || j["name"] == "desk lamp") << gen->text;
    if (j.contains("brightness")) {
      EXPECT_TRUE(j["brightness"].is_number_integer()) << gen->text;
    }
    if (j.contains("areas")) {
      EXPECT_LE(j["areas"].size(), 2u) << gen->text;
    }
    EXPECT_EQ(j.begin().key(), "intent") << "properties come in schema order: " << gen->text;
  }
  EXPECT_GT(forced_total, 8u) << "the fixed keys are forced, not sampled";
}

// Forced runs in the model's own tokenization, with the vocabulary of hearth's intent model
// (trained on JSON, so `","domain":"`-like pieces span what the grammar forces and what follows).
TEST(ForcedRuns, StopWhereTheModelWouldMergeWithWhatFollows) {
  auto model = Model::load(HEARTH_SOURCE_DIR "/nlu/model/hearth-intent.gguf");
  ASSERT_TRUE(model) << model.error().message;
  const Tokenizer& tok = model.value()->tokenizer();
  TokenTrie trie(tok);
  auto text_of = [&](const std::string& forced) { return tok.decode(forced_run_tokens(tok, trie, forced)); };
  // A closing quote before a choice: the model writes `","` or `"}]`, never a lone quote.
  EXPECT_EQ(text_of("\""), "");
  // A name's last word merges with the next key in this vocabulary: forced up to it.
  ASSERT_TRUE(trie.extendable(" door\""));
  const std::string name = text_of(" front door\"");
  EXPECT_EQ(name, " front") << "the run must stop before ` door`";
  EXPECT_TRUE(forced_run_tokens(tok, trie, "").empty());
}

TEST(JsonSchema, RefusesWhatItDoesNotSupport) {
  struct Case {
    const char* schema;
    const char* says;
  };
  for (const Case& c : {Case{R"({"type":"string","pattern":"a+"})", "keyword 'pattern' is not supported"},
                        Case{R"({"type":"object","properties":{"a":{"type":"date"}}})", "/properties/a/: type 'date'"},
                        Case{R"({"type":"object","required":["b"],"properties":{}})", "required property 'b'"},
                        Case{R"({"enum":[]})", "enum must be a non-empty list"},
                        Case{"{", "not valid JSON"}}) {
    auto g = Grammar::from_json_schema(c.schema);
    ASSERT_FALSE(g) << c.schema;
    EXPECT_NE(g.error().message.find(c.says), std::string::npos) << g.error().message;
  }
}

}  // namespace
}  // namespace hearth::engine
