#!/usr/bin/env python3
"""torch's view of a trained intent model, to check the engine against it.

    reference_logits.py MODEL.pt TOKENIZER.model TEXT

prints {"tokens": [BOS + SentencePiece ids of TEXT], "logits": [one row of n_vocab per token]}.
"""
import json
import os
import sys

import sentencepiece as spm
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import IntentModel, Shape  # noqa: E402


def main():
    ck = torch.load(sys.argv[1])
    model = IntentModel(Shape(**ck["shape"]))
    model.load_state_dict(ck["state"])
    model.eval()
    sp = spm.SentencePieceProcessor(model_file=sys.argv[2])
    ids = [sp.bos_id()] + sp.encode(sys.argv[3])
    with torch.no_grad():
        logits = model(torch.tensor([ids]))[0]
    print(json.dumps({"tokens": ids, "logits": [[round(float(x), 6) for x in row] for row in logits]}))


if __name__ == "__main__":
    main()
