#!/usr/bin/env python3
"""Trains the tokenizer and the intent model on a corpus and exports GGUF.

    train.py --data CORPUS_DIR --out OUT_DIR [--steps N] [--minutes M] [shape options]

Writes OUT_DIR/tokenizer.model (SentencePiece BPE), OUT_DIR/model.pt (torch state),
OUT_DIR/model-f32.gguf, and OUT_DIR/curve.tsv (step, tokens seen, training loss, seconds).
The loss is taken over the answer only (the JSON and end-of-sequence), not the prompt.
Deterministic for a seed at a fixed thread count and fixed BLAS/oneDNN code paths (reproduce.sh pins
them to AVX2: on an AVX-512 CPU they otherwise sum in another order).
"""
import argparse
import json
import math
import os
import random
import sys
import time

import numpy as np
import sentencepiece as spm
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gguf_export  # noqa: E402
from hearth_format import prompt, target  # noqa: E402
from model import IntentModel, Shape  # noqa: E402


def load_examples(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def train_tokenizer(examples, out_dir, vocab, seed):
    text_path = os.path.join(out_dir, "tokenizer-text.txt")
    with open(text_path, "w") as f:
        for ex in examples:
            f.write(prompt(ex["text"], ex.get("prev")) + target(ex["intents"]) + "\n")
    prefix = os.path.join(out_dir, "tokenizer")
    # BPE (what GGUF's `llama` tokenizer merges by score), digits one by one so numbers are
    # spelled the same way everywhere, byte fallback for any text, no pre-normalisation (nlu/
    # normalises), and pieces may mix letters and punctuation so JSON keys become single tokens.
    spm.SentencePieceTrainer.train(
        input=text_path, model_prefix=prefix, vocab_size=vocab, model_type="bpe", character_coverage=1.0,
        byte_fallback=True, split_digits=True, split_by_unicode_script=False, normalization_rule_name="identity",
        remove_extra_whitespaces=False, add_dummy_prefix=True, max_sentencepiece_length=24,
        input_sentence_size=0, shuffle_input_sentence=False,
        num_threads=2, minloglevel=2, unk_id=0, bos_id=1, eos_id=2, pad_id=-1)
    os.remove(text_path)
    return spm.SentencePieceProcessor(model_file=prefix + ".model")


def encode(sp, examples, n_ctx):
    """Token ids of prompt+answer, and how many leading tokens are prompt (no loss there)."""
    seqs = []
    for ex in examples:
        p = [sp.bos_id()] + sp.encode(prompt(ex["text"], ex.get("prev")))
        a = sp.encode(target(ex["intents"]).lstrip(" ")) + [sp.eos_id()]  # the dummy prefix gives the space
        ids = p + a
        if len(ids) <= n_ctx:
            seqs.append((ids, len(p)))
    return seqs


def batches(seqs, batch, rng):
    """Batches of similar lengths (less padding), in random order."""
    order = sorted(range(len(seqs)), key=lambda i: (len(seqs[i][0]), rng.random()))
    chunks = [order[i:i + batch] for i in range(0, len(order), batch)]
    rng.shuffle(chunks)
    for c in chunks:
        width = max(len(seqs[i][0]) for i in c)
        ids = torch.zeros(len(c), width, dtype=torch.long)
        tgt = torch.full((len(c), width), -100, dtype=torch.long)
        for r, i in enumerate(c):
            s, np_ = seqs[i]
            ids[r, :len(s)] = torch.tensor(s)
            tgt[r, np_ - 1:len(s) - 1] = torch.tensor(s[np_:])
        yield ids, tgt


def cross_entropy(model, ids, tgt):
    logits = model(ids)
    return F.cross_entropy(logits.view(-1, logits.shape[-1]), tgt.view(-1), ignore_index=-100)


def fit(model, seqs, steps, lr, batch, rng, curve_path, minutes=0, loss_of=cross_entropy, weight_decay=0.05,
        warmup=None):
    """AdamW with warm-up and cosine decay to 5% of lr; logs the smoothed loss to curve_path.
    Returns the number of steps taken (fewer than steps when `minutes` runs out)."""
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=lr, betas=(0.9, 0.98), eps=1e-8)
    warmup = min(200, steps // 10) if warmup is None else warmup

    def lr_at(step):
        if step < warmup:
            return lr * (step + 1) / warmup
        p = (step - warmup) / max(1, steps - warmup)
        return lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(1.0, p))))

    curve = open(curve_path, "w")
    curve.write("step\ttokens\tloss\tseconds\n")
    t0, step, tokens, smooth = time.time(), 0, 0, None
    model.train()
    while step < steps:
        for ids, tgt in batches(seqs, batch, rng):
            for g in opt.param_groups:
                g["lr"] = lr_at(step)
            loss = loss_of(model, ids, tgt)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            tokens += int(ids.numel())
            smooth = loss.item() if smooth is None else 0.95 * smooth + 0.05 * loss.item()
            if step % 50 == 0 or step == 1:
                el = time.time() - t0
                curve.write("%d\t%d\t%.5f\t%.1f\n" % (step, tokens, smooth, el))
                curve.flush()
                if step % 250 == 0 or step == 1:
                    print("step %d loss %.4f lr %.2e %.0f tok/s %.0fs" % (step, smooth, lr_at(step), tokens / max(el, 1e-9), el),
                          flush=True)
            if step >= steps or (minutes and time.time() - t0 > minutes * 60):
                curve.close()
                model.eval()
                return step
    curve.close()
    model.eval()
    return step


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--vocab", type=int, default=1024)
    ap.add_argument("--embd", type=int, default=256)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=8)
    ap.add_argument("--kv-heads", type=int, default=4)
    ap.add_argument("--ff", type=int, default=768)
    ap.add_argument("--ctx", type=int, default=256)
    ap.add_argument("--steps", type=int, default=6000)
    ap.add_argument("--minutes", type=float, default=0, help="stop after this much training time (0: no limit)")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--tokenizer", help="reuse this SentencePiece model instead of training one")
    a = ap.parse_args()

    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    rng = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    examples = load_examples(os.path.join(a.data, "train.jsonl"))
    if a.tokenizer:
        sp = spm.SentencePieceProcessor(model_file=a.tokenizer)
        if os.path.abspath(a.tokenizer) != os.path.abspath(os.path.join(a.out, "tokenizer.model")):
            with open(a.tokenizer, "rb") as src, open(os.path.join(a.out, "tokenizer.model"), "wb") as dst:
                dst.write(src.read())
    else:
        sp = train_tokenizer(examples, a.out, a.vocab, a.seed)
    shape = Shape(n_vocab=sp.get_piece_size(), n_embd=a.embd, n_layer=a.layers, n_head=a.heads,
                  n_head_kv=a.kv_heads, n_ff=a.ff, n_ctx=a.ctx)
    seqs = encode(sp, examples, a.ctx)
    mean_len = sum(len(s) for s, _ in seqs) / len(seqs)
    model = IntentModel(shape)
    print("model: %d parameters, %s; %d sequences, mean %.1f tokens" % (model.n_params(), shape.as_dict(), len(seqs), mean_len),
          flush=True)

    step = fit(model, seqs, steps=a.steps, lr=a.lr, batch=a.batch, rng=rng, curve_path=os.path.join(a.out, "curve.tsv"),
               minutes=a.minutes)
    model.eval()
    torch.save({"shape": shape.as_dict(), "state": model.state_dict()}, os.path.join(a.out, "model.pt"))
    gguf_export.write(os.path.join(a.out, "model-f32.gguf"), model, sp,
                      extra=[("hearth.prompt_format", gguf_export.T_STR, "hearth-intents-1")])
    print("trained %d steps; wrote %s" % (step, os.path.join(a.out, "model-f32.gguf")), flush=True)


if __name__ == "__main__":
    main()
