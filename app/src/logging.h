// app/src/logging.h — sets up spdlog for the hearth executable.
#pragma once

#include <string>

namespace hearth::app {

struct LogSetup {
  std::string level = "info";  // from the config; -v / -q on the command line override it
  int verbosity = 0;           // +1 per -v (debug, then trace), -1 for -q (errors only)
  bool to_file = false;        // headless: also a rotating file
  std::string file;            // the file when to_file
  int max_size_mb = 10;
  int max_files = 5;
};

// Replaces the default logger: stderr always (the journal collects it under systemd), plus a
// rotating file when asked. Returns an error message, empty on success; on error stderr logging
// still works.
std::string setup_logging(const LogSetup& setup);

}  // namespace hearth::app
