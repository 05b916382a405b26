#include "cli.h"

// The speech libraries (and the OpenBLAS that pocketsphinx brings) are opened when voice is
// first used, which is also where OpenBLAS's spinning threads are stopped: audio/src/speech_libs.h.
int main(int argc, char** argv) { return hearth::app::run_cli(argc, argv); }
