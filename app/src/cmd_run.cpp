// `hearth run`: starts the assistant's long-lived parts and serves until stopped.
//
// What runs today: the configuration, logging, the language understanding of typed requests
// (interactive mode: timers, lists, time and date are carried out; devices are not connected
// yet), the database (with history purged by the
// retention preference at start and daily) and the MQTT broker (a private local one unless
// mqtt.host is set). SIGTERM/SIGINT stop cleanly; SIGHUP re-reads the config file and keeps the
// old one if the new one is invalid.
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <spdlog/spdlog.h>

#include "cli.h"
#include "hearth/nlu/conversation.h"
#include "hearth/nlu/parser.h"
#include "hearth/storage/history.h"
#include "hearth/storage/preferences.h"
#include "local_actions.h"
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
  // Typed requests in interactive mode go through the language understanding. Devices are not
  // connected in this build, so nothing is switched: the reply says what would be done.
  std::unique_ptr<nlu::IntentParser> parser;
  std::unique_ptr<nlu::CloudClient> cloud;
  std::unique_ptr<nlu::Conversation> conversation;
  if (!opts.headless) {
    auto p = make_intent_parser(*config);
    if (!p) {
      spdlog::warn("language understanding is off: {}", p.error().message);
    } else {
      parser = std::move(p).value();
      storage::Preferences prefs(*db);
      nlu::ConversationOptions co = conversation_options(*config, &prefs);
      if (co.cloud_mode != nlu::CloudMode::kOff) {
        cloud = make_cloud_client(*config);
        if (!cloud) spdlog::warn("cloud_fallback is on, but cloud.base_url and cloud.model are not set");
      }
      co.cloud = cloud.get();
      conversation = std::make_unique<nlu::Conversation>(*parser, co);
    }
    std::cout << "hearth is running. " << (conversation ? "Type a request, e.g. \"turn on the kitchen lights\".\n" : "\n")
              << "Timers and lists work; devices and speech are not part of this build yet, so nothing is switched.\n"
                 "Press Ctrl-D or Ctrl-C to stop.\n"
              << (conversation ? "> " : "") << std::flush;
  }
  nlu::Timers timers;
  std::string pending_input;
  auto answer = [&](const std::string& line) {
    if (!conversation) return;
    storage::Preferences prefs(*db);
    const auto t0 = std::chrono::steady_clock::now();
    nlu::Turn t = conversation->handle(line, prefs.get_string("default_area"));
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    std::cout << answer_turn(t, parser->home(), timers, *db, ms) << "\n> " << std::flush;
  };

  auto last_purge = std::chrono::steady_clock::now();
  bool stdin_open = !opts.headless;
  for (;;) {
    pollfd fds[2] = {{sfd, POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
    int wait_ms = 60'000;
    if (auto next = timers.next_due()) {
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(*next - std::chrono::steady_clock::now()).count();
      wait_ms = static_cast<int>(std::clamp<long long>(ms + 1, 0, wait_ms));
    }
    int n = ::poll(fds, stdin_open ? 2 : 1, wait_ms);
    for (const std::string& announcement : timers.due()) {
      spdlog::info("{}", announcement);
      if (!opts.headless) std::cout << "\n" << announcement << "\n> " << std::flush;
    }
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
      char buf[4096];
      const ssize_t got = ::read(STDIN_FILENO, buf, sizeof buf);
      if (got <= 0) {
        if (!pending_input.empty()) answer(pending_input);
        spdlog::info("standard input closed, stopping");
        break;
      }
      pending_input.append(buf, static_cast<size_t>(got));
      for (size_t nl; (nl = pending_input.find('\n')) != std::string::npos;) {
        const std::string line = pending_input.substr(0, nl);
        pending_input.erase(0, nl + 1);
        if (!line.empty()) answer(line);
      }
      if (pending_input.size() > 64 * 1024) pending_input.clear();  // no newline in sight: not a request
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
