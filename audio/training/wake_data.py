#!/usr/bin/env python3
"""Synthesizes the wake-word model's audio with hearth's own speech out (`hearth speak --batch`).

    wake_data.py --hearth BIN --phrase "hey computer" --out DIR [--seed S]

writes DIR/<split>/<kind>/*.wav and DIR/<split>/index.jsonl ({"wav", "kind", "text", "voice",
"speed", "pitch"}) for split train (training voices) and test (held-out voices, voices.py), kind
  wake      the phrase alone, many speeds and pitches
  command   the phrase followed by a home command, as people use it (test split)
  confuser  phrases that sound alike ("hey commuter", "computer", "hey cutie")
  speech    ordinary sentences: home commands without the phrase and prose read aloud (the
            Debian licence texts: GPL-3 for the test split only, the others for training)
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys

import voices

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

CONFUSERS = ["hey", "computer", "hey commuter", "hey compute", "a computer", "the computer", "hey cutie",
             "hey come here", "compute her", "hey complete", "hey company", "hey conductor", "okay", "hey there",
             "my computer", "hey commuters", "competitor", "hey commander", "play computer games", "hey karen",
             "they compute", "computers", "hey come on", "hey you", "honey"]

COMMANDS = ["turn on the kitchen light", "switch off the bedroom lamp", "set the living room to fifty percent",
            "what is the temperature in the office", "lock the front door", "open the garage door",
            "dim the hallway light", "turn off all the lights", "start the vacuum", "close the blinds",
            "set the thermostat to twenty one degrees", "is the back door locked", "play some jazz",
            "turn up the volume", "make the lights blue", "set a timer for ten minutes", "what time is it",
            "add milk to the shopping list", "turn on the fan in the bedroom", "pause the music",
            "switch on the coffee maker", "turn the heating down", "open the curtains in the bedroom",
            "turn off the tv", "what's the weather like", "good night", "brighten the office light",
            "turn on the porch light", "stop the timer", "cancel all timers"]


def sentences_of(path, max_words=18):
    text = open(path, encoding="utf-8", errors="replace").read()
    text = re.sub(r"[^A-Za-z0-9,.;:'\s-]", " ", text)
    out = []
    for s in re.split(r"[.;:]\s+", text):
        words = s.split()
        while len(words) >= 4:
            out.append(" ".join(words[:max_words]))
            words = words[max_words:]
    return out


def plan(split, phrase, rng):
    vs = voices.TRAIN if split == "train" else voices.TEST
    items = []
    speeds = [0.8, 0.9, 1.0, 1.1, 1.25] if split == "train" else [0.85, 1.0, 1.15]
    pitches = [0.8, 1.0, 1.2] if split == "train" else [0.9, 1.1]
    for v in vs:
        for sp in speeds:
            for pi in pitches:
                items.append(("wake", phrase, v, sp, pi))
        for c in CONFUSERS:
            items.append(("confuser", c, v, rng.choice(speeds), rng.choice(pitches)))
    if split == "test":
        for v in vs:
            for c in rng.sample(COMMANDS, 10):
                items.append(("command", phrase + ", " + c, v, rng.choice(speeds), rng.choice(pitches)))
    lic = "/usr/share/common-licenses"
    prose = []
    for name in sorted(os.listdir(lic)):
        if os.path.isfile(os.path.join(lic, name)) and (name == "GPL-3") == (split == "test"):
            prose += sentences_of(os.path.join(lic, name))
    prose = sorted(set(prose))
    rng.shuffle(prose)
    # About 2 hours of speech for training, 20 minutes held out (a sentence is ~5 s).
    for s in prose[: (1400 if split == "train" else 240)]:
        items.append(("speech", s, rng.choice(vs), rng.choice(speeds), rng.choice(pitches)))
    for c in COMMANDS if split == "train" else []:
        for v in rng.sample(vs, 6):
            items.append(("speech", c, v, rng.choice(speeds), rng.choice(pitches)))
    return items


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hearth", required=True)
    ap.add_argument("--phrase", default="hey computer")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    for split in ("train", "test"):
        rng = random.Random(a.seed + (0 if split == "train" else 1000))
        d = os.path.join(a.out, split)
        os.makedirs(d, exist_ok=True)
        items = plan(split, a.phrase, rng)
        index, batch = [], []
        for i, (kind, text, v, sp, pi) in enumerate(items):
            os.makedirs(os.path.join(d, kind), exist_ok=True)
            wav = os.path.join(d, kind, "%05d.wav" % i)
            index.append({"wav": os.path.relpath(wav, d), "kind": kind, "text": text, "voice": v, "speed": sp, "pitch": pi})
            batch.append({"text": text, "voice": v, "speed": sp, "pitch": pi, "out": wav})
        bf = os.path.join(d, "batch.jsonl")
        with open(bf, "w") as f:
            for b in batch:
                f.write(json.dumps(b) + "\n")
        r = subprocess.run([a.hearth, "speak", "--batch", bf])
        if r.returncode != 0:
            sys.exit("hearth speak --batch failed for " + split)
        with open(os.path.join(d, "index.jsonl"), "w") as f:
            for e in index:
                f.write(json.dumps(e) + "\n")
        print(split, len(index), "clips", file=sys.stderr)


if __name__ == "__main__":
    main()
