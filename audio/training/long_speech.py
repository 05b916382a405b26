#!/usr/bin/env python3
"""Hours of held-out ordinary speech for measuring false wakes per hour.

    long_speech.py --hearth BIN --out DIR [--hours 3] [--seed S] [--calibration]

wake_data.py's held-out prose (the GPL-3 read aloud) is 0.35 hours: one false wake in it is
2.9 per hour, and none says little about a target of at most one per hour. This reads other
text, which no part of training uses, with the held-out voices (voices.TEST) at the held-out
speeds and pitches: the documentation strings of Python's standard library (Debian 12's
python3.11; technical English prose with the ordinary words of speech, "compute" and "computer"
among them). Writes one DIR/sNNNNNN.wav per sentence and DIR/index.jsonl; `eval_wake.py
--long-speech DIR` joins them into recordings of about ten minutes and counts the wakes.

`--calibration` reads the sentences the held-out set leaves (those after the first 6 hours' worth,
about 2.8 hours) with the training voices instead: what train_wake.py sets the detection
threshold on, so that neither the voices nor the sentences of the held-out measure are seen
before it.
"""
import argparse
import importlib
import inspect
import json
import os
import random
import subprocess
import sys
import warnings

import voices
from wake_data import sentences_of

SKIP = {"antigravity", "this", "idlelib", "tkinter", "turtle", "turtledemo", "pydoc_data", "lib2to3", "test", "ensurepip",
        "venv"}


def stdlib_prose():
    """The sentences of the standard library's module, class and function documentation."""
    warnings.simplefilter("ignore")
    text = []
    for name in sorted(n for n in sys.stdlib_module_names if not n.startswith("_") and n not in SKIP):
        try:
            m = importlib.import_module(name)
        except Exception:  # a module this build lacks (e.g. a GUI toolkit): fine, there is plenty
            continue
        text.append(m.__doc__ or "")
        for k, v in sorted(vars(m).items()):
            if not k.startswith("_") and (inspect.isfunction(v) or inspect.isclass(v)) and getattr(v, "__module__", None) == name:
                text.append(v.__doc__ or "")
    path = os.path.join(os.environ.get("TMPDIR", "/tmp"), "hearth-stdlib-prose.txt")
    with open(path, "w") as f:
        f.write("\n".join(text))
    return sentences_of(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hearth", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--hours", type=float, default=3.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--calibration", action="store_true", help="the sentences after 6 held-out hours, training voices")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    prose = sorted(set(stdlib_prose()))
    rng.shuffle(prose)
    os.makedirs(a.out, exist_ok=True)
    # A sentence of up to 18 words lasts about 5 s.
    held_out = int(6 * 3600 / 5)  # the most a held-out set takes (--hours 6)
    pool, speakers = (prose[held_out:], voices.TRAIN) if a.calibration else (prose[:held_out], voices.TEST)
    n = min(len(pool), int(a.hours * 3600 / 5))
    batch, index = [], []
    for i, s in enumerate(pool[:n]):
        wav = os.path.join(a.out, "s%06d.wav" % i)
        v = rng.choice(speakers)
        batch.append({"text": s, "voice": v, "speed": rng.choice([0.85, 1.0, 1.15]), "pitch": rng.choice([0.9, 1.1]), "out": wav})
        index.append({"wav": os.path.basename(wav), "text": s, "voice": v})
    bf = os.path.join(a.out, "batch.jsonl")
    with open(bf, "w") as f:
        for b in batch:
            f.write(json.dumps(b) + "\n")
    if subprocess.run([a.hearth, "speak", "--batch", bf]).returncode != 0:
        sys.exit("hearth speak --batch failed")
    with open(os.path.join(a.out, "index.jsonl"), "w") as f:
        for e in index:
            f.write(json.dumps(e) + "\n")
    print("%d sentences of %s speech in %s" % (n, "calibration" if a.calibration else "held-out", a.out), file=sys.stderr)


if __name__ == "__main__":
    main()
