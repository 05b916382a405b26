#!/usr/bin/env bash
# run_fuzz.sh SOURCE_DIR BUILD_DIR TARGET SECONDS
# Builds TARGET with clang, libFuzzer, ASan and UBSan, then fuzzes it for SECONDS from the seeds.
set -euo pipefail
src=$1 build=$2 target=$3 seconds=$4
if ! command -v clang++ >/dev/null; then
  echo "clang++ is not installed (packaging/install-deps.sh installs it)"; exit 1
fi
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  CC=clang CXX=clang++ cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHEARTH_FUZZ=ON \
    -DHEARTH_SANITIZE=ON -DHEARTH_BUILD_TESTS=ON -DHEARTH_BUILD_BENCHMARKS=OFF >"$build.log" 2>&1 \
    || { cat "$build.log"; exit 1; }
else
  cmake -S "$src" -B "$build" >"$build.log" 2>&1 || { cat "$build.log"; exit 1; }  # targets added since
fi
cmake --build "$build" --target "$target" make_fuzz_seeds -j "$(nproc)" >"$build.log" 2>&1 || { cat "$build.log"; exit 1; }
corpus="$build/corpus-$target"
mkdir -p "$corpus"
"$build/tests/fuzz/make_fuzz_seeds" "$corpus"
if [[ -d "$src/tests/fuzz/seeds/$target" ]]; then cp "$src/tests/fuzz/seeds/$target"/* "$corpus"/; fi
"$build/tests/fuzz/$target" -artifact_prefix="$build/" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$corpus" 2>&1 | tail -n 25
