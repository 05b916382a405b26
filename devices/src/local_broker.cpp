#include "hearth/devices/local_broker.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

namespace hearth::devices {

namespace {

bool can_connect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

int find_free_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = 0;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = -1;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

Result<std::unique_ptr<LocalBroker>> LocalBroker::start(const BrokerOptions& options) {
  if (::access(options.mosquitto.c_str(), X_OK) != 0)
    return fail(ErrorCode::kBadSettings, "mosquitto not found at " + options.mosquitto +
                                             " (install the mosquitto package or set mqtt.mosquitto)");
  std::unique_ptr<LocalBroker> b(new LocalBroker());
  b->options_ = options;
  char tmpl[] = "/tmp/hearth-broker-XXXXXX";
  if (!::mkdtemp(tmpl)) return fail(ErrorCode::kMqtt, "cannot create a temporary folder for the broker");
  b->dir_ = tmpl;
  // The folder must be readable by the broker after it drops root privileges.
  std::filesystem::permissions(b->dir_, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                            std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                                            std::filesystem::perms::others_exec);
  if (options.persistence)  // the broker may run as its own user after dropping root
    std::filesystem::permissions(b->dir_, std::filesystem::perms::all);
  // A free port can be taken between finding it and the broker binding it; try a few.
  for (int attempt = 0; attempt < 5; ++attempt) {
    b->port_ = options.port > 0 ? options.port : find_free_loopback_port();
    if (b->port_ <= 0) return fail(ErrorCode::kMqtt, "no free loopback port for the broker");
    if (b->spawn()) return b;
    if (options.port > 0) break;
  }
  std::ifstream logf(b->dir_ + "/mosquitto.log");
  std::string log((std::istreambuf_iterator<char>(logf)), std::istreambuf_iterator<char>());
  if (log.size() > 2000) log = log.substr(log.size() - 2000);
  return fail(ErrorCode::kMqtt, "mosquitto did not start: " + (log.empty() ? std::string("no output") : log));
}

Result<void> LocalBroker::restart() {
  stop();
  for (int attempt = 0; attempt < 50; ++attempt) {  // the old socket may linger a moment
    if (spawn()) return {};
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return fail(ErrorCode::kMqtt, "mosquitto did not restart on port " + std::to_string(port_));
}

Result<void> LocalBroker::spawn() {
  const std::string conf = dir_ + "/mosquitto.conf";
  {
    std::ofstream f(conf);
    f << options_.prelude << "\n"
      << "listener " << port_ << " 127.0.0.1\n"
      << "allow_anonymous true\n"
      << "set_tcp_nodelay true\n"
      << "log_dest stderr\n";
    if (options_.persistence) f << "persistence true\npersistence_location " << dir_ << "/\nautosave_interval 1\n";
    else f << "persistence false\n";
    f << options_.extra_config << "\n";
  }
  const std::string log = dir_ + "/mosquitto.log";
  pid_t pid = ::fork();
  if (pid < 0) return fail(ErrorCode::kMqtt, "cannot start mosquitto: fork failed");
  if (pid == 0) {
    // The parent may have signals blocked for its signalfd; the broker must see SIGTERM.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    FILE* out = std::freopen(log.c_str(), "a", stderr);
    (void)out;
    // Nothing else of the parent's: a pipe it writes to (a test reading hearth's output, a shell
    // waiting on it) must close when hearth ends, whatever becomes of the broker.
    if (int null = ::open("/dev/null", O_RDWR); null >= 0) {
      ::dup2(null, STDIN_FILENO);
      ::dup2(null, STDOUT_FILENO);
      if (null > STDERR_FILENO) ::close(null);
    }
    ::close_range(STDERR_FILENO + 1, ~0U, 0);
    ::execl(options_.mosquitto.c_str(), options_.mosquitto.c_str(), "-c", conf.c_str(), static_cast<char*>(nullptr));
    std::_Exit(127);
  }
  pid_ = pid;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      pid_ = -1;
      return fail(ErrorCode::kMqtt, "mosquitto exited at start");  // most likely the port was taken
    }
    if (can_connect(port_)) return {};
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  stop(true);
  return fail(ErrorCode::kMqtt, "mosquitto did not accept connections within 5 s");
}

void LocalBroker::stop(bool hard) {
  if (pid_ > 0) {
    ::kill(pid_, hard ? SIGKILL : SIGTERM);
    for (int i = 0; i < 150; ++i) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
}

LocalBroker::~LocalBroker() {
  stop();
  std::error_code ec;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
}

}  // namespace hearth::devices
