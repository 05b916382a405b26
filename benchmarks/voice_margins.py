#!/usr/bin/env python3
"""What each out-of-grammar margin would do: reads `HEARTH_BENCH_DUMP` files of bench_voice and
counts, per voice family and noise level, the commands heard right and acted on, the commands
heard wrong and acted on (a wrong device switched), and the requests the grammar cannot hold
that were acted on anyway (and of those, how many switch a device), for whole-sentence margins
from -2 to -8, each alone and with the margin of the words after the wake phrase at least
COMMAND (VoicePipelineOptions::min_command_margin; -8 as shipped).

    voice_margins.py [--command-margin=M[,M...]] DUMP.jsonl [DUMP.jsonl ...]
"""
import argparse
import collections
import json

ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("--command-margin", default="-8", help="comma-separated command-margin thresholds to try")
ap.add_argument("dumps", nargs="+")
a = ap.parse_args()
rows = [json.loads(l) for f in a.dumps for l in open(f)]
cells = collections.OrderedDict()
for r in rows:
    family = r["voice"].split(":")[0]
    noise = "clean" if r["snr"] > 100 else "%d dB" % r["snr"]
    cells.setdefault((family, noise), []).append(r)
print("| voices | noise | min_margin | min_command_margin | commands right, acted on | commands wrong, acted on |"
      " other requests acted on | of those, switching a device |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
command_thresholds = [None] + [float(x) for x in a.command_margin.split(",")]
for (family, noise), rs in cells.items():
    cmds = [r for r in rs if r["in_grammar"]]
    other = [r for r in rs if not r["in_grammar"]]
    for t in (-2, -3, -4, -5, -6, -8):
        for c in command_thresholds:
            # A margin of exactly 0 means the any-speech decoder heard nothing: acted on, as shipped.
            def acted(r):
                if not (r["woke"] and r["heard"]):
                    return False
                if r["margin"] == 0:
                    return True
                return r["margin"] >= t and (c is None or r.get("command_margin", r["margin"]) >= c)
            right = sum(1 for r in cmds if acted(r) and r["right"])
            wrong = sum(1 for r in cmds if acted(r) and not r["right"])
            oog = [r for r in other if acted(r)]
            switching = sum(1 for r in oog if r.get("switches_a_device"))
            print("| %s | %s | %d | %s | %d/%d | %d | %d/%d | %d |" % (family, noise, t, "-" if c is None else "%g" % c, right,
                                                                    len(cmds), wrong, len(oog), len(other), switching))
