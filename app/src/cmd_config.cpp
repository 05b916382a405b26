// `hearth config show|check` and `hearth version`.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli.h"
#include "hearth/storage/database.h"
#include "version.h"

namespace hearth::app {

void add_config_commands(CLI::App& app, CliContext& ctx) {
  auto* config = app.add_subcommand("config", "Show or check the configuration");
  config->require_subcommand(1);

  auto* show = config->add_subcommand("show", "Print the effective configuration (defaults included)");
  static bool json = false;
  show->add_flag("--json", json, "Print JSON instead of YAML");
  show->callback([&ctx] {
    auto c = ctx.config();
    if (!c) return;
    if (json) {
      std::cout << config_to_json(*c) << "\n";
    } else {
      std::cout << "# effective configuration (from " << (c->source.empty() ? "built-in defaults" : c->source) << ")\n"
                << config_to_yaml(*c);
    }
  });

  auto* check = config->add_subcommand("check", "Validate a config file");
  static std::string file;
  check->add_option("FILE", file, "The file to check")->required();
  check->callback([&ctx] {
    auto c = load_config_file(file);
    if (!c) return ctx.error(kExitUsage, c.error().message);
    std::cout << file << ": ok\n";
  });
}

void add_version_command(CLI::App& app, CliContext& ctx) {
  auto* version = app.add_subcommand("version", "Print the version");
  static bool json = false;
  version->add_flag("--json", json, "Print JSON");
  version->callback([&ctx] {
    (void)ctx;
    if (json) {
      nlohmann::json j = {{"name", "hearth"},
                          {"version", kVersion},
                          {"build_type", kBuildType},
                          {"database_schema", storage::Database::kSchemaVersion}};
      std::cout << j.dump() << "\n";
    } else {
      std::cout << "hearth " << kVersion << "\n";
    }
  });
}

}  // namespace hearth::app
