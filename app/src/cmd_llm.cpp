// `hearth llm info|generate|bench|make-test-model|quantize|perplexity`: the engine from the shell.
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <fstream>
#include <random>
#include <spdlog/spdlog.h>

#include "cli.h"
#include "hearth/engine/chat_template.h"
#include "hearth/engine/context.h"
#include "hearth/engine/generate.h"
#include "hearth/engine/model.h"
#include "hearth/engine/quantize.h"
#include "hearth/engine/test_model.h"
#include "hearth/engine/tokenizer.h"
#include "llm_bench.h"

namespace hearth::app {

namespace eng = hearth::engine;

namespace {

std::shared_ptr<const eng::Model> load_model(CliContext& ctx, const std::string& path) {
  auto m = eng::Model::load(path);
  if (!m) {
    ctx.error(kExitFailure, m.error().message);
    return nullptr;
  }
  return m.value();
}

std::string mib(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return buf;
}

struct LlmOptions {
  std::string model, prompt, out, in, type, shape, vocab, file, sampler_json, grammar_file, schema_file;
  std::string chat_format, system_prompt;  // --chat: the prompt is a user message in a chat template
  std::string kv_type = "f16";
  bool chat = false;
  int n = 64, p = 64, threads = 0, top_k = 0, reps = 5, ctx_size = 0;
  float temp = 0.0f, top_p = 1.0f, min_p = 0.0f, repeat_penalty = 1.0f;
  uint64_t seed = 0;
  std::vector<std::string> sets;  // NAME=value|value|...
  bool json = false, tokens = false, contend = false;
};

void info(CliContext& ctx, const LlmOptions& o) {
  auto model = load_model(ctx, o.model);
  if (!model) return;
  const auto& hp = model->hparams();
  const auto& tok = model->tokenizer();
  std::map<std::string, std::pair<int, uint64_t>> by_type;
  for (const auto& t : model->file().tensors()) {
    auto& e = by_type[std::string(eng::tensor_type_info(t.type).name)];
    e.first++;
    e.second += t.n_bytes;
  }
  const uint32_t n_ctx = std::min<uint32_t>(hp.n_ctx_train, 4096);
  const uint64_t kv = 2ull * hp.n_layer * n_ctx * hp.kv_dim() * 2;
  if (o.json) {
    nlohmann::json types = nlohmann::json::object();
    for (const auto& [name, e] : by_type) types[name] = {{"tensors", e.first}, {"bytes", e.second}};
    nlohmann::json j = {{"file", o.model}, {"gguf_version", model->file().version()}, {"architecture", hp.architecture},
                        {"name", hp.name}, {"n_vocab", hp.n_vocab}, {"n_ctx_train", hp.n_ctx_train},
                        {"n_embd", hp.n_embd}, {"n_layer", hp.n_layer}, {"n_head", hp.n_head},
                        {"n_head_kv", hp.n_head_kv}, {"n_ff", hp.n_ff}, {"tied_output", hp.tied_output},
                        {"rope", hp.rope_style == eng::RopeStyle::kNeox ? "neox" : "normal"},
                        {"rope_freq_base", hp.rope_freq_base}, {"tokenizer", tok.model_kind()},
                        {"bos", tok.bos()}, {"eos", tok.eos()}, {"weight_bytes", model->weight_bytes()},
                        {"file_bytes", model->file().file_size()}, {"kv_bytes_default_ctx", kv},
                        {"default_ctx", n_ctx}, {"tensor_types", types}};
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::cout << o.model << "\n"
            << "  architecture  " << hp.architecture << (hp.name.empty() ? "" : "  (" + hp.name + ")") << "\n"
            << "  shape         " << hp.n_layer << " layers, " << hp.n_embd << " wide, " << hp.n_head << " heads / "
            << hp.n_head_kv << " KV heads, feed-forward " << hp.n_ff << "\n"
            << "  vocabulary    " << hp.n_vocab << " tokens (" << tok.model_kind() << "), trained context "
            << hp.n_ctx_train << "\n"
            << "  output        " << (hp.tied_output ? "tied to the token embedding" : "separate") << ", RoPE "
            << (hp.rope_style == eng::RopeStyle::kNeox ? "NeoX" : "normal") << " base " << hp.rope_freq_base << "\n"
            << "  tensor types ";
  for (const auto& [name, e] : by_type) std::cout << " " << name << " x" << e.first << " (" << mib(e.second) << ")";
  std::cout << "\n  memory        weights " << mib(model->weight_bytes()) << ", KV cache "
            << mib(kv) << " at " << n_ctx << " tokens\n";
}

Result<eng::SamplerConfig, std::string> sampler_config(const LlmOptions& o) {
  eng::SamplerConfig c;
  if (!o.sampler_json.empty()) {
    auto parsed = eng::SamplerConfig::from_json(o.sampler_json);
    if (!parsed) return Fail<std::string>(parsed.error().message);
    c = parsed.value();
  }
  c.temperature = o.temp;
  c.top_k = o.top_k;
  c.top_p = o.top_p;
  c.min_p = o.min_p;
  c.repeat_penalty = o.repeat_penalty;
  c.seed = o.seed;
  c.max_tokens = o.n;
  if (auto r = c.validate(); !r) return Fail<std::string>(r.error().message);
  return c;
}

void generate(CliContext& ctx, const LlmOptions& o) {
  auto cfg = sampler_config(o);
  if (!cfg) return ctx.error(kExitUsage, cfg.error());
  auto model = load_model(ctx, o.model);
  if (!model) return;
  eng::ContextOptions copts;
  copts.n_threads = o.threads;
  copts.n_ctx = o.ctx_size;
  copts.kv_type = o.kv_type == "q8_0" ? eng::KvType::kQ8_0 : eng::KvType::kF16;
  auto c = eng::Context::create(model, copts);
  if (!c) return ctx.error(kExitFailure, c.error().message);
  // An optional grammar: GBNF text or a JSON schema.
  std::shared_ptr<const eng::Grammar> grammar;
  if (!o.grammar_file.empty() || !o.schema_file.empty()) {
    const std::string& path = o.grammar_file.empty() ? o.schema_file : o.grammar_file;
    std::ifstream f(path);
    if (!f) return ctx.error(kExitFailure, "cannot read " + path);
    const std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    auto parsed = o.grammar_file.empty() ? eng::Grammar::from_json_schema(text) : eng::Grammar::parse(text);
    if (!parsed) return ctx.error(kExitUsage, path + ": " + parsed.error().message);
    grammar = parsed.value();
  }
  std::unique_ptr<eng::GrammarState> state;
  std::unique_ptr<eng::TokenTrie> trie;
  eng::Constraint constraint;
  if (grammar) {
    auto values = std::make_shared<eng::ValueSets>();
    for (const std::string& spec : o.sets) {
      const auto eq = spec.find('=');
      if (eq == std::string::npos || eq == 0) return ctx.error(kExitUsage, "--set wants NAME=value|value|..., not '" + spec + "'");
      std::vector<std::string> items;
      for (size_t start = eq + 1;;) {
        const auto bar = spec.find('|', start);
        items.push_back(spec.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
        if (bar == std::string::npos) break;
        start = bar + 1;
      }
      values->set(spec.substr(0, eq), items);
    }
    auto st = eng::GrammarState::create(grammar, values);
    if (!st) return ctx.error(kExitUsage, st.error().message);
    state = std::move(st).value();
    trie = std::make_unique<eng::TokenTrie>(model->tokenizer());
    constraint.grammar = state.get();
    constraint.trie = trie.get();
  }
  std::vector<int32_t> prompt;
  if (o.chat || !o.chat_format.empty()) {
    std::optional<eng::ChatFormat> format = o.chat_format.empty() ? eng::detect_chat_format(model->file())
                                                                  : eng::chat_format_from_name(o.chat_format);
    if (!format) {
      return ctx.error(kExitUsage, o.chat_format.empty()
                                       ? "the model names no chat template hearth knows; pick one with --chat-format"
                                       : "unknown chat format '" + o.chat_format + "' (chatml, llama2, llama3, zephyr)");
    }
    std::vector<eng::ChatMessage> messages;
    if (!o.system_prompt.empty()) messages.push_back({"system", o.system_prompt});
    messages.push_back({"user", o.prompt});
    prompt = model->tokenizer().encode(eng::apply_chat_template(*format, messages, true), true, /*parse_special=*/true);
  } else {
    prompt = model->tokenizer().encode(o.prompt, true);
  }
  eng::Sampler sampler(cfg.value());
  auto g = eng::generate(
      **c, prompt, sampler,
      [&](int32_t, const std::string& piece) {
        if (!o.tokens) std::cout << piece << std::flush;
        return true;
      },
      constraint);
  if (!g) return ctx.error(kExitFailure, g.error().message);
  if (o.tokens) {
    for (size_t i = 0; i < g->tokens.size(); ++i) std::cout << (i ? " " : "") << g->tokens[i];
  }
  std::cout << std::endl;
  std::fprintf(stderr, "%zu prompt tokens in %.1f ms, %zu tokens in %.1f ms (%.1f tokens/s), stopped: %s\n",
               prompt.size(), g->prompt_ms, g->tokens.size(), g->generate_ms,
               g->generate_ms > 0 ? g->tokens.size() * 1000.0 / g->generate_ms : 0.0, eng::to_string(g->stop));
  if (g->forced_tokens) std::fprintf(stderr, "%zu of the tokens were forced by the grammar\n", g->forced_tokens);
}

void make_test_model(CliContext& ctx, const LlmOptions& o) {
  auto shape = eng::named_test_shape(o.shape);
  if (!shape) return ctx.error(kExitUsage, "unknown shape '" + o.shape + "' (15M, 110M or 500M)");
  eng::TestModelOptions t;
  t.shape = *shape;
  // K-type mixes are made like real ones: an F16 model, then hearth's quantizer.
  const bool mixed = o.type == "Q4_K_M" || o.type == "Q6_K";
  t.type = mixed ? "F16" : o.type;
  t.seed = o.seed ? o.seed : 1;
  t.vocab_from = o.vocab;
  auto w = eng::build_test_model(t);
  if (!w) return ctx.error(w.error().code == eng::ErrorCode::kInvalidArgument ? kExitUsage : kExitFailure, w.error().message);
  const std::string written = mixed ? o.out + ".f16.tmp" : o.out;
  if (auto r = w->write(written); !r) return ctx.error(kExitFailure, r.error().message);
  if (mixed) {
    auto q = eng::quantize_model(written, o.out, o.type);
    std::remove(written.c_str());
    if (!q) return ctx.error(kExitFailure, q.error().message);
  }
  std::cout << "wrote " << o.out << "\n";
}

void quantize(CliContext& ctx, const LlmOptions& o) {
  auto r = eng::quantize_model(o.in, o.out, o.type);
  if (!r) return ctx.error(r.error().code == eng::ErrorCode::kInvalidArgument ? kExitUsage : kExitFailure, r.error().message);
  std::cout << "wrote " << o.out << ": " << mib(r->bytes_in) << " -> " << mib(r->bytes_out) << " ("
            << r->tensors_quantized << " tensors quantized, " << r->tensors_kept << " kept)\n";
}

void perplexity(CliContext& ctx, const LlmOptions& o) {
  std::ifstream f(o.file);
  if (!f) return ctx.error(kExitFailure, "cannot read " + o.file);
  std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  auto model = load_model(ctx, o.model);
  if (!model) return;
  eng::ContextOptions copts;
  copts.n_threads = o.threads;
  copts.n_ctx = o.ctx_size ? o.ctx_size : std::min<uint32_t>(512, model->hparams().n_ctx_train);
  auto c = eng::Context::create(model, copts);
  if (!c) return ctx.error(kExitFailure, c.error().message);
  auto ids = model->tokenizer().encode(text, false);
  const size_t chunk = (*c)->n_ctx();
  if (ids.size() < 2) return ctx.error(kExitUsage, o.file + " has fewer than 2 tokens");
  const int32_t bos = model->tokenizer().bos();
  const size_t V = model->hparams().n_vocab;
  double nll = 0.0;
  size_t count = 0;
  // Non-overlapping windows, each starting with BOS; every token after the first of a window is
  // scored (the first is the model's guess from BOS alone, as llama.cpp's first half is skipped
  // only for long windows).
  for (size_t start = 0; start + 1 < ids.size(); start += chunk - 1) {
    std::vector<int32_t> window;
    if (bos >= 0) window.push_back(bos);
    for (size_t i = start; i < ids.size() && window.size() < chunk; ++i) window.push_back(ids[i]);
    (*c)->clear();
    auto all = (*c)->eval_all(window);
    if (!all) return ctx.error(kExitFailure, all.error().message);
    for (size_t i = 0; i + 1 < window.size(); ++i) {
      const float* l = all->data() + i * V;
      const float max = *std::max_element(l, l + V);
      double z = 0.0;
      for (size_t v = 0; v < V; ++v) z += std::exp(static_cast<double>(l[v] - max));
      nll -= (l[window[i + 1]] - max) - std::log(z);
      ++count;
    }
    if (start + window.size() - (bos >= 0 ? 1 : 0) >= ids.size()) break;
  }
  const double ppl = std::exp(nll / static_cast<double>(count));
  if (o.json) {
    std::cout << nlohmann::json{{"perplexity", ppl}, {"tokens", count}}.dump() << "\n";
  } else {
    std::cout << "perplexity " << ppl << " over " << count << " tokens\n";
  }
}

}  // namespace

void add_llm_commands(CLI::App& app, CliContext& ctx) {
  auto* llm = app.add_subcommand("llm", "Run, inspect, benchmark and quantize GGUF language models");
  llm->require_subcommand(1);
  static LlmOptions o;

  auto* inf = llm->add_subcommand("info", "Describe a model file");
  inf->add_option("MODEL", o.model, "GGUF file")->required();
  inf->add_flag("--json", o.json, "Print JSON");
  inf->callback([&ctx] { info(ctx, o); });

  auto* gen = llm->add_subcommand("generate", "Continue a prompt");
  gen->add_option("-m,--model", o.model, "GGUF file")->required();
  gen->add_option("-p,--prompt", o.prompt, "Prompt text")->required();
  gen->add_option("-n", o.n, "Tokens to generate (default 64)")->check(CLI::Range(1, 100000));
  gen->add_option("--temp", o.temp, "Temperature (0: greedy, the default)")->check(CLI::Range(0.0, 10.0));
  gen->add_option("--top-k", o.top_k, "Keep the k most likely tokens (0: off)")->check(CLI::NonNegativeNumber);
  gen->add_option("--top-p", o.top_p, "Nucleus sampling threshold (1: off)")->check(CLI::Range(0.0, 1.0));
  gen->add_option("--min-p", o.min_p, "Drop tokens below this fraction of the best (0: off)")->check(CLI::Range(0.0, 1.0));
  gen->add_option("--repeat-penalty", o.repeat_penalty, "Penalty for repeated tokens (1: off)")->check(CLI::Range(0.1, 10.0));
  gen->add_option("--seed", o.seed, "Random seed");
  gen->add_option("--sampler", o.sampler_json, "Sampler settings as JSON, e.g. '{\"topK\":40}'");
  gen->add_option("-t,--threads", o.threads, "Threads (default: physical cores)")->check(CLI::Range(0, 256));
  gen->add_option("-c,--ctx-size", o.ctx_size, "Context size in tokens")->check(CLI::Range(0, 1 << 20));
  gen->add_flag("--tokens", o.tokens, "Print the generated token ids on one line instead of text");
  gen->add_option("--kv-type", o.kv_type, "KV cache precision: f16 (default) or q8_0")
      ->check(CLI::IsMember({"f16", "q8_0"}));
  gen->add_option("--grammar", o.grammar_file, "Constrain the output to a grammar (GBNF-like text file)");
  gen->add_option("--json-schema", o.schema_file, "Constrain the output to a JSON schema (file)");
  gen->add_option("--set", o.sets, "Values of a grammar's @NAME set: NAME=value|value|...");
  gen->add_flag("--chat", o.chat, "Treat the prompt as a user message in the model's chat template");
  gen->add_option("--chat-format", o.chat_format, "Chat template to use: chatml, llama2, llama3, zephyr (implies --chat)");
  gen->add_option("--system", o.system_prompt, "System message for --chat");
  gen->callback([&ctx] { generate(ctx, o); });

  auto* bench = llm->add_subcommand("bench", "Measure prefill and decode speed");
  bench->add_option("-m,--model", o.model, "GGUF file")->required();
  bench->add_option("-p", o.p, "Prompt tokens (default 64)")->check(CLI::Range(1, 1 << 16));
  bench->add_option("-n", o.n, "Generated tokens (default 64)")->check(CLI::Range(1, 1 << 16));
  bench->add_option("-r,--reps", o.reps, "Repetitions; medians are reported (default 5)")->check(CLI::Range(1, 1000));
  bench->add_option("-t,--threads", o.threads, "Threads (default: physical cores)")->check(CLI::Range(0, 256));
  bench->add_flag("--contend", o.contend, "Also run with a CPU-bound process beside the benchmark, against one thread in the same run");
  bench->add_flag("--json", o.json, "Print JSON");
  bench->callback([&ctx] {
    auto model = load_model(ctx, o.model);
    if (!model) return;
    BenchOptions b{o.p, o.n, o.reps, o.threads, o.contend};
    auto r = run_llm_bench(model, b);
    if (!r) return ctx.error(kExitFailure, r.error());
    std::cout << (o.json ? bench_to_json(o.model, r.value()) : bench_to_text(o.model, r.value())) << "\n";
  });

  auto* mk = llm->add_subcommand("make-test-model", "Write a random-weight model of a benchmark shape");
  mk->add_option("--shape", o.shape, "15M, 110M or 500M")->required();
  mk->add_option("--type", o.type, "F32, F16, Q8_0, Q4_0, Q4_K_M or Q6_K")->required();
  mk->add_option("--vocab", o.vocab, "Take the vocabulary from this GGUF file (default: a generated one)");
  mk->add_option("--seed", o.seed, "Random seed (default 1)");
  mk->add_option("OUT", o.out, "Output .gguf")->required();
  mk->callback([&ctx] { make_test_model(ctx, o); });

  auto* q = llm->add_subcommand("quantize", "Quantize a model's weights");
  q->add_option("IN", o.in, "Input .gguf (F32 or F16 weights, or any supported type)")->required();
  q->add_option("OUT", o.out, "Output .gguf")->required();
  q->add_option("--type", o.type, "Q8_0, Q4_0, Q4_K_M, Q6_K or F16")->required();
  q->callback([&ctx] { quantize(ctx, o); });

  auto* ppl = llm->add_subcommand("perplexity", "Perplexity of a model on a text file");
  ppl->add_option("-m,--model", o.model, "GGUF file")->required();
  ppl->add_option("-f,--file", o.file, "Text file")->required();
  ppl->add_option("-c,--ctx-size", o.ctx_size, "Window size in tokens (default 512)")->check(CLI::Range(0, 1 << 20));
  ppl->add_option("-t,--threads", o.threads, "Threads (default: physical cores)")->check(CLI::Range(0, 256));
  ppl->add_flag("--json", o.json, "Print JSON");
  ppl->callback([&ctx] { perplexity(ctx, o); });
}

}  // namespace hearth::app
