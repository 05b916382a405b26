#!/usr/bin/env python3
"""Scores a wake-word model the way hearth runs it (`hearth audio wake`) on wake_data.py's
held-out voices.

    eval_wake.py --hearth BIN --data DIR --model MODEL.hww [--snr clean,20,10] [--long-speech DIR] [--json OUT]

Detection: each "hey computer, <command>" clip (with a second of room noise before it) must
wake hearth. False wakes: all the held-out ordinary speech joined into one long recording, wakes
per hour; and how many sound-alike phrases ("hey commuter", "computer") wake hearth, each alone. Noise is pink, at the SNR given relative to the speech.
flite and espeak-ng voices are reported separately. `--long-speech DIR` (long_speech.py's hours of
other held-out speech) adds false wakes per hour over it, clean, in recordings of ten minutes.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import wave

import numpy as np

import augment
import voices


def read(path):
    with wave.open(path) as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float64)


def write(path, x):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(augment.to_int16(x).tobytes())


def wakes(hearth, model, path, sensitivity):
    cmd = [hearth, "audio", "wake", "--json", "--wav", path, "--model", model]
    if sensitivity is not None:
        cmd += ["--sensitivity", str(sensitivity)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def long_false_wakes(a, rng, tmp):
    """Wakes over long_speech.py's sentences, joined with short pauses into ten-minute recordings;
    each wake with the sentence it came in."""
    index = [json.loads(l) for l in open(os.path.join(a.long_speech, "index.jsonl"))]
    found, total = [], 0
    p = os.path.join(tmp, "long.wav")
    for x, starts in augment.quiet_room_recordings((read(os.path.join(a.long_speech, e["wav"])) for e in index), rng):
        write(p, x)
        for at in wakes(a.hearth, a.model, p, a.sensitivity)["wakes"]:
            i = [i for first, i in starts if first <= at * 16000][-1]
            found.append({"at_s": round(total / 16000 + at, 1), "sentence": index[i]["text"]})
        total += len(x)
    hours = total / 16000 / 3600
    return {"long_speech_hours": hours, "long_false_wakes": len(found),
            "long_false_wakes_per_hour": len(found) / hours if hours else 0.0, "long_false_wake_sentences": found}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hearth", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--snr", default="clean,20,10")
    ap.add_argument("--sensitivity", type=int)
    ap.add_argument("--long-speech", help="long_speech.py's folder: false wakes per hour over it (clean)")
    ap.add_argument("--json")
    a = ap.parse_args()
    d = os.path.join(a.data, "test")
    index = [json.loads(l) for l in open(os.path.join(d, "index.jsonl"))]
    rng = np.random.default_rng(5)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for snr in a.snr.split(","):
            row = {"snr": snr}
            for family, vs in (("flite", voices.TEST_FLITE), ("espeak-ng", voices.TEST_ESPEAK)):
                clips = [e for e in index if e["kind"] == "command" and e["voice"] in vs]
                hit = 0
                for i, e in enumerate(clips):
                    x = np.concatenate([np.zeros(16000), read(os.path.join(d, e["wav"])), np.zeros(16000)])
                    x = x + augment.colored_noise(len(x), rng, "pink") * 3.0  # a quiet room
                    if snr != "clean":
                        x = augment.add_noise(x, rng, float(snr), "pink")
                    p = os.path.join(tmp, "c.wav")
                    write(p, x)
                    hit += len(wakes(a.hearth, a.model, p, a.sensitivity)["wakes"]) > 0
                row[family + "_detected"] = hit
                row[family + "_clips"] = len(clips)
            # Ordinary speech, as one long recording: false wakes per hour.
            parts = []
            for e in index:
                if e["kind"] == "speech":
                    parts += [read(os.path.join(d, e["wav"])), np.zeros(int(rng.uniform(0.2, 0.8) * 16000))]
            x = np.concatenate(parts)
            x = x + augment.colored_noise(len(x), rng, "pink") * 3.0
            if snr != "clean":
                x = augment.add_noise(x, rng, float(snr), "pink")
            p = os.path.join(tmp, "long.wav")
            write(p, x)
            r = wakes(a.hearth, a.model, p, a.sensitivity)
            row["speech_hours"] = len(x) / 16000 / 3600
            row["false_wakes"] = len(r["wakes"])
            row["false_wakes_per_hour"] = row["false_wakes"] / row["speech_hours"]
            # Sound-alike phrases ("hey commuter", "computer"), each on its own: how many wake.
            sound_alikes = [e for e in index if e["kind"] == "confuser"]
            woke = 0
            for e in sound_alikes:
                x = np.concatenate([np.zeros(8000), read(os.path.join(d, e["wav"])), np.zeros(16000)])
                x = x + augment.colored_noise(len(x), rng, "pink") * 3.0
                if snr != "clean":
                    x = augment.add_noise(x, rng, float(snr), "pink")
                write(p, x)
                woke += len(wakes(a.hearth, a.model, p, a.sensitivity)["wakes"]) > 0
            row["sound_alikes_woke"] = woke
            row["sound_alikes"] = len(sound_alikes)
            if a.long_speech and snr == "clean":
                row.update(long_false_wakes(a, rng, tmp))
                print("clean  %d false wakes in %.2f h of other held-out speech (%.2f/h)" % (
                    row["long_false_wakes"], row["long_speech_hours"], row["long_false_wakes_per_hour"]), file=sys.stderr)
            results.append(row)
            print("%-5s  flite %d/%d  espeak-ng %d/%d  false wakes %d in %.2f h (%.1f/h)  sound-alikes woke %d/%d" % (
                snr, row["flite_detected"], row["flite_clips"], row["espeak-ng_detected"], row["espeak-ng_clips"],
                row["false_wakes"], row["speech_hours"], row["false_wakes_per_hour"], row["sound_alikes_woke"],
                row["sound_alikes"]), file=sys.stderr)
    if a.json:
        json.dump(results, open(a.json, "w"), indent=1)


if __name__ == "__main__":
    main()
