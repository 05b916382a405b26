// `hearth run`: starts the assistant's long-lived parts and serves until stopped.
//
// What runs today: the configuration, logging, the database (with history purged by the
// retention preference at start and daily) and the MQTT broker (a private local one unless
// mqtt.host is set). SIGTERM/SIGINT stop cleanly; SIGHUP re-reads the config file and keeps the
// old one if the new one is invalid.
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <spdlog/spdlog.h>

#include "cli.h"
#include "hearth/storage/history.h"
#include "hearth/storage/preferences.h"
#include "local_broker.h"
#include "logging.h"

namespace hearth::app {

namespace {

constexpr int64_t kPurgeEveryMs = 24LL * 3600 * 1000;

void purge_history(storage::Database& db) {
  storage::Preferences prefs(db);
  const int64_t days = prefs.get_int("history_retention_days");
  auto n = storage::purge_by_retention(db, days);
  if (!n) spdlog::error("history purge failed: {}", n.error().message);
  else if (n.value() > 0) spdlog::info("purged {} history entries older than {} days", n.value(), days);
}

struct RunOptions {
  bool headless = false;
};

void run_assistant(CliContext& ctx, const RunOptions& opts) {
  // Signals are taken synchronously through a signalfd, so no handler runs at an awkward time.
  // They are blocked before any thread starts (spdlog's flusher among them) so that every thread
  // inherits the mask and none of them is killed by a SIGHUP meant for the reload.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  int sfd = signalfd(-1, &signals, SFD_CLOEXEC);
  if (sfd < 0) return ctx.error(kExitFailure, "cannot watch signals");

  auto config = ctx.config();
  if (!config) return;
  LogSetup log{config->log.level, ctx.quiet ? -1 : ctx.verbosity, opts.headless,
               config->log.file.empty() ? state_dir() + "/hearth.log" : config->log.file, config->log.max_size_mb,
               config->log.max_files};
  if (auto err = setup_logging(log); !err.empty()) spdlog::warn("{}", err);
  spdlog::info("hearth starting ({}; config: {})", opts.headless ? "headless" : "interactive",
               config->source.empty() ? "built-in defaults" : config->source);

  auto db = ctx.open_database(*config);
  if (!db) return;
  spdlog::info("database {} (schema {})", db->path(), db->schema_version());
  purge_history(*db);

  std::unique_ptr<LocalBroker> broker;
  if (config->mqtt.host.empty()) {
    auto b = LocalBroker::start(config->mqtt.mosquitto);
    if (!b) return ctx.error(kExitFailure, "cannot start the local MQTT broker: " + b.error());
    broker = std::move(b).value();
    spdlog::info("local MQTT broker on {}:{}", broker->host(), broker->port());
  } else {
    spdlog::info("MQTT broker {}:{}", config->mqtt.host, config->mqtt.port);
  }
  if (!opts.headless) {
    std::cout << "hearth is running. Speech, language understanding and devices are not part of this build yet;\n"
                 "press Ctrl-D or Ctrl-C to stop.\n"
              << std::flush;
  }

  auto last_purge = std::chrono::steady_clock::now();
  bool stdin_open = !opts.headless;
  for (;;) {
    pollfd fds[2] = {{sfd, POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
    int n = ::poll(fds, stdin_open ? 2 : 1, 60'000);
    if (n > 0 && (fds[0].revents & POLLIN)) {
      signalfd_siginfo si{};
      if (::read(sfd, &si, sizeof si) == static_cast<ssize_t>(sizeof si)) {
        if (si.ssi_signo == SIGHUP) {
          auto reloaded = load_config(ctx.config_path);
          if (!reloaded) {
            spdlog::error("config reload refused, keeping the running config: {}", reloaded.error().message);
          } else {
            config = reloaded.value();
            log.level = config->log.level;
            if (auto err = setup_logging(log); !err.empty()) spdlog::warn("{}", err);
            spdlog::info("config reloaded from {}", config->source.empty() ? "built-in defaults" : config->source);
          }
        } else {
          spdlog::info("stopping ({})", si.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT");
          break;
        }
      }
    }
    if (stdin_open && n > 0 && (fds[1].revents & (POLLIN | POLLHUP))) {
      char buf[256];
      if (::read(STDIN_FILENO, buf, sizeof buf) <= 0) {
        spdlog::info("standard input closed, stopping");
        break;
      }
    }
    if (std::chrono::steady_clock::now() - last_purge > std::chrono::milliseconds(kPurgeEveryMs)) {
      purge_history(*db);
      last_purge = std::chrono::steady_clock::now();
    }
  }
  if (broker) broker->stop();
  db.reset();
  ::close(sfd);
  spdlog::info("hearth stopped");
}

}  // namespace

std::function<void()> add_run_command(CLI::App& app, CliContext& ctx) {
  auto* run = app.add_subcommand("run", "Run the assistant (the default)");
  static RunOptions opts;
  run->add_flag("--headless", opts.headless, "Run as a hub service: no terminal interaction, log to a file too");
  auto action = [&ctx] { run_assistant(ctx, opts); };
  run->callback(action);
  return action;
}

}  // namespace hearth::app
