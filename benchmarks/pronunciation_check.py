#!/usr/bin/env python3
"""How many commands accented voices get transcribed exactly by the command grammar, with
pocketsphinx's dictionary alone and with hearth's regional pronunciations added
(audio/src/pronunciations.cpp): the check behind that list (benchmarks/results/audio.md).

Voices are espeak-ng voices outside the voice bench's held-out ones (Scottish, English RP,
British, US), spoken by hearth's own speech out (`hearth speak --batch`, 16 kHz), the sentences
made from the simulated home's names. Each clip is decoded by pocketsphinx_continuous twice over
(the clip, a second of silence, the clip again: the second hearing has the channel normalization
learned, as hearth's recognizer does on its first utterance) and the second transcript counts.

    HEARTH_BENCH_GRAMMAR=/tmp/home.gram build/benchmarks/bench_voice 1 grammar   # writes the grammar
    benchmarks/pronunciation_check.py --grammar /tmp/home.gram [--hearth build/app/hearth] [--misses]
"""
import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import tempfile
import wave

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = "/usr/share/pocketsphinx/model/en-us"
VOICES = ["en-gb-scotland+m1", "en-gb-scotland+f2", "en-us+m3", "en-gb-x-rp+f1", "en+m2"]


def sentences():
    devices = ["ceiling fan", "tv plug", "desk plug", "kitchen ceiling light", "living room ceiling light", "garage light",
               "office light", "hallway light", "floor lamp", "bathroom light", "bedside lamp", "counter lights"]
    out = []
    for d in devices:
        out += ["turn on the " + d, "turn off the " + d, "turn the " + d + " off"]
    return out + ["open the garage door", "close the garage door", "is the garage door closed", "turn on the garage lights",
                  "turn off the garden lights", "set the thermostat to twenty degrees",
                  "set the office light to thirty percent", "dim the bedside lamp to fifty percent",
                  "set the temperature to eighteen degrees", "set a timer for five minutes", "toggle the ceiling fan",
                  "toggle the office light", "is the hallway light on", "lock the front door", "unlock the front door"]


def regional_dictionary(path):
    """pocketsphinx's dictionary plus the variants in audio/src/pronunciations.cpp."""
    table = open(os.path.join(ROOT, "audio/src/pronunciations.cpp")).read()
    variants = re.findall(r'\{"([a-z\']+)", "([A-Z ]+)"\}', table)
    base = open(os.path.join(MODEL, "cmudict-en-us.dict")).read()
    taken = set(line.split()[0] for line in base.splitlines() if line.strip())
    with open(path, "w") as f:
        f.write(base)
        for word, phones in variants:
            n = 2
            while "%s(%d)" % (word, n) in taken:
                n += 1
            taken.add("%s(%d)" % (word, n))
            f.write("%s(%d) %s\n" % (word, n, phones))
    return len(variants)


def speak(hearth, jobs, tmp):
    """Each (voice, text, path) said by hearth at 16 kHz, then written to path heard twice with
    silence around."""
    batch = os.path.join(tmp, "batch.jsonl")
    with open(batch, "w") as f:
        for voice, text, path in jobs:
            f.write(json.dumps({"text": "hey computer, " + text, "voice": "espeak-ng:" + voice, "out": path}) + "\n")
    subprocess.run([hearth, "speak", "--batch", batch], check=True, capture_output=True)
    for _, _, path in jobs:
        with wave.open(path) as f:
            x = np.frombuffer(f.readframes(f.getnframes()), dtype=np.int16)
        silence = np.zeros(8000, dtype=np.int16)
        y = np.concatenate([silence, x, silence, silence, x, silence])
        with wave.open(path, "wb") as f:
            f.setnchannels(1)
            f.setsampwidth(2)
            f.setframerate(16000)
            f.writeframes(y.tobytes())


def transcribe(path, grammar, dictionary):
    out = subprocess.run(["pocketsphinx_continuous", "-infile", path, "-jsgf", grammar, "-dict", dictionary,
                          "-hmm", MODEL + "/en-us", "-beam", "1e-80", "-pbeam", "1e-80", "-wbeam", "1e-60",
                          "-logfn", "/dev/null"], capture_output=True, text=True).stdout
    lines = [l for l in out.splitlines() if l.strip()]
    text = " ".join(lines[-1].split()) if lines else ""
    return re.sub(r"^hey computer ", "", text).replace("please", "").strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--grammar", required=True, help="the command grammar (bench_voice's HEARTH_BENCH_GRAMMAR)")
    ap.add_argument("--hearth", default=os.path.join(ROOT, "build/app/hearth"))
    ap.add_argument("--misses", action="store_true")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        regional = os.path.join(tmp, "regional.dict")
        n = regional_dictionary(regional)
        jobs = [(v, s, os.path.join(tmp, "%s-%d.wav" % (v, i))) for v in VOICES for i, s in enumerate(sentences())]
        speak(a.hearth, jobs, tmp)
        print("%d sentences x %d voices; %d regional pronunciations" % (len(sentences()), len(VOICES), n))
        for name, dictionary in (("dictionary alone", os.path.join(MODEL, "cmudict-en-us.dict")), ("with regional", regional)):
            with concurrent.futures.ThreadPoolExecutor(2) as pool:
                heard = list(pool.map(lambda j: transcribe(j[2], a.grammar, dictionary), jobs))
            right = {}
            for (v, s, _), t in zip(jobs, heard):
                right.setdefault(v, [0, 0])
                right[v][0] += t == s
                right[v][1] += 1
                if a.misses and t != s:
                    print("  %s | %s | %s -> %s" % (name, v, s, t))
            print("%-17s %s  all %d/%d" % (name, "  ".join("%s %d/%d" % (v, r, t) for v, (r, t) in right.items()),
                                           sum(r for r, _ in right.values()), sum(t for _, t in right.values())))


if __name__ == "__main__":
    main()
