// `hearth run`: starts the assistant's long-lived parts and serves until stopped.
//
// What runs: the configuration, logging, the database (history purged by the retention
// preference at start and daily), the MQTT broker (a private local one unless mqtt.host is set),
// the simulated home (with the private broker, unless hub.simulator is off), the device hub
// (registry, discovery, durable commands), the Hermes bridge, and in interactive mode the text
// prompt: typed requests are understood and carried out (devices, timers, lists, time and date),
// and the HTTP API (http_api.h). Requests from both go through the one Assistant.
// SIGTERM/SIGINT stop cleanly; SIGHUP re-reads the config file and keeps the old one if the new
// one is invalid.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <filesystem>
#include <mutex>
#include <thread>
#include <chrono>
#include <iostream>
#include <spdlog/spdlog.h>

#include "cli.h"
#include "hearth/nlu/conversation.h"
#include "hearth/nlu/parser.h"
#include "hearth/storage/history.h"
#include "hearth/storage/preferences.h"
#include "local_actions.h"

#include "assistant.h"
#include "hearth/ui/window.h"
#include "window_loader.h"
#include "device_link.h"
#include "events.h"
#include "http_api.h"
#include "metrics.h"
#include "hearth/devices/hermes.h"
#include "voice_service.h"
#include "hearth/storage/outbox.h"
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
  bool gui = false;    // the window even without a display variable (fails without a display)
  bool kiosk = false;  // the window fullscreen, for a touch screen
};

bool display_available() {
  const char* x = std::getenv("DISPLAY");
  const char* w = std::getenv("WAYLAND_DISPLAY");
  return (x && *x) || (w && *w);
}

// Reads one signal from the signalfd; true when it asks hearth to stop (SIGHUP reloads).
bool handle_signal(int sfd, CliContext& ctx, std::optional<Config>& config, LogSetup& log) {
  signalfd_siginfo si{};
  if (::read(sfd, &si, sizeof si) != static_cast<ssize_t>(sizeof si)) return false;
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
    return false;
  }
  spdlog::info("stopping ({})", si.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT");
  return true;
}

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

  // Devices: the broker (private unless configured), the simulated home, the hub.
  nlu::Home layout;
  if (auto l = layout_home(*config)) layout = std::move(l).value();
  else spdlog::warn("devices file ignored: {}", l.error().message);
  storage::Outbox outbox(*db);
  EventBus events;
  Metrics metrics;
  DeviceSide side;
  if (auto s = start_device_side(*config, outbox, configured_devices(layout, config->mqtt.zigbee2mqtt_base), true); !s) {
    if (config->mqtt.host.empty()) return ctx.error(kExitFailure, s.error());
    spdlog::error("devices are not available: {}", s.error());
  } else {
    side = std::move(s).value();
    if (side.broker) write_broker_file(side.address);
  }
  devices::DeviceHub* hub = side.hub.get();
  if (hub) {
    hub->on_expired([&events, hub](const storage::OutboxCommand& c, const std::string& device_id) {
      auto d = hub->registry().find(device_id);
      events.publish("notice", {{"text", "A command to " + (d ? "the " + d->name : c.topic) +
                                             " could not be delivered in time and was dropped."}});
    });
    hub->registry().add_listener([&events](const devices::Change& c) {
      events.publish("device", {{"change", devices::to_string(c.kind)}, {"device", devices::to_json(c.device)}});
    });
    if (hub->wait_connected(3000)) hub->wait_for_discovery(500, 5000);
    else spdlog::warn("MQTT broker not reachable yet ({}); commands wait in the outbox", hub->connection_error());
    spdlog::info("{} devices known", hub->registry().size());
    metrics.gauge("hearth_mqtt_connected", "1 when connected to the MQTT broker", [hub] { return hub->connected() ? 1.0 : 0.0; });
    metrics.gauge("hearth_outbox_depth", "device commands not yet acknowledged by the broker",
                  [hub] { return static_cast<double>(hub->outbox_depth()); });
    metrics.gauge("hearth_devices", "devices in the registry", [hub] { return static_cast<double>(hub->registry().size()); });
  }

  // The language understanding: one owner, requests queued to it.
  std::unique_ptr<Assistant> assistant;
  if (auto a = Assistant::start(*config, *db, hub, layout, events, metrics); !a) {
    spdlog::warn("language understanding is off: {}", a.error());
  } else {
    assistant = std::move(a).value();
    std::error_code ec;
    const auto model_bytes = std::filesystem::file_size(assistant->model_path(), ec);
    metrics.gauge("hearth_model_bytes", "size of the intent model file (mapped, not copied)",
                  [model_bytes] { return static_cast<double>(model_bytes); });
    metrics.gauge("hearth_requests_queued", "requests waiting for the assistant",
                  [a = assistant.get()] { return static_cast<double>(a->queued()); });
  }
  // Rhasspy Hermes NLU queries get their own parser: they are answered on the bridge's thread.
  std::unique_ptr<nlu::IntentParser> hermes_parser;
  std::unique_ptr<devices::HermesBridge> hermes;
  uint64_t hermes_version = ~0ULL;
  if (hub && config->hub.hermes == "on") {
    if (auto p = make_intent_parser(*config); p) {
      hermes_parser = std::move(p).value();
      hermes = std::make_unique<devices::HermesBridge>(*hub, [&](const std::string& text, const std::string&, const std::string&) {
        follow_registry(*hermes_parser, layout, *hub, hermes_version);
        return hermes_parse(*hermes_parser, text, config->nlu.confidence_threshold_percent / 100.0);
      });
    }
  }
  // The HTTP API.
  std::unique_ptr<HttpApi> http;
  if (config->http.port != 0) {
    auto h = HttpApi::start(config->http, HttpDeps{*db, assistant.get(), hub, events, metrics});
    if (!h && h.error().kind == HttpError::kSettings) return ctx.error(kExitUsage, h.error().message);
    // A port already taken (another hearth, another program) costs the API, not the assistant.
    if (!h) spdlog::error("no HTTP API: {}", h.error().message);
    else http = std::move(h).value();
  }

  bool gui = !opts.headless && (opts.gui || opts.kiosk || display_available());
  // Hands-free voice: the microphone, the wake word, spoken replies. Without a microphone
  // hearth works by text and tries the microphone again now and then.
  std::unique_ptr<VoiceService> voice;
  std::function<void(const audio::VoiceEvent&)> to_window;      // set while the window exists
  std::function<void(const std::string&, const SayResult&)> turn_to_window;
  std::mutex window_mu;
  if (assistant && config->audio.voice_input != "off") {
    VoiceServiceDeps vd{*config, *db, *assistant, events, hub, hermes.get(), layout, {}, {}};
    vd.on_event = [&](const audio::VoiceEvent& e) {
      std::lock_guard lock(window_mu);
      if (to_window) to_window(e);
    };
    vd.on_reply = [&](const std::string& heard, const SayResult& r) {
      std::lock_guard lock(window_mu);
      if (turn_to_window) turn_to_window(heard, r);
    };
    if (auto v = VoiceService::start(std::move(vd)); v) voice = std::move(v).value();
    else if (config->audio.voice_input == "on") spdlog::error("voice input is off: {}", v.error());
    else spdlog::info("voice input is off: {}", v.error());
  }
  if (gui) {
    // The window: Qt's event loop on this thread, in the module that carries Qt (loaded only
    // now); signals arrive through the same signalfd.
    ui::WindowRun run;
    if (assistant)
      run.services.say = [a = assistant.get()](const std::string& text) {
        SayResult r = a->say(SayRequest{text, "", "gui"}).get();
        return ui::UiAnswer{r.reply, r.turn.choices, r.turn.left_device};
      };
    run.services.hub = hub;
    run.services.db = db.get();
    run.services.model_loaded = assistant != nullptr;
    if (voice) run.services.push_to_talk = [v = voice.get()] { v->push_to_talk(); };
    run.services.wake_phrase = storage::Preferences(*db).get_string("wake_word");
    run.kiosk = opts.kiosk;
    run.signal_fd = sfd;
    run.on_signal = [&] { return handle_signal(sfd, ctx, config, log); };
    run.on_tick = [&] { purge_history(*db); };
    run.tick_ms = static_cast<int>(kPurgeEveryMs);
    run.attach = [&](ui::WindowSinks sinks) {
      spdlog::info(sinks.voice_event ? "window shown" : "window closing");
      std::lock_guard lock(window_mu);
      if (sinks.voice_event) to_window = std::move(sinks.voice_event);
      else to_window = nullptr;
      if (sinks.voice_turn)
        turn_to_window = [turn = std::move(sinks.voice_turn)](const std::string& heard, const SayResult& r) {
          turn(heard, ui::UiAnswer{r.reply, r.turn.choices, r.turn.left_device});
        };
      else turn_to_window = nullptr;
    };
    auto window_main = load_window_module();
    if (!window_main) {
      if (opts.gui || opts.kiosk) return ctx.error(kExitFailure, "cannot show the window: " + window_main.error());
      // A display was found but the window cannot open: the text prompt instead.
      spdlog::warn("no window ({}); using the text prompt", window_main.error());
      gui = false;
    } else {
      (*window_main)(run);
    }
  }
  // The interactive prompt: answers are printed by this thread, timers and notices by a printer.
  std::mutex out_mu;
  std::thread printer;
  auto console_events = events.subscribe();
  if (!opts.headless && !gui) {
    std::cout << "hearth is running. " << (assistant ? "Type a request, e.g. \"turn on the bedside lamp\".\n" : "\n");
    if (hub) std::cout << hub->registry().size() << " devices" << (side.simulator ? " in the simulated home" : "")
                       << "; `hearth devices` in another terminal lists them.\n";
    else std::cout << "No devices are connected.\n";
    if (http) std::cout << "HTTP API on http://" << config->http.bind << ":" << config->http.port << "\n";
    std::cout << "Press Ctrl-D or Ctrl-C to stop.\n" << (assistant ? "> " : "") << std::flush;
    printer = std::thread([&] {
      while (auto e = console_events->next(std::chrono::hours(1))) {
        std::string line;
        if (e->type == "timer" || e->type == "notice") line = e->data.value("text", std::string());
        // Requests heard by voice are shown as typed ones would be, with the reply.
        else if (e->type == "voice" && e->data.value("stage", std::string()) == "wake") line = "(listening)";
        else if (e->type == "voice" && e->data.value("stage", std::string()) == "nothing_heard") line = "(I didn't hear a request)";
        else if (e->type == "say" && e->data.value("session", std::string()) == "voice")
          line = "(heard) " + e->data.value("text", std::string()) + "\n" + e->data.value("reply", std::string());
        if (line.empty()) continue;
        std::lock_guard lock(out_mu);
        std::cout << "\n" << line << "\n> " << std::flush;
      }
    });
  } else {
    events.unsubscribe(console_events);
  }
  std::string pending_input;
  auto answer = [&](const std::string& line) {
    if (!assistant) return;
    SayResult r = assistant->say(SayRequest{line, "", "console"}).get();
    std::lock_guard lock(out_mu);
    std::cout << r.reply << "\n> " << std::flush;
  };

  auto last_purge = std::chrono::steady_clock::now();
  bool stdin_open = !opts.headless;
  for (; !gui;) {
    pollfd fds[2] = {{sfd, POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
    int n = ::poll(fds, stdin_open ? 2 : 1, 60'000);
    if (n > 0 && (fds[0].revents & POLLIN) && handle_signal(sfd, ctx, config, log)) break;
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
  // Shut down from the outside in: no new requests, answer what was taken, then devices.
  voice.reset();
  http.reset();
  assistant.reset();
  events.close();
  if (printer.joinable()) printer.join();
  hermes.reset();
  if (hub) {
    // Flush: commands already stored get up to 2 s to reach the broker; what is left stays in
    // the outbox and goes out at the next start if still within its time limit.
    for (int i = 0; i < 40 && hub->connected() && hub->outbox_depth() > 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    spdlog::info("stopping devices ({} commands not yet delivered stay in the outbox)", hub->outbox_depth());
  }
  side.hub.reset();
  side.simulator.reset();
  if (side.broker) {
    side.broker->stop();
    remove_broker_file();
  }
  db.reset();
  ::close(sfd);
  spdlog::info("hearth stopped");
}

}  // namespace

std::function<void()> add_run_command(CLI::App& app, CliContext& ctx) {
  auto* run = app.add_subcommand("run", "Run the assistant (the default)");
  static RunOptions opts;
  run->add_flag("--headless", opts.headless, "Run as a hub service: no terminal interaction, log to a file too");
  run->add_flag("--gui", opts.gui, "Open the window (the default when a display exists)");
  run->add_flag("--kiosk", opts.kiosk, "Open the window fullscreen for a touch screen");
  auto action = [&ctx] { run_assistant(ctx, opts); };
  run->callback(action);
  return action;
}

}  // namespace hearth::app
