#!/usr/bin/env bash
# Reproduces the shipped wake-word model from nothing (about 30 minutes on 2 cores):
#   audio/training/reproduce.sh [OUT_DIR] [PHRASE]   (default: build/wake-run, "hey computer")
# audio from hearth's own speech out (wake_data.py, long_speech.py --calibration) -> training with
# hard negatives and the threshold set on kept-back clips and 2.8 h of other speech
# (train_wake.py) -> scored on held-out voices (eval_wake.py).
# The result is OUT_DIR/<phrase>.hww; copy it to audio/model/ to ship it (a new phrase: set the
# wake_word preference to it). Deterministic for the seed (SEED, default 1) at 1 thread.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${1:-$root/build/wake-run}
phrase=${2:-hey computer}
seed=${SEED:-1}
py=/usr/bin/python3
hearth=$("$root/packaging/training-hearth.sh")
file=$(echo "$phrase" | tr 'A-Z' 'a-z' | tr -cs 'a-z0-9' '-' | sed 's/^-*//; s/-*$//').hww
mkdir -p "$out"
echo "audio" >&2
$py "$root/audio/training/wake_data.py" --hearth "$hearth" --phrase "$phrase" --out "$out/data" --seed "$seed"
$py "$root/audio/training/long_speech.py" --hearth "$hearth" --out "$out/calibration" --hours 3 --calibration --seed "$seed"
echo "training" >&2
$py "$root/audio/training/train_wake.py" --data "$out/data" --out "$out/$file" --phrase "$phrase" --seed "$seed" --threads 1 \
  --voice-jitter --calibration "$out/calibration"
echo "held-out voices" >&2
$py "$root/audio/training/eval_wake.py" --hearth "$hearth" --data "$out/data" --model "$out/$file" --json "$out/eval.json"
