// The MQTT connection: one network thread drives libmosquitto through its external-loop API
// (poll on its socket and an eventfd that wakes the thread when work is queued).
#include "hearth/devices/mqtt.h"

#include <mosquitto.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <spdlog/spdlog.h>
#include <thread>

namespace hearth::devices {

namespace {

// libmosquitto needs one global init; reference-counted so it is undone with the last client.
std::mutex g_lib_mu;
int g_lib_users = 0;

void lib_acquire() {
  std::lock_guard lock(g_lib_mu);
  if (g_lib_users++ == 0) mosquitto_lib_init();
}

void lib_release() {
  std::lock_guard lock(g_lib_mu);
  if (--g_lib_users == 0) mosquitto_lib_cleanup();
}

Result<std::string> read_password(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return fail(ErrorCode::kBadSettings, "password file " + path + " does not exist");
  if (st.st_mode & (S_IRWXG | S_IRWXO))
    return fail(ErrorCode::kBadSettings, "password file " + path + " may be read by others; chmod 600 it");
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return fail(ErrorCode::kBadSettings, "password file " + path + " is empty or unreadable");
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

}  // namespace

Result<void> parse_broker_url(const std::string& url, MqttSettings& s) {
  std::string rest = url;
  bool tls = false;
  if (rest.rfind("mqtt://", 0) == 0) rest = rest.substr(7);
  else if (rest.rfind("mqtts://", 0) == 0) rest = rest.substr(8), tls = true;
  else if (rest.find("://") != std::string::npos) return fail(ErrorCode::kBadSettings, "broker URL " + url + ": use mqtt:// or mqtts://");
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  int port = tls ? 8883 : 1883;
  const size_t colon = rest.rfind(':');
  if (colon != std::string::npos) {
    const std::string p = rest.substr(colon + 1);
    try {
      size_t used = 0;
      port = std::stoi(p, &used);
      if (used != p.size() || port < 1 || port > 65535) throw std::out_of_range("port");
    } catch (...) {
      return fail(ErrorCode::kBadSettings, "broker URL " + url + ": bad port '" + p + "'");
    }
    rest = rest.substr(0, colon);
  }
  if (rest.empty()) return fail(ErrorCode::kBadSettings, "broker URL " + url + ": no host");
  s.host = rest;
  s.port = port;
  if (tls && s.tls_ca_file.empty()) s.tls_ca_file = "/etc/ssl/certs/ca-certificates.crt";
  return {};
}

struct MqttClient::Impl {
  MqttSettings settings;
  MqttCallbacks callbacks;
  std::string password;
  int wake_fd = -1;
  std::thread thread;
  std::atomic<bool> stopping{false};

  // Work queued by callers, taken by the network thread.
  std::mutex mu;
  std::deque<std::pair<uint64_t, Publish>> outgoing;
  std::map<std::string, int> subscriptions;  // pattern -> qos, re-sent on every connect
  std::deque<std::string> new_subscriptions;
  uint64_t next_ticket = 1;
  std::string last_error = "not connected yet";

  mutable std::mutex state_mu;
  mutable std::condition_variable state_cv;
  bool is_connected = false;
  std::atomic<uint64_t> reconnect_count{0};
  bool ever_connected = false;

  // Network-thread state.
  mosquitto* mosq = nullptr;
  bool socket_open = false;   // TCP (and TLS) up, CONNACK maybe not yet
  bool session_up = false;    // CONNACK accepted
  std::string refused;        // CONNACK refused: why
  std::map<int, uint64_t> inflight;  // message id -> ticket
  std::mt19937 rng{std::random_device{}()};

  void wake() {
    const uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(wake_fd, &one, sizeof one);
  }

  void set_connected(bool up, const std::string& why) {
    {
      std::lock_guard lock(state_mu);
      if (is_connected == up && why.empty()) return;
      is_connected = up;
    }
    {
      std::lock_guard lock(mu);
      last_error = up ? "" : why;
    }
    state_cv.notify_all();
    if (callbacks.on_connection) callbacks.on_connection(up);
  }

  // --- libmosquitto callbacks (network thread) ---
  static void on_connect(mosquitto*, void* self, int rc) { static_cast<Impl*>(self)->handle_connect(rc); }
  static void on_disconnect(mosquitto*, void* self, int rc) { static_cast<Impl*>(self)->handle_disconnect(rc); }
  static void on_publish(mosquitto*, void* self, int mid) { static_cast<Impl*>(self)->handle_publish(mid); }
  static void on_message(mosquitto*, void* self, const mosquitto_message* m) {
    auto* impl = static_cast<Impl*>(self);
    if (!impl->callbacks.on_message || !m || !m->topic) return;
    MqttMessage msg;
    msg.topic = m->topic;
    if (m->payload && m->payloadlen > 0) msg.payload.assign(static_cast<const char*>(m->payload), static_cast<size_t>(m->payloadlen));
    msg.retained = m->retain;
    try {
      impl->callbacks.on_message(msg);
    } catch (const std::exception& e) {
      spdlog::error("mqtt: handler for {} failed: {}", msg.topic, e.what());
    }
  }

  void handle_connect(int rc) {
    if (rc != 0) {
      const std::string why = std::string("broker refused the connection: ") + mosquitto_connack_string(rc);
      spdlog::warn("mqtt {}:{}: {}", settings.host, settings.port, why);
      {
        std::lock_guard lock(mu);
        last_error = why;
      }
      refused = why;  // handled after the read returns, not inside the callback
      return;
    }
    session_up = true;
    if (ever_connected) ++reconnect_count;
    ever_connected = true;
    if (reconnect_count > 0) spdlog::info("mqtt: connected again to {}:{}", settings.host, settings.port);
    else spdlog::debug("mqtt: connected to {}:{} as {}", settings.host, settings.port, settings.client_id);
    std::map<std::string, int> subs;
    {
      std::lock_guard lock(mu);
      subs = subscriptions;
      new_subscriptions.clear();
    }
    for (const auto& [pattern, qos] : subs) mosquitto_subscribe(mosq, nullptr, pattern.c_str(), qos);
    if (!settings.status_topic.empty())
      mosquitto_publish(mosq, nullptr, settings.status_topic.c_str(), 6, "online", 1, true);
    set_connected(true, "");
  }

  void handle_disconnect(int rc) {
    if (rc != 0 && session_up) spdlog::warn("mqtt: connection to {}:{} lost", settings.host, settings.port);
  }

  void handle_publish(int mid) {
    auto it = inflight.find(mid);
    if (it == inflight.end()) return;  // the status message
    const uint64_t ticket = it->second;
    inflight.erase(it);
    if (callbacks.on_published) callbacks.on_published(ticket);
  }

  // --- the network thread ---
  Result<void> make_handle() {
    mosq = mosquitto_new(settings.client_id.c_str(), settings.clean_session, this);
    if (!mosq) return fail(ErrorCode::kMqtt, "cannot create an MQTT client (out of memory or a bad client id)");
    mosquitto_int_option(mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
    // Commands are small packets in a handshake (PUBLISH, PUBREC, PUBREL, PUBCOMP): Nagle's
    // algorithm would hold each behind the previous one's delayed ACK.
    mosquitto_int_option(mosq, MOSQ_OPT_TCP_NODELAY, 1);
    mosquitto_connect_callback_set(mosq, &Impl::on_connect);
    mosquitto_disconnect_callback_set(mosq, &Impl::on_disconnect);
    mosquitto_publish_callback_set(mosq, &Impl::on_publish);
    mosquitto_message_callback_set(mosq, &Impl::on_message);
    // mosquitto (v3.1.1) takes at most max_inflight_messages (default 20) incoming QoS 1/2
    // messages in flight per client and silently drops a QoS 2 PUBLISH beyond that (it still
    // answers PUBREC). libmosquitto queues the rest in order until acknowledgements come.
    mosquitto_max_inflight_messages_set(mosq, 10);
    int rc = MOSQ_ERR_SUCCESS;
    if (!settings.status_topic.empty())
      rc = mosquitto_will_set(mosq, settings.status_topic.c_str(), 7, "offline", 1, true);
    if (rc == MOSQ_ERR_SUCCESS && !settings.username.empty())
      rc = mosquitto_username_pw_set(mosq, settings.username.c_str(), password.empty() ? nullptr : password.c_str());
    if (rc == MOSQ_ERR_SUCCESS && !settings.tls_ca_file.empty()) {
      rc = mosquitto_tls_set(mosq, settings.tls_ca_file.c_str(), nullptr,
                             settings.tls_cert_file.empty() ? nullptr : settings.tls_cert_file.c_str(),
                             settings.tls_key_file.empty() ? nullptr : settings.tls_key_file.c_str(), nullptr);
    }
    if (rc != MOSQ_ERR_SUCCESS) {
      const std::string why = mosquitto_strerror(rc);
      mosquitto_destroy(mosq);
      mosq = nullptr;
      return fail(ErrorCode::kBadSettings, "MQTT settings refused: " + why);
    }
    return {};
  }

  // At stop: drops the connection and the handle; what was in flight is reported failed.
  void drop_connection(const std::string& why) {
    if (!mosq) return;
    const bool was_up = session_up;
    session_up = false;
    socket_open = false;
    mosquitto_disconnect(mosq);
    mosquitto_destroy(mosq);
    mosq = nullptr;
    std::map<int, uint64_t> lost;
    lost.swap(inflight);
    if (was_up || is_connected_now()) set_connected(false, why);
    for (const auto& [mid, ticket] : lost)
      if (callbacks.on_publish_failed) callbacks.on_publish_failed(ticket, "connection lost before the broker acknowledged");
  }

  bool is_connected_now() const {
    std::lock_guard lock(state_mu);
    return is_connected;
  }

  void fail_queued(const std::string& why) {
    std::deque<std::pair<uint64_t, Publish>> q;
    {
      std::lock_guard lock(mu);
      q.swap(outgoing);
    }
    for (const auto& [ticket, p] : q)
      if (callbacks.on_publish_failed) callbacks.on_publish_failed(ticket, why);
  }

  void drain_queue() {
    std::deque<std::pair<uint64_t, Publish>> q;
    std::deque<std::string> subs;
    std::map<std::string, int> all_subs;
    {
      std::lock_guard lock(mu);
      q.swap(outgoing);
      subs.swap(new_subscriptions);
      all_subs = subscriptions;
    }
    for (const std::string& pattern : subs) mosquitto_subscribe(mosq, nullptr, pattern.c_str(), all_subs[pattern]);
    for (auto& [ticket, p] : q) {
      int mid = 0;
      const int rc = mosquitto_publish(mosq, &mid, p.topic.c_str(), static_cast<int>(p.payload.size()), p.payload.data(),
                                       p.qos, p.retain);
      if (rc != MOSQ_ERR_SUCCESS) {
        if (callbacks.on_publish_failed) callbacks.on_publish_failed(ticket, mosquitto_strerror(rc));
        continue;
      }
      // QoS 0 has no acknowledgement: on_publish comes when it is written, with the same mid.
      inflight[mid] = ticket;
    }
  }

  void wait_backoff(int& delay_ms) {
    std::uniform_int_distribution<int> jitter(delay_ms / 2, delay_ms);
    const int wait = jitter(rng);
    pollfd p{wake_fd, POLLIN, 0};
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait);
    while (!stopping) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now()).count();
      if (left <= 0) break;
      if (::poll(&p, 1, static_cast<int>(left)) > 0) {
        uint64_t v;
        [[maybe_unused]] ssize_t n = ::read(wake_fd, &v, sizeof v);
        fail_queued("not connected to the broker");
      }
    }
    delay_ms = std::min(delay_ms * 2, settings.reconnect_max_ms);
  }

  // The connection is gone (read or write failed, or CONNACK refused). The handle is kept: on
  // reconnect libmosquitto completes what was in flight with the same packet ids, so a QoS 2
  // message the broker already has is not delivered twice.
  void connection_lost(const std::string& why) {
    const bool was_up = session_up;
    session_up = false;
    if (was_up || is_connected_now()) {
      spdlog::warn("mqtt: {} ({}:{})", why, settings.host, settings.port);
      set_connected(false, why);
    } else {
      std::lock_guard lock(mu);
      last_error = why;
    }
    fail_queued("not connected to the broker");
  }

  void run() {
    int delay_ms = settings.reconnect_min_ms;
    bool logged_down = false, first = true, need_connect = true;
    while (!stopping) {
      if (!mosq) {
        if (auto r = make_handle(); !r) {
          spdlog::error("mqtt: {}", r.error().message);
          {
            std::lock_guard lock(mu);
            last_error = r.error().message;
          }
          wait_backoff(delay_ms);
          continue;
        }
      }
      if (need_connect) {
        const int rc = first ? mosquitto_connect(mosq, settings.host.c_str(), settings.port, settings.keepalive_s)
                             : mosquitto_reconnect(mosq);
        if (rc != MOSQ_ERR_SUCCESS) {
          const std::string why = std::string("cannot reach the broker at ") + settings.host + ":" +
                                  std::to_string(settings.port) + ": " +
                                  (rc == MOSQ_ERR_ERRNO ? std::strerror(errno) : mosquitto_strerror(rc));
          if (!logged_down) spdlog::warn("mqtt: {} (retrying)", why);
          else spdlog::debug("mqtt: {}", why);
          logged_down = true;
          {
            std::lock_guard lock(mu);
            last_error = why;
          }
          fail_queued("not connected to the broker");
          wait_backoff(delay_ms);
          continue;
        }
        first = false;
        need_connect = false;
      }
      if (session_up) {
        delay_ms = settings.reconnect_min_ms;
        logged_down = false;
        drain_queue();
      }
      pollfd fds[2] = {{mosquitto_socket(mosq), static_cast<short>(POLLIN | (mosquitto_want_write(mosq) ? POLLOUT : 0)), 0},
                       {wake_fd, POLLIN, 0}};
      const int n = ::poll(fds, 2, 500);
      if (n < 0 && errno != EINTR) break;
      if (fds[1].revents & POLLIN) {
        uint64_t v;
        [[maybe_unused]] ssize_t got = ::read(wake_fd, &v, sizeof v);
        // Handed over before CONNACK: only what is queued after the session is up may go.
        if (!session_up) fail_queued("not connected to the broker");
      }
      int rc = MOSQ_ERR_SUCCESS;
      if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) rc = mosquitto_loop_read(mosq, 100);
      if (rc == MOSQ_ERR_SUCCESS && (fds[0].revents & POLLOUT)) rc = mosquitto_loop_write(mosq, 100);
      if (rc == MOSQ_ERR_SUCCESS) rc = mosquitto_loop_misc(mosq);
      if (!refused.empty() || rc != MOSQ_ERR_SUCCESS) {
        connection_lost(!refused.empty() ? refused : "connection to the broker lost");
        refused.clear();
        need_connect = true;
        wait_backoff(delay_ms);
      }
    }
    if (mosq) {
      if (session_up && !settings.status_topic.empty()) {
        mosquitto_publish(mosq, nullptr, settings.status_topic.c_str(), 7, "offline", 1, true);
        for (int i = 0; i < 5 && mosquitto_want_write(mosq); ++i) mosquitto_loop_write(mosq, 10);
      }
      drop_connection("stopped");
    }
    fail_queued("client stopped");
  }
};

Result<std::unique_ptr<MqttClient>> MqttClient::start(const MqttSettings& settings, MqttCallbacks callbacks) {
  auto impl = std::make_unique<Impl>();
  impl->settings = settings;
  impl->callbacks = std::move(callbacks);
  if (settings.host.empty()) return fail(ErrorCode::kBadSettings, "no broker host");
  if (settings.port < 1 || settings.port > 65535) return fail(ErrorCode::kBadSettings, "broker port must be 1-65535");
  if (settings.client_id.empty() || settings.client_id.size() > 23 * 4)
    return fail(ErrorCode::kBadSettings, "client id must be 1-92 characters");
  if (!settings.password_file.empty()) {
    if (settings.username.empty()) return fail(ErrorCode::kBadSettings, "a password file needs a username");
    auto pw = read_password(settings.password_file);
    if (!pw) return fail(pw.error().code, pw.error().message);
    impl->password = pw.value();
  }
  for (const auto* f : {&settings.tls_ca_file, &settings.tls_cert_file, &settings.tls_key_file})
    if (!f->empty() && ::access(f->c_str(), R_OK) != 0) return fail(ErrorCode::kBadSettings, "TLS file " + *f + " cannot be read");
  if (settings.tls_cert_file.empty() != settings.tls_key_file.empty())
    return fail(ErrorCode::kBadSettings, "a client certificate needs both the certificate and the key file");
  impl->wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (impl->wake_fd < 0) return fail(ErrorCode::kMqtt, "cannot create an eventfd");
  lib_acquire();
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->run(); });
  return std::unique_ptr<MqttClient>(new MqttClient(std::move(impl)));
}

MqttClient::MqttClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

MqttClient::~MqttClient() {
  impl_->stopping = true;
  impl_->wake();
  if (impl_->thread.joinable()) impl_->thread.join();
  ::close(impl_->wake_fd);
  lib_release();
}

uint64_t MqttClient::publish(const Publish& message) {
  uint64_t ticket;
  {
    std::lock_guard lock(impl_->mu);
    ticket = impl_->next_ticket++;
    impl_->outgoing.emplace_back(ticket, message);
  }
  impl_->wake();
  return ticket;
}

void MqttClient::subscribe(const std::string& pattern, int qos) {
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->subscriptions.count(pattern)) return;
    impl_->subscriptions[pattern] = qos;
    impl_->new_subscriptions.push_back(pattern);
  }
  impl_->wake();
}

bool MqttClient::connected() const { return impl_->is_connected_now(); }

bool MqttClient::wait_connected(int timeout_ms) const {
  std::unique_lock lock(impl_->state_mu);
  return impl_->state_cv.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return impl_->is_connected; });
}

std::string MqttClient::last_error() const {
  std::lock_guard lock(impl_->mu);
  return impl_->last_error;
}

uint64_t MqttClient::reconnects() const { return impl_->reconnect_count; }

}  // namespace hearth::devices
