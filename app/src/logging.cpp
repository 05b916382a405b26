#include "logging.h"

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <filesystem>

namespace hearth::app {

std::string setup_logging(const LogSetup& setup) {
  auto level = spdlog::level::from_str(setup.level);
  if (setup.verbosity >= 2) level = spdlog::level::trace;
  else if (setup.verbosity == 1) level = spdlog::level::debug;
  else if (setup.verbosity < 0) level = spdlog::level::err;

  std::vector<spdlog::sink_ptr> sinks;
  auto err_sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  err_sink->set_pattern("%^%l%$: %v");
  sinks.push_back(err_sink);
  std::string error;
  if (setup.to_file) {
    try {
      std::filesystem::create_directories(std::filesystem::path(setup.file).parent_path());
      auto file_sink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
          setup.file, static_cast<size_t>(setup.max_size_mb) * 1024 * 1024, static_cast<size_t>(setup.max_files));
      file_sink->set_pattern("%Y-%m-%d %H:%M:%S.%e %l [%t] %v");
      sinks.push_back(file_sink);
    } catch (const std::exception& e) {
      error = "cannot write log file " + setup.file + ": " + e.what();
    }
  }
  auto logger = std::make_shared<spdlog::logger>("hearth", sinks.begin(), sinks.end());
  logger->set_level(level);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  spdlog::flush_every(std::chrono::seconds(2));
  return error;
}

}  // namespace hearth::app
