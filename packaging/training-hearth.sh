#!/usr/bin/env bash
# For the training pipelines (nlu/training, audio/training): installs the training packages,
# builds `hearth` when the build folder (HEARTH_BUILD_DIR, default build/) has none, and prints
# its path.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/packaging/install-deps.sh" --training >&2
build=${HEARTH_BUILD_DIR:-$root/build}
if [[ ! -x "$build/app/hearth" ]]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" -j "$(nproc)" --target hearth >/dev/null
fi
echo "$build/app/hearth"
