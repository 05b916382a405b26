#!/usr/bin/env bash
# The two commands of the README.
#   packaging/dev.sh run [ARGS...]   install what is missing, build, run the assistant
#   packaging/dev.sh test            install what is missing, build, run the whole test suite
# Environment: HEARTH_BUILD_DIR (default: build), HEARTH_JOBS (default: number of cores).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${HEARTH_BUILD_DIR:-$root/build}
jobs=${HEARTH_JOBS:-$(nproc)}

build_all() {
  "$root/packaging/install-deps.sh" "$@"
  if [[ ! -f "$build/CMakeCache.txt" ]]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  fi
  cmake --build "$build" -j "$jobs" -- --no-print-directory >/dev/null || cmake --build "$build" -j 1
}

case "${1:-}" in
  run)
    shift
    build_all
    exec "$build/app/hearth" "$@"
    ;;
  test)
    # The tests include a miniature run of the model training pipeline (torch, sentencepiece).
    build_all --training
    cd "$build"
    exec ctest --output-on-failure -j "$jobs" --timeout 900
    ;;
  *)
    echo "usage: packaging/dev.sh run [hearth arguments] | packaging/dev.sh test" >&2
    exit 2
    ;;
esac
