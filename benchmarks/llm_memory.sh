#!/usr/bin/env bash
# Peak resident memory in the scenario of llama.cpp's reference figure
# (../shared/benchmarks/llamacpp-reference.md: its `simple` example generating 64 tokens, with the
# context sized to the prompt and the tokens asked for):
#   benchmarks/llm_memory.sh BUILD_DIR MODEL.gguf... > memory.jsonl
# One JSON line per model: the peak RSS of `hearth llm generate` (median of 3 processes, from
# /usr/bin/time), the file size and the KV cache size hearth reports for that context.
set -euo pipefail
build=$1
shift
hearth="$build/app/hearth"
prompt="Hello my name is"
for model in "$@"; do
  runs=()
  for _ in 1 2 3; do
    kib=$( { /usr/bin/time -f "%M" "$hearth" llm generate -m "$model" -p "$prompt" -n 64 -c 80 -t 2 --tokens >/dev/null; } 2>&1 | tail -1)
    runs+=("$kib")
  done
  median=$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p)
  # The F16 KV cache grows linearly with the context: scaled from `llm info`'s default context.
  kv=$("$hearth" llm info "$model" --json | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["kv_bytes_default_ctx"] * 80 // j["default_ctx"])')
  echo "{\"model\": \"$(basename "$model")\", \"file_bytes\": $(stat -c %s "$model"), \"kv_bytes\": $kv, \"peak_rss_kib\": $median, \"runs_kib\": [$(IFS=,; echo "${runs[*]}")]}"
done
