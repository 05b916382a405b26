#!/usr/bin/env python3
"""What each out-of-grammar margin would do: reads `HEARTH_BENCH_DUMP` files of bench_voice and
counts, per voice family and noise level, the commands heard right and acted on, the commands
heard wrong and acted on (a wrong device switched), and the requests the grammar cannot hold
that were acted on anyway, for thresholds from -2 to -12.

    voice_margins.py DUMP.jsonl [DUMP.jsonl ...]
"""
import collections
import json
import sys

rows = [json.loads(l) for f in sys.argv[1:] for l in open(f)]
cells = collections.OrderedDict()
for r in rows:
    family = r["voice"].split(":")[0]
    noise = "clean" if r["snr"] > 100 else "%d dB" % r["snr"]
    cells.setdefault((family, noise), []).append(r)
print("| voices | noise | min_margin | commands right, acted on | commands wrong, acted on | other requests acted on |")
print("|---|---|---:|---:|---:|---:|")
for (family, noise), rs in cells.items():
    cmds = [r for r in rs if r["in_grammar"]]
    other = [r for r in rs if not r["in_grammar"]]
    for t in (-2, -4, -6, -8, -10, -12):
        # A margin of exactly 0 means the any-speech decoder heard nothing: acted on, as shipped.
        acted = lambda r: r["woke"] and r["heard"] and (r["margin"] == 0 or r["margin"] >= t)
        right = sum(1 for r in cmds if acted(r) and r["right"])
        wrong = sum(1 for r in cmds if acted(r) and not r["right"])
        oog = sum(1 for r in other if acted(r))
        print("| %s | %s | %d | %d/%d | %d | %d/%d |" % (family, noise, t, right, len(cmds), wrong, oog, len(other)))
