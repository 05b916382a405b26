#!/usr/bin/env bash
# Every compression variant of a trained run, quantized and scored on both evaluation sets:
#   nlu/training/compress_all.sh RUN_DIR CORPUS_DIR OUT_DIR
# writes OUT_DIR/<variant>.gguf and OUT_DIR/results.tsv (variant, type, bytes, held-out and
# hand-written exact match, p50/p99 ms at 2 threads) for nlu/training/RESULTS.md.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
run=$1 corpus=$2 out=$3
py=/usr/bin/python3
hearth=${HEARTH:-$root/build/app/hearth}
mkdir -p "$out"
score() {  # variant gguf
  local row="$1" f="$2"
  row+="\t$(stat -c %s "$f")"
  for set in heldout handwritten; do
    "$hearth" eval --model "$f" --set "$root/nlu/eval/$set.jsonl" --devices "$root/nlu/eval/$set-home.yaml" --threads 2 --json \
      >"$out/$(basename "$f" .gguf)-$set.json"
    row+="\t$($py -c 'import json,sys; r=json.load(open(sys.argv[1])); print("%.2f\t%.2f\t%.2f" % (100*r["exact_match"], r["latency_ms"]["p50"], r["latency_ms"]["p99"]))' "$out/$(basename "$f" .gguf)-$set.json")"
  done
  printf "%b\n" "$row" >>"$out/results.tsv"
}
printf "variant\tbytes\theldout_em\theldout_p50\theldout_p99\thandwritten_em\thandwritten_p50\thandwritten_p99\n" >"$out/results.tsv"
# Post-training quantization of the trained model.
cp "$run/model-f32.gguf" "$out/base-F32.gguf"
score "base F32" "$out/base-F32.gguf"
for t in Q8_0 Q4_K_M Q4_0; do
  "$hearth" llm quantize "$run/model-f32.gguf" "$out/base-$t.gguf" --type "$t" >/dev/null
  score "base $t" "$out/base-$t.gguf"
done
# Quantization-aware fine-tuning for Q4_0.
$py "$root/nlu/training/compress.py" qat --teacher "$run" --data "$corpus" --out "$out/qat" --steps "${QAT_STEPS:-300}"
"$hearth" llm quantize "$out/qat/model-f32.gguf" "$out/qat-Q4_0.gguf" --type Q4_0 >/dev/null
score "QAT Q4_0" "$out/qat-Q4_0.gguf"
# Structured pruning of feed-forward neurons with a recovery fine-tune.
for keep in 0.67 0.33; do
  $py "$root/nlu/training/compress.py" prune --teacher "$run" --data "$corpus" --out "$out/prune-$keep" --keep "$keep" \
    --steps "${PRUNE_STEPS:-300}" --lr 1e-3
  "$hearth" llm quantize "$out/prune-$keep/model-f32.gguf" "$out/prune-$keep-Q8_0.gguf" --type Q8_0 >/dev/null
  score "pruned FFN keep $keep Q8_0" "$out/prune-$keep-Q8_0.gguf"
done
# Distillation into a smaller student.
$py "$root/nlu/training/compress.py" distill --teacher "$run" --data "$corpus" --out "$out/distill" --embd 192 --layers 4 \
  --heads 6 --kv-heads 3 --ff 512 --steps "${DISTILL_STEPS:-1500}" --lr 3e-3
"$hearth" llm quantize "$out/distill/model-f32.gguf" "$out/distill-Q8_0.gguf" --type Q8_0 >/dev/null
score "distilled 4x192 Q8_0" "$out/distill-Q8_0.gguf"
echo "wrote $out/results.tsv" >&2
