#include <dlfcn.h>

#include "cli.h"

namespace {

// pocketsphinx links OpenBLAS, whose worker threads start with the process and spin on
// sched_yield for a while after start-up and after each call. hearth never wants them: the engine
// has its own thread pool, and nothing it calls needs a multi-threaded BLAS. Spinning beside the
// engine's threads on a 2-core hub, they cost the first prompts up to a third of their speed.
// Stopped here when the loaded BLAS is OpenBLAS (looked up, so any other BLAS works unchanged).
void stop_blas_threads() {
  using SetThreads = void (*)(int);
  using Shutdown = int (*)();
  if (auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) set(1);
  if (auto stop = reinterpret_cast<Shutdown>(dlsym(RTLD_DEFAULT, "blas_thread_shutdown_"))) stop();
}

}  // namespace

int main(int argc, char** argv) {
  stop_blas_threads();
  return hearth::app::run_cli(argc, argv);
}
