// `hearth history list|export|clear`.
#include <unistd.h>

#include <ctime>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli.h"
#include "hearth/storage/history.h"

namespace hearth::app {

namespace {

std::string local_time(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

nlohmann::json to_json(const storage::HistoryEntry& e) {
  nlohmann::json intents = nlohmann::json::parse(e.intents_json, nullptr, false);
  if (intents.is_discarded()) intents = nlohmann::json::array();
  return {{"id", e.id},         {"time_ms", e.time_ms},       {"input", storage::to_string(e.input)},
          {"utterance", e.utterance}, {"intents", intents},   {"reply", e.reply},
          {"outcome", e.outcome},   {"latency_ms", e.latency_ms}, {"left_device", e.left_device}};
}

template <class Fn>
void with_history(CliContext& ctx, Fn&& fn) {
  auto config = ctx.config();
  if (!config) return;
  auto db = ctx.open_database(*config);
  if (!db) return;
  storage::History history(*db);
  fn(history);
}

}  // namespace

void add_history_commands(CLI::App& app, CliContext& ctx) {
  auto* history = app.add_subcommand("history", "Show, export or clear what was said");
  history->require_subcommand(1);
  static bool json = false, yes = false;
  static int64_t limit = 20;
  static std::string search, file;

  auto* list = history->add_subcommand("list", "Show recent requests, newest first");
  list->add_option("-n,--limit", limit, "How many (default 20)")->check(CLI::Range(int64_t{1}, int64_t{1000000}));
  list->add_option("-s,--search", search, "Only requests or replies containing this text");
  list->add_flag("--json", json, "Print JSON, one object per line");
  list->callback([&ctx] {
    with_history(ctx, [&](storage::History& h) {
      storage::HistoryQuery q;
      q.limit = limit;
      q.contains = search;
      auto rows = h.list(q);
      if (!rows) return ctx.error(kExitFailure, rows.error().message);
      for (const auto& e : rows.value()) {
        if (json) {
          std::cout << to_json(e).dump() << "\n";
          continue;
        }
        std::cout << local_time(e.time_ms) << "  " << (e.input == storage::InputKind::kVoice ? "voice" : "text ")
                  << (e.left_device ? "  [cloud]" : "") << "  \"" << e.utterance << "\"\n"
                  << "    -> " << e.outcome << (e.reply.empty() ? "" : ": " + e.reply) << "  (" << e.latency_ms
                  << " ms)\n";
      }
      if (!json && rows->empty()) std::cout << "No history.\n";
    });
  });

  auto* exp = history->add_subcommand("export", "Write all history as a JSON array (to FILE or standard output)");
  exp->add_option("FILE", file, "Output file");
  exp->callback([&ctx] {
    with_history(ctx, [&](storage::History& h) {
      storage::HistoryQuery q;
      q.limit = INT64_MAX;
      auto rows = h.list(q);
      if (!rows) return ctx.error(kExitFailure, rows.error().message);
      nlohmann::json out = nlohmann::json::array();
      for (const auto& e : rows.value()) out.push_back(to_json(e));
      if (file.empty()) {
        std::cout << out.dump(2) << "\n";
        return;
      }
      std::ofstream f(file);
      f << out.dump(2) << "\n";
      if (!f) return ctx.error(kExitFailure, "cannot write " + file);
    });
  });

  auto* clear = history->add_subcommand("clear", "Delete all history");
  clear->add_flag("-y,--yes", yes, "Do not ask for confirmation");
  clear->callback([&ctx] {
    with_history(ctx, [&](storage::History& h) {
      if (!yes) {
        if (!::isatty(STDIN_FILENO)) return ctx.error(kExitUsage, "history clear: add --yes to confirm");
        auto n = h.count();
        std::cout << "Delete all " << (n ? std::to_string(n.value()) : std::string("")) << " history entries? [y/N] " << std::flush;
        std::string answer;
        std::getline(std::cin, answer);
        if (answer != "y" && answer != "Y" && answer != "yes") {
          std::cout << "Nothing deleted.\n";
          return;
        }
      }
      auto n = h.clear();
      if (!n) return ctx.error(kExitFailure, n.error().message);
      std::cout << "Deleted " << n.value() << " history entries.\n";
    });
  });
}

}  // namespace hearth::app
