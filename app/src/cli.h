// app/src/cli.h — the `hearth` command line (CLI11).
//
// Exit codes: 0 ok, 1 runtime failure (a file or service could not be used), 2 usage error
// (bad arguments, an invalid config file, a refused value).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "config.h"
#include "hearth/nlu/cloud.h"
#include "hearth/nlu/conversation.h"
#include "hearth/nlu/parser.h"
#include "hearth/storage/preferences.h"
#include "hearth/storage/database.h"

namespace hearth::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// State shared by the subcommands: the global options and the exit code a command sets.
struct CliContext {
  std::optional<std::string> config_path;
  int verbosity = 0;  // count of -v
  bool quiet = false;
  int exit_code = kExitOk;

  // Loads the config named by the options (prints the error and sets exit_code on failure).
  std::optional<Config> config();
  // Loads the config and opens its database (prints the error and sets exit_code on failure).
  std::unique_ptr<storage::Database> open_database(const Config& config);
  // Prints "hearth: <message>" to stderr and sets the exit code.
  void error(int code, const std::string& message);
};

// Each file adds its subcommands; the callbacks set ctx.exit_code.
void add_config_commands(CLI::App& app, CliContext& ctx);
void add_prefs_commands(CLI::App& app, CliContext& ctx);
void add_history_commands(CLI::App& app, CliContext& ctx);
void add_version_command(CLI::App& app, CliContext& ctx);
void add_llm_commands(CLI::App& app, CliContext& ctx);
void add_nlu_commands(CLI::App& app, CliContext& ctx);
void add_devices_commands(CLI::App& app, CliContext& ctx);  // devices, devices watch, sim
void add_audio_commands(CLI::App& app, CliContext& ctx);    // audio devices, audio wake, speak
// The intent model to load: nlu.model, else the embedded model (installed or in the source tree).
std::string default_model_path(const Config& config);
// The cloud client of the config, or nullptr when cloud.base_url is empty (a bad setting is
// logged and also gives nullptr).
std::unique_ptr<nlu::CloudClient> make_cloud_client(const Config& config);
// The cloud_fallback preference's word as a mode; nullopt for another word.
std::optional<nlu::CloudMode> cloud_mode_of(const std::string& word);
// What the commands choose about the parser; empty or negative: the config's setting.
struct ParserChoice {
  std::string model, devices;
  int threads = -1;
  bool cache = true;
  bool prefix_reuse = true;
  bool forced_runs = false;
  bool split_requests = true;
};
// The intent parser of the config with the home of its devices file (kBadHome for a bad file).
nlu::Result<std::unique_ptr<nlu::IntentParser>> make_intent_parser(const Config& config, const ParserChoice& choice = {});
// Threshold and session window from the config; with prefs also confirm_sensitive and the
// cloud mode (the caller adds the client).
nlu::ConversationOptions conversation_options(const Config& config, storage::Preferences* prefs);
// `run`, also the default when no subcommand is given. Returns the action it runs.
std::function<void()> add_run_command(CLI::App& app, CliContext& ctx);

int run_cli(int argc, char** argv);

}  // namespace hearth::app
