#!/usr/bin/env bash
# The engine benchmark sweep behind benchmarks/results/engine.md:
#   benchmarks/llm_sweep.sh BUILD_DIR WORK_DIR > sweep.jsonl
# Builds the benchmark shapes of ../shared/benchmarks/llamacpp-reference.md with
# `hearth llm make-test-model` (with the Llama vocabulary from ../shared/conformance when it is
# there, like the reference models), then runs `hearth llm bench` for pp64/pp256 and tg64/tg128
# at 1 and 2 threads (medians of 5), the contention scenario, and the memory bandwidth bound.
set -euo pipefail
build=$1 work=$2
hearth="$build/app/hearth"
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
vocab="$root/../shared/conformance/ggml-vocab-llama-spm.gguf"
vocab_args=()
[[ -f "$vocab" ]] && vocab_args=(--vocab "$vocab")
mkdir -p "$work"
echo "{\"membw\": $("$build/benchmarks/bench_membw")}"
for shape in 15M 110M 500M; do
  for type in Q8_0 Q4_0 Q4_K_M; do
    model="$work/$shape-$type.gguf"
    [[ -f "$model" ]] || "$hearth" llm make-test-model --shape "$shape" --type "$type" "${vocab_args[@]}" "$model" >/dev/null
    for t in 1 2; do
      for pn in "64 64" "256 128"; do
        set -- $pn
        echo "{\"shape\": \"$shape\", \"bench\": $("$hearth" llm bench -m "$model" -p "$1" -n "$2" -r 5 -t "$t" --json)}"
      done
    done
    echo "{\"shape\": \"$shape\", \"bench\": $("$hearth" llm bench -m "$model" -p 64 -n 64 -r 5 --contend --json)}"
  done
done
