#!/usr/bin/env python3
"""Prints, for each example of a JSONL set, the prompt and answer the training pipeline makes
(nlu/training/hearth_format.py), one JSON object a line, for tests/nlu/format_test.cpp."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "nlu", "training"))
from hearth_format import prompt, target  # noqa: E402

for line in open(sys.argv[1]):
    if line.strip():
        ex = json.loads(line)
        print(json.dumps({"prompt": prompt(ex["text"], ex.get("prev")), "target": target(ex["intents"])}))
