#!/usr/bin/env bash
# Text -> intents latency of the NLU with the shipped model over the evaluation sets:
#   benchmarks/nlu_latency.sh [MODEL] [RUNS]     (defaults: nlu/model/hearth-intent.gguf, 3)
# For 1 and 2 threads, with and without prefix reuse, and with the cache (the set twice, so the
# second pass is answered from it), prints p50 and p99 in ms as medians over RUNS runs of
# `hearth eval`, as a markdown table.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
hearth=${HEARTH:-$root/build/app/hearth}
model=${1:-$root/nlu/model/hearth-intent.gguf}
runs=${2:-3}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "| set | threads | prefix reuse | cache | p50 ms | p99 ms | exact match |"
echo "|---|---:|---|---|---:|---:|---:|"
for set in heldout handwritten; do
  for threads in 1 2; do
    for mode in reuse no-reuse cache; do
      flags=()
      case $mode in
        no-reuse) flags=(--no-prefix-reuse) ;;
        cache) flags=(--cache --repeat 2) ;;
      esac
      p50s=() p99s=() acc=""
      for ((r = 0; r < runs; r++)); do
        out=$("$hearth" eval --model "$model" --set "$root/nlu/eval/$set.jsonl" --devices "$root/nlu/eval/$set-home.yaml" \
          --threads "$threads" --json "${flags[@]}")
        p50s+=("$(echo "$out" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["latency_ms"]["p50"])')")
        p99s+=("$(echo "$out" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["latency_ms"]["p99"])')")
        acc=$(echo "$out" | /usr/bin/python3 -c 'import json,sys; print("%.1f%%" % (100*json.load(sys.stdin)["exact_match"]))')
      done
      p50=$(printf '%s\n' "${p50s[@]}" | median)
      p99=$(printf '%s\n' "${p99s[@]}" | median)
      reuse=$([[ $mode == no-reuse ]] && echo off || echo on)
      cache=$([[ $mode == cache ]] && echo "on (set twice)" || echo off)
      printf '| %s | %s | %s | %s | %.2f | %.2f | %s |\n' "$set" "$threads" "$reuse" "$cache" "$p50" "$p99" "$acc"
    done
  done
done
