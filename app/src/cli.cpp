#include "cli.h"

#include <spdlog/spdlog.h>

#include <iostream>

#include "logging.h"

namespace hearth::app {

std::optional<Config> CliContext::config() {
  auto c = load_config(config_path);
  if (!c) {
    error(kExitUsage, c.error().message);
    return std::nullopt;
  }
  return c.value();
}

std::unique_ptr<storage::Database> CliContext::open_database(const Config& config) {
  storage::DatabaseOptions opts;
  opts.path = database_path(config);
  opts.busy_timeout_ms = config.storage.busy_timeout_ms;
  opts.durability = config.storage.durability == "full" ? storage::Durability::kFull : storage::Durability::kNormal;
  auto db = storage::Database::open(opts);
  if (!db) {
    error(kExitFailure, db.error().message);
    return nullptr;
  }
  return std::move(db).value();
}

void CliContext::error(int code, const std::string& message) {
  std::cerr << "hearth: " << message << "\n";
  exit_code = code;
}

int run_cli(int argc, char** argv) {
  CliContext ctx;
  // Plain stderr logging for every command; `run` replaces it with its configured setup.
  setup_logging(LogSetup{});
  CLI::App app{"hearth — an offline-first smart-home assistant", "hearth"};
  app.set_help_all_flag("--help-all", "Show help for every subcommand");
  app.add_option("--config", ctx.config_path, "Config file (default: $XDG_CONFIG_HOME/hearth/hearth.yaml, then /etc/hearth/hearth.yaml)");
  app.add_flag("-v,--verbose", ctx.verbosity, "More log output (-vv for everything)");
  app.add_flag("-q,--quiet", ctx.quiet, "Only log errors");
  app.require_subcommand(0, 1);
  app.fallthrough();

  add_config_commands(app, ctx);
  add_prefs_commands(app, ctx);
  add_history_commands(app, ctx);
  add_version_command(app, ctx);
  add_llm_commands(app, ctx);
  add_nlu_commands(app, ctx);
  add_devices_commands(app, ctx);
  add_audio_commands(app, ctx);
  std::function<void()> run_default = add_run_command(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  if (app.get_subcommands().empty()) {
    // No subcommand: `hearth` alone runs the assistant.
    run_default();
  }
  spdlog::shutdown();
  return ctx.exit_code;
}

}  // namespace hearth::app
