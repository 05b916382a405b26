// `hearth run --headless` as the service runs it: it starts a real local mosquitto, purges old
// history, reloads its config on SIGHUP (keeping the old one when the new one is bad) and stops
// cleanly on SIGTERM, taking the broker with it.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "subprocess.h"
#include "temp_dir.h"
#include "xvfb.h"

namespace hearth::test {
namespace {

bool port_open(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  close(fd);
  return ok;
}

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Waits until the file contains `needle`; returns its content.
std::string wait_for(const std::string& path, const std::string& needle, int timeout_ms = 10000) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::string text;
  while (std::chrono::steady_clock::now() < deadline) {
    text = slurp(path);
    if (text.find(needle) != std::string::npos) return text;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return text;
}

// `hearth --config CONFIG run MODE` in the background, standard error into `stderr_path`.
pid_t start_hearth_run(const std::string& config, const char* mode, const std::string& stderr_path) {
  const pid_t pid = fork();
  if (pid == 0) {
    freopen("/dev/null", "r", stdin);
    freopen(stderr_path.c_str(), "w", stderr);
    execl(HEARTH_BINARY, HEARTH_BINARY, "--config", config.c_str(), "run", mode, static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

TEST(Run, HeadlessServiceLifecycle) {
  TempDir dir;
  const std::string config = dir.file("hearth.yaml");
  const std::string db = dir.file("hearth.db");
  const std::string log = dir.file("hearth.log");
  std::ofstream(config) << "log:\n  file: " << log << "\nstorage:\n  database: " << db << "\n";

  // Old history that the retention preference (1 day) must purge at start.
  ASSERT_EQ(run_shell(std::string(HEARTH_BINARY) + " --config " + shell_quote(config) +
                      " prefs set history_retention_days 1").exit_code, 0);
  ASSERT_EQ(run_shell("sqlite3 " + shell_quote(db) +
                      " \"INSERT INTO history (time_ms, input_kind, utterance, outcome, latency_ms) VALUES "
                      "(strftime('%s','now')*1000 - 10*86400000, 'text', 'ancient', 'done', 1), "
                      "(strftime('%s','now')*1000, 'text', 'fresh', 'done', 1)\"").exit_code, 0);

  const pid_t pid = start_hearth_run(config, "--headless", dir.file("stderr.txt"));
  ASSERT_GE(pid, 0);
  std::string text = wait_for(log, "local MQTT broker on");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(text, m, std::regex("local MQTT broker on 127\\.0\\.0\\.1:(\\d+)"))) << text;
  const int port = std::stoi(m[1]);
  EXPECT_TRUE(port_open(port));
  EXPECT_NE(text.find("purged 1 history entries"), std::string::npos) << text;

  // A bad config on SIGHUP is refused and the service keeps running.
  std::ofstream(config) << "log:\n  file: " << log << "\nstorage:\n  database: " << db << "\n  bogus: 1\n";
  kill(pid, SIGHUP);
  text = wait_for(log, "config reload refused");
  EXPECT_NE(text.find("storage.bogus"), std::string::npos) << text;
  // A good one is taken.
  std::ofstream(config) << "log:\n  file: " << log << "\n  level: debug\nstorage:\n  database: " << db << "\n";
  kill(pid, SIGHUP);
  text = wait_for(log, "config reloaded");
  EXPECT_NE(text.find("config reloaded"), std::string::npos) << text;

  kill(pid, SIGTERM);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0) << slurp(dir.file("stderr.txt"));
  EXPECT_NE(slurp(log).find("hearth stopped"), std::string::npos);
  EXPECT_FALSE(port_open(port)) << "the local broker outlived hearth";

  auto rows = run_shell("sqlite3 " + shell_quote(db) + " 'SELECT utterance FROM history'");
  EXPECT_EQ(rows.text, "fresh\n");
}

// `hearth run --gui`: the window comes from its module (hearth-window.so beside the executable,
// opened only now), on an X server of the test's own; SIGTERM closes it and stops hearth.
TEST(Run, WindowOpensFromItsModule) {
  XvfbEnvironment xvfb;
  xvfb.SetUp();
  TempDir dir;
  const std::string config = dir.file("hearth.yaml");
  // Interactive runs log to standard error.
  const std::string log = dir.file("stderr.txt");
  std::ofstream(config) << "storage:\n  database: " << dir.file("hearth.db")
                        << "\naudio:\n  voice_input: \"off\"\n";
  const pid_t pid = start_hearth_run(config, "--gui", log);
  ASSERT_GE(pid, 0);
  const std::string text = wait_for(log, "window shown", 30000);
  EXPECT_NE(text.find("window shown"), std::string::npos) << text;
  kill(pid, SIGTERM);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  xvfb.TearDown();
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0) << slurp(log);
  EXPECT_NE(slurp(log).find("window closing"), std::string::npos) << slurp(log);
  EXPECT_NE(slurp(log).find("hearth stopped"), std::string::npos) << slurp(log);
}

}  // namespace
}  // namespace hearth::test
