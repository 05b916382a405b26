// `hearth parse` and `hearth eval`: the NLU from the shell.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>
#include <spdlog/spdlog.h>

#include "cli.h"
#include "hearth/audio/recognizer.h"
#include "hearth/audio/wav.h"
#include "device_link.h"
#include "voice.h"
#include "hearth/nlu/conversation.h"
#include "hearth/nlu/parser.h"
#include "hearth/nlu/prompt.h"
#include "hearth/nlu/resolver.h"
#include "hearth/nlu/timers.h"
#include "hearth/storage/preferences.h"
#include "local_actions.h"
#include "version.h"

namespace hearth::app {

std::string default_model_path(const Config& config) {
  if (!config.nlu.model.empty()) return config.nlu.model;
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::vector<std::filesystem::path> candidates;
  if (!ec) candidates.push_back(exe.parent_path().parent_path() / "share/hearth/models/hearth-intent.gguf");
  candidates.push_back(std::filesystem::path(HEARTH_SOURCE_DIR) / "nlu/model/hearth-intent.gguf");
  for (const auto& c : candidates)
    if (std::filesystem::exists(c, ec)) return c.string();
  return candidates.back().string();
}

std::unique_ptr<nlu::CloudClient> make_cloud_client(const Config& config) {
  if (config.cloud.base_url.empty()) return nullptr;
  nlu::CloudOptions co;
  co.base_url = config.cloud.base_url;
  co.model = config.cloud.model;
  co.api_key = nlu::read_api_key("HEARTH_CLOUD_API_KEY", config.cloud.api_key_file);
  co.timeout_ms = config.cloud.timeout_ms;
  co.verify_tls = config.cloud.verify_tls == "on";
  auto c = nlu::CloudClient::create(co);
  if (!c) {
    spdlog::error("cloud model off: {}", c.error().message);
    return nullptr;
  }
  return std::move(c).value();
}

std::optional<nlu::CloudMode> cloud_mode_of(const std::string& word) {
  if (word == "off") return nlu::CloudMode::kOff;
  if (word == "ask") return nlu::CloudMode::kAsk;
  if (word == "auto") return nlu::CloudMode::kAuto;
  return std::nullopt;
}

nlu::Result<std::unique_ptr<nlu::IntentParser>> make_intent_parser(const Config& config, const ParserChoice& choice) {
  nlu::ParserOptions po;
  po.model_path = choice.model.empty() ? default_model_path(config) : choice.model;
  po.chat_format = config.nlu.chat_format;
  po.threads = choice.threads >= 0 ? choice.threads : config.nlu.threads;
  po.cache_entries = choice.cache ? 256 : 0;
  po.prefix_reuse = choice.prefix_reuse;
  po.forced_runs = choice.forced_runs;
  po.split_requests = choice.split_requests;
  auto parser = nlu::IntentParser::create(po);
  if (!parser) return Fail(parser.error());
  const std::string devices = choice.devices.empty() ? config.nlu.devices : choice.devices;
  if (devices.empty() && config.has_home_sections) {
    auto home = nlu::Home::load_sections(config.source);  // floors/areas/devices in hearth.yaml
    if (!home) return Fail(home.error());
    if (auto r = parser.value()->set_home(std::make_shared<nlu::Home>(std::move(home).value())); !r) return Fail(r.error());
  } else if (!devices.empty()) {
    auto home = nlu::Home::load(devices);
    if (!home) return Fail(home.error());
    if (auto r = parser.value()->set_home(std::make_shared<nlu::Home>(std::move(home).value())); !r) return Fail(r.error());
  }
  return parser;
}

nlu::ConversationOptions conversation_options(const Config& config, storage::Preferences* prefs) {
  nlu::ConversationOptions co;
  co.confidence_threshold = config.nlu.confidence_threshold_percent / 100.0;
  co.session_window = std::chrono::seconds(config.nlu.session_window_s);
  if (prefs) {
    co.confirm_sensitive = prefs->get_bool("confirm_sensitive");
    co.cloud_mode = cloud_mode_of(prefs->get_string("cloud_fallback")).value_or(nlu::CloudMode::kOff);
    co.language = prefs->get_string("language");
  }
  return co;
}

namespace {

struct NluOptions {
  std::string model, devices, area, input = "-", set, cloud = "off", text, wav;
  int threads = -1;
  bool jsonl = false, json = false, cache = false, no_prefix_reuse = false, forced_runs = false, no_split = false, yes = false;
  bool listen = false, wake = false;  // `listen`: hear the text; --wake: wait for the wake word
  int repeat = 1;
  size_t max_failures = 200;  // eval: how many failures the JSON report lists
};

// The parser for the options and config (prints the error and sets the exit code on failure).
std::unique_ptr<nlu::IntentParser> make_parser(CliContext& ctx, const Config& config, const NluOptions& o, bool cache) {
  auto parser = make_intent_parser(config, ParserChoice{o.model, o.devices, o.threads, cache, !o.no_prefix_reuse, o.forced_runs, !o.no_split});
  if (!parser) {
    ctx.error(parser.error().code == nlu::ErrorCode::kBadHome ? kExitUsage : kExitFailure, parser.error().message);
    return nullptr;
  }
  return std::move(parser).value();
}


void parse(CliContext& ctx, const NluOptions& o) {
  auto config = ctx.config();
  if (!config) return;
  auto parser = make_parser(ctx, *config, o, true);
  if (!parser) return;
  const auto mode = cloud_mode_of(o.cloud);
  if (!mode) return ctx.error(kExitUsage, "--cloud must be off, ask or auto");
  std::unique_ptr<nlu::CloudClient> cloud;
  if (*mode != nlu::CloudMode::kOff) {
    cloud = make_cloud_client(*config);
    if (!cloud) return ctx.error(kExitUsage, "--cloud " + o.cloud + " needs cloud.base_url and cloud.model in the config");
  }
  std::ifstream file;
  std::istream* in = &std::cin;
  if (o.input != "-") {
    file.open(o.input);
    if (!file) return ctx.error(kExitFailure, "cannot read " + o.input);
    in = &file;
  }
  std::map<std::string, std::unique_ptr<nlu::Conversation>> sessions;
  auto session = [&](const std::string& id) -> nlu::Conversation& {
    auto& c = sessions[id];
    if (!c) {
      auto co = conversation_options(*config, nullptr);
      co.cloud_mode = *mode;
      co.cloud = cloud.get();
      c = std::make_unique<nlu::Conversation>(*parser, co);
    }
    return *c;
  };
  std::string line;
  size_t n = 0, bad = 0;
  while (std::getline(*in, line)) {
    ++n;
    if (line.empty()) continue;
    std::string text = line, area = o.area, id = "default";
    if (o.jsonl) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.is_object() || !j.contains("text") || !j["text"].is_string()) {
        std::cerr << "hearth: " << (o.input == "-" ? "stdin" : o.input) << ":" << n
                  << ": expected a JSON object with a \"text\" string\n";
        ++bad;
        continue;
      }
      text = j["text"].get<std::string>();
      if (j.contains("area") && j["area"].is_string()) area = j["area"].get<std::string>();
      if (j.contains("session") && j["session"].is_string()) id = j["session"].get<std::string>();
    }
    nlu::Turn t = session(id).handle(text, area);
    nlohmann::json out = {{"text", text},
                          {"intents", nlu::intents_to_json(t.intents)},
                          {"reply", t.reply},
                          {"confidence", std::round(t.confidence * 1000.0) / 1000.0},
                          {"source", t.source.empty() ? "local" : t.source},
                          {"latency_ms", std::round(t.latency_ms * 100.0) / 100.0}};
    if (t.clarification) out["clarification"] = true;
    if (t.needs_confirmation) out["needs_confirmation"] = true;
    if (t.left_device) out["left_device"] = true;
    std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n" << std::flush;
  }
  if (bad) ctx.exit_code = kExitUsage;
}

// One request through the whole pipeline: understanding, execution of what hearth runs itself,
// the reply and the history. Sensitive actions need --yes, as there is no next turn to confirm in.
void say(CliContext& ctx, const NluOptions& o) {
  auto config = ctx.config();
  if (!config) return;
  auto db = ctx.open_database(*config);
  if (!db) return;
  auto parser = make_parser(ctx, *config, o, false);
  if (!parser) return;
  // Devices: through the broker of the config or of a running `hearth run`, when there is one.
  std::unique_ptr<CliDevices> devs;
  if (broker_address(*config)) {
    auto layout = o.devices.empty() ? layout_home(*config) : nlu::Home::load(o.devices);
    if (!layout) return ctx.error(kExitUsage, layout.error().message);
    auto d = connect_cli_devices(*config, layout.value(), 2000);
    if (!d) {
      spdlog::warn("devices are not available: {}", d.error());
    } else {
      devs = std::move(d).value();
      uint64_t seen = ~0ULL;
      follow_registry(*parser, layout.value(), *devs->hub, seen);
    }
  }
  storage::Preferences prefs(*db);
  // `hearth listen`: the words come from the microphone or a recording, through the voice
  // pipeline, against this home's names.
  nlohmann::json heard;
  std::string text = o.text;
  if (o.listen) {
    ListenRequest lr;
    lr.wav = o.wav;
    lr.wait_for_wake = o.wake;
    lr.print_stages = !o.json;
    auto h = listen_once(*config, prefs, *parser, lr);
    if (!h) return ctx.error(h.error().usage ? kExitUsage : kExitFailure, h.error().message);
    heard = h->info;
    text = h->text;
    if (text.empty()) {
      if (o.json) std::cout << nlohmann::json{{"heard", heard}, {"reply", "I didn't catch that."}}.dump() << "\n";
      else std::cout << "I didn't catch that.\n";
      return;
    }
  }
  auto co = conversation_options(*config, &prefs);
  co.confirm_sensitive = co.confirm_sensitive && !o.yes;
  // "ask" needs a second turn; a one-shot command can only honour "auto" (or --yes with "ask").
  if (co.cloud_mode == nlu::CloudMode::kAsk) co.cloud_mode = o.yes ? nlu::CloudMode::kAuto : nlu::CloudMode::kOff;
  std::unique_ptr<nlu::CloudClient> cloud;
  if (co.cloud_mode != nlu::CloudMode::kOff) cloud = make_cloud_client(*config);
  co.cloud = cloud.get();
  nlu::Conversation conv(*parser, co);
  nlu::Timers timers;  // a one-shot process cannot keep a timer running: say so instead
  const auto t0 = std::chrono::steady_clock::now();
  nlu::Turn t = conv.handle(text, o.area.empty() ? prefs.get_string("default_area") : o.area);
  const bool timer = t.act && std::any_of(t.intents.begin(), t.intents.end(), [](const nlu::Intent& i) {
    return i.name.find("Timer") != std::string::npos;
  });
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  std::string reply = answer_turn(t, parser->home(), timers, *db, ms, devs ? devs->hub.get() : nullptr,
                                  o.listen ? storage::InputKind::kVoice : storage::InputKind::kText);
  if (timer) reply += " (Timers run inside `hearth run`; this command ends now.)";
  if (o.json) {
    nlohmann::json out = {{"text", text}, {"intents", nlu::intents_to_json(t.intents)}, {"reply", reply},
                          {"confidence", t.confidence}, {"source", t.source}, {"latency_ms", ms},
                          {"needs_confirmation", t.needs_confirmation}, {"left_device", t.left_device}};
    if (!heard.is_null()) out["heard"] = heard;
    std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    std::cout << reply << "\n";
  }
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5));
  return v[i];
}

// Whether the model's intents mean the expected ones: chat entries count as no intent when
// the set expects none.
bool same(const std::vector<nlu::Intent>& got, const std::vector<nlu::Intent>& want) {
  if (got == want) return true;
  auto actions = [](const std::vector<nlu::Intent>& v) {
    std::vector<nlu::Intent> out;
    for (const auto& i : v)
      if (!i.is_chat()) out.push_back(i);
    return out;
  };
  return want.empty() && actions(got).empty();
}

// Whether the model's intents do what the expected ones do in this home: the same intents in
// order with the same values, and targets that resolve to the same devices ("basement lights
// off" read as the device named "basement lights" or as the lights of the basement, when that is
// the one light there). Exact match is stricter: it also wants the set's reading of the words.
bool same_action(const std::vector<nlu::Intent>& got, const std::vector<nlu::Intent>& want, const nlu::Home& home) {
  if (same(got, want)) return true;
  if (got.size() != want.size()) return false;
  static const std::set<std::string> kTargetKeys = {"name", "area", "floor", "domain", "device_class"};
  auto action = [&](const nlu::Intent& i) {
    nlu::Intent values = i;
    for (const auto& k : kTargetKeys) values.slots.erase(k);
    const nlu::Resolution r = nlu::resolve(i, home, "");
    std::vector<std::string> targets = r.targets;
    std::sort(targets.begin(), targets.end());
    // Unresolved targets compare as said.
    return std::make_tuple(values.name, values.slots.dump(), r.kind == nlu::Resolution::Kind::kResolved,
                           r.kind == nlu::Resolution::Kind::kResolved ? nlohmann::json(targets).dump() : i.slots.dump());
  };
  for (size_t k = 0; k < got.size(); ++k)
    if (action(got[k]) != action(want[k])) return false;
  return true;
}

void eval(CliContext& ctx, const NluOptions& o) {
  auto config = ctx.config();
  if (!config) return;
  auto parser = make_parser(ctx, *config, o, o.cache);
  if (!parser) return;
  std::ifstream in(o.set);
  if (!in) return ctx.error(kExitFailure, "cannot read " + o.set);
  // (line number, text) of every example, the whole set once per --repeat.
  std::vector<std::pair<size_t, std::string>> work;
  {
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    for (int round = 0; round < std::max(1, o.repeat); ++round)
      for (size_t i = 0; i < lines.size(); ++i) work.emplace_back(i + 1, lines[i]);
  }
  struct Counts {
    size_t tp = 0, fp = 0, fn = 0;
  };
  std::map<std::string, Counts> per_intent;
  std::map<std::pair<std::string, std::string>, size_t> confusions;
  std::vector<double> latencies;
  std::vector<std::pair<double, bool>> scored;  // (confidence, right) per example the model answered
  nlohmann::json failures = nlohmann::json::array();
  size_t total = 0, exact = 0, same_effect = 0, errors = 0, n = 0;
  for (const auto& [line_no, line] : work) {
    n = line_no;
    if (line.empty() || line[0] == '#') continue;
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("text") || !j["text"].is_string() || !j.contains("intents"))
      return ctx.error(kExitUsage, o.set + ":" + std::to_string(n) + ": expected {\"text\", \"intents\"}");
    auto want = nlu::intents_from_json(j["intents"]);
    if (!want) return ctx.error(kExitUsage, o.set + ":" + std::to_string(n) + ": " + want.error().message);
    std::vector<nlu::Intent> prev;
    if (j.contains("prev")) {
      auto p = nlu::intents_from_json(j["prev"]);
      if (!p) return ctx.error(kExitUsage, o.set + ":" + std::to_string(n) + ": prev: " + p.error().message);
      prev = std::move(p).value();
    }
    ++total;
    auto u = parser->understand(j["text"].get<std::string>(), prev);
    std::vector<nlu::Intent> got;
    std::string raw;
    if (u) {
      got = u->intents;
      raw = u->raw;
      latencies.push_back(u->latency_ms);
    } else {
      ++errors;
      raw = "error: " + u.error().message;
    }
    const bool ok = u && same(got, *want);
    exact += ok;
    same_effect += u && same_action(got, *want, parser->home());
    if (u) scored.emplace_back(u->confidence, ok);
    std::multiset<std::string> g, w;
    for (const auto& i : got) g.insert(i.name);
    for (const auto& i : *want) w.insert(i.name);
    for (const auto& name : std::set<std::string>(w.begin(), w.end())) {
      const size_t hit = std::min(g.count(name), w.count(name));
      per_intent[name].tp += hit;
      per_intent[name].fn += w.count(name) - hit;
    }
    for (const auto& name : std::set<std::string>(g.begin(), g.end()))
      per_intent[name].fp += g.count(name) - std::min(g.count(name), w.count(name));
    if (!ok) {
      const std::string a = want->empty() ? "(none)" : (*want)[0].name;
      const std::string b = got.empty() ? "(none)" : got[0].name;
      if (want->size() == 1 && got.size() == 1 && a != b) ++confusions[{a, b}];
      if (failures.size() < o.max_failures)
        failures.push_back({{"line", n},
                            {"text", j["text"]},
                            {"want", nlu::encode_intents(*want)},
                            {"got", u ? nlu::encode_intents(got) : raw},
                            {"model", raw}});
    }
  }
  if (total == 0) return ctx.error(kExitUsage, o.set + ": no examples");
  const double acc = static_cast<double>(exact) / static_cast<double>(total);
  nlohmann::json report = {{"set", o.set},
                           {"model", parser->model_path()},
                           {"examples", total},
                           {"exact_match", acc},
                           {"same_action", static_cast<double>(same_effect) / static_cast<double>(total)},
                           {"errors", errors},
                           {"threads", o.threads},
                           {"latency_ms", {{"p50", percentile(latencies, 0.5)}, {"p99", percentile(latencies, 0.99)}}}};
  nlohmann::json pi = nlohmann::json::object();
  for (const auto& [name, c] : per_intent) {
    const double p = c.tp + c.fp ? static_cast<double>(c.tp) / static_cast<double>(c.tp + c.fp) : 1.0;
    const double r = c.tp + c.fn ? static_cast<double>(c.tp) / static_cast<double>(c.tp + c.fn) : 1.0;
    pi[name] = {{"precision", p}, {"recall", r}, {"support", c.tp + c.fn}};
  }
  report["per_intent"] = pi;
  // How the confidence threshold trades answers for correctness: of the examples at or above
  // each threshold, how many there are (coverage) and how many are right (accuracy).
  nlohmann::json thresholds = nlohmann::json::array();
  for (double th : {0.0, 0.05, 0.15, 0.3, 0.5, 0.8}) {
    size_t above = 0, right = 0;
    for (const auto& [c, r] : scored)
      if (c >= th) {
        ++above;
        right += r;
      }
    thresholds.push_back({{"threshold", th},
                          {"coverage", static_cast<double>(above) / static_cast<double>(total)},
                          {"accuracy", above ? static_cast<double>(right) / static_cast<double>(above) : 1.0}});
  }
  report["confidence"] = thresholds;
  nlohmann::json conf = nlohmann::json::array();
  for (const auto& [k, v] : confusions) conf.push_back({{"expected", k.first}, {"got", k.second}, {"count", v}});
  report["confusions"] = conf;
  report["failures"] = failures;
  if (o.json) {
    std::cout << report.dump(1) << "\n";
    return;
  }
  std::printf("%s: %zu examples, exact match %.2f%% (%zu errors)\n", o.set.c_str(), total, acc * 100.0, errors);
  std::printf("same action (targets resolved in the home): %.2f%%\n", 100.0 * static_cast<double>(same_effect) / static_cast<double>(total));
  std::printf("latency: p50 %.2f ms, p99 %.2f ms\n", percentile(latencies, 0.5), percentile(latencies, 0.99));
  std::printf("confidence threshold: coverage / accuracy of what is at or above it\n");
  for (const auto& t : thresholds)
    std::printf("  %.2f: %5.1f%% / %5.1f%%\n", t["threshold"].get<double>(), 100.0 * t["coverage"].get<double>(),
                100.0 * t["accuracy"].get<double>());
  std::printf("%-28s %9s %9s %8s\n", "intent", "precision", "recall", "support");
  for (const auto& [name, v] : pi.items())
    std::printf("%-28s %9.3f %9.3f %8zu\n", name.c_str(), v["precision"].get<double>(), v["recall"].get<double>(),
                v["support"].get<size_t>());
  if (!conf.empty()) {
    std::printf("confusions (expected -> got):\n");
    for (const auto& c : conf)
      std::printf("  %s -> %s: %zu\n", c["expected"].get<std::string>().c_str(), c["got"].get<std::string>().c_str(),
                  c["count"].get<size_t>());
  }
}

}  // namespace

void add_nlu_commands(CLI::App& app, CliContext& ctx) {
  auto o = std::make_shared<NluOptions>();
  auto* p = app.add_subcommand("parse", "Understand utterances, one a line, and print the intents as JSON (nothing is executed)");
  p->add_option("input", o->input, "file of utterances, or - for standard input")->capture_default_str();
  p->add_option("--devices", o->devices, "devices file (default: nlu.devices)");
  p->add_option("--area", o->area, "the speaker's area");
  p->add_option("--model", o->model, "GGUF intent model (default: nlu.model or the embedded model)");
  p->add_option("--threads", o->threads, "model threads (default: nlu.threads)");
  p->add_flag("--jsonl", o->jsonl, "input lines are JSON: {\"text\", \"area\", \"session\"}");
  p->add_option("--cloud", o->cloud, "when unsure: off, ask (the next line answers) or auto (needs cloud.* in the config)")
      ->capture_default_str();
  p->callback([&ctx, o] { parse(ctx, *o); });

  auto* s = app.add_subcommand("say", "Say one thing to hearth: understood, carried out where hearth can, answered");
  s->add_option("text", o->text, "what you say")->required();
  s->add_option("--area", o->area, "the speaker's area (default: the default_area preference)");
  s->add_option("--devices", o->devices, "devices file (default: nlu.devices)");
  s->add_option("--model", o->model, "GGUF intent model (default: nlu.model or the embedded model)");
  s->add_flag("--yes", o->yes, "confirm a sensitive action (unlock, open a door) in advance");
  s->add_flag("--json", o->json, "print the turn as JSON");
  s->callback([&ctx, o] { say(ctx, *o); });

  auto* l = app.add_subcommand("listen", "Hear one request from the microphone or a WAV file, then act on it as `say`");
  l->add_option("--wav", o->wav, "a recording instead of the microphone (WAV: PCM or float, mono or stereo, any rate)");
  l->add_flag("--wake", o->wake, "wait for the wake word first (default: listen at once, as push to talk)");
  l->add_option("--area", o->area, "the speaker's area (default: the default_area preference)");
  l->add_option("--devices", o->devices, "devices file (default: nlu.devices)");
  l->add_flag("--yes", o->yes, "confirm a sensitive action in advance");
  l->add_flag("--json", o->json, "print the turn as JSON, with what was heard");
  l->callback([&ctx, o] {
    NluOptions lo = *o;
    lo.listen = true;
    say(ctx, lo);
  });

  auto* e = app.add_subcommand("eval", "Score the NLU on a JSONL set of {\"text\", \"intents\"}");
  e->add_option("--set", o->set, "evaluation set (JSONL)")->required();
  e->add_option("--devices", o->devices, "devices file the set's names come from");
  e->add_option("--model", o->model, "GGUF intent model (default: nlu.model or the embedded model)");
  e->add_option("--threads", o->threads, "model threads (default: nlu.threads)");
  e->add_flag("--cache", o->cache, "answer repeated utterances from the cache");
  e->add_flag("--no-prefix-reuse", o->no_prefix_reuse, "evaluate every prompt from an empty KV cache");
  e->add_flag("--forced-runs", o->forced_runs, "append text the grammar forces without sampling (off in the product)");
  e->add_flag("--no-split", o->no_split, "never read joined requests part by part");
  e->add_flag("--json", o->json, "print the report as JSON");
  e->add_option("--failures", o->max_failures, "list at most this many failures in the JSON report")->capture_default_str();
  e->add_option("--repeat", o->repeat, "go through the set this many times (with --cache: repeats come from the cache)")
      ->check(CLI::Range(1, 100));
  e->callback([&ctx, o] { eval(ctx, *o); });
}

}  // namespace hearth::app
