#!/usr/bin/env python3
"""Compression of a trained intent model, each variant written as model.pt + model-f32.gguf:

    compress.py qat     --teacher RUN --data CORPUS --out DIR [--steps N]
        quantization-aware fine-tuning for Q4_0: every matrix is used through Q4_0's exact
        quantize-dequantize (llama.cpp's reference rounding) with a straight-through gradient, so
        `hearth llm quantize --type Q4_0` of the result loses nothing more;
    compress.py prune   --teacher RUN --data CORPUS --out DIR --keep F [--steps N]
        structured pruning of feed-forward neurons (the fraction F with the largest
        |gate|*|up|*|down| weight norms stays, rounded to a multiple of 32), then a recovery
        fine-tune;
    compress.py distill --teacher RUN --data CORPUS --out DIR --embd E --layers L --ff F [--steps N]
        a smaller student trained on the teacher's soft targets (KL at temperature 2) and the
        labels.
"""
import argparse
import os
import random
import sys

import sentencepiece as spm
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.utils.parametrize as parametrize

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gguf_export  # noqa: E402
from model import IntentModel, Shape  # noqa: E402
from train import encode, fit, load_examples  # noqa: E402


def load_run(run):
    ck = torch.load(os.path.join(run, "model.pt"))
    model = IntentModel(Shape(**ck["shape"]))
    model.load_state_dict(ck["state"])
    model.eval()
    return model, spm.SentencePieceProcessor(model_file=os.path.join(run, "tokenizer.model"))


def save(model, sp, out, name):
    os.makedirs(out, exist_ok=True)
    torch.save({"shape": model.s.as_dict(), "state": model.state_dict()}, os.path.join(out, "model.pt"))
    with open(os.path.join(out, "tokenizer.model"), "wb") as f:
        f.write(sp.serialized_model_proto())
    gguf_export.write(os.path.join(out, "model-f32.gguf"), model, sp, name=name,
                      extra=[("hearth.prompt_format", gguf_export.T_STR, "hearth-intents-1")])


# --- quantization-aware training --------------------------------------------------------------

def q4_0_roundtrip(w):
    """Q4_0 quantize + dequantize of rows in blocks of 32, as llama.cpp's quantize_row_q4_0_ref:
    d = (the value of largest magnitude) / -8, q = min(15, trunc(x/d + 8.5)), x' = (q - 8) * f16(d)."""
    shape = w.shape
    b = w.reshape(-1, 32)
    idx = b.abs().argmax(dim=1, keepdim=True)
    mx = b.gather(1, idx)
    d = mx / -8.0
    inv = torch.where(d != 0, 1.0 / d, torch.zeros_like(d))
    q = torch.clamp(torch.trunc(b * inv + 8.5), max=15.0)
    return ((q - 8.0) * d.half().float()).reshape(shape)  # the block scale is stored as float16


class FakeQ4_0(nn.Module):
    def forward(self, w):
        return w + (q4_0_roundtrip(w) - w).detach()  # straight-through


def qat(a):
    model, sp = load_run(a.teacher)
    mats = [(m, "weight") for m in model.modules() if isinstance(m, (nn.Linear, nn.Embedding))]
    for m, name in mats:
        parametrize.register_parametrization(m, name, FakeQ4_0())
    seqs = encode(sp, load_examples(os.path.join(a.data, "train.jsonl")), model.s.n_ctx)
    fit(model, seqs, steps=a.steps, lr=a.lr, batch=a.batch, rng=random.Random(a.seed),
        curve_path=os.path.join(a.out, "curve.tsv"), warmup=20)
    for m, name in mats:  # keep the quantized values themselves
        parametrize.remove_parametrizations(m, name, leave_parametrized=True)
    save(model, sp, a.out, "hearth intent model (QAT Q4_0)")


# --- structured pruning ---------------------------------------------------------------------

def prune(a):
    model, sp = load_run(a.teacher)
    s = model.s
    keep = max(32, int(round(s.n_ff * a.keep / 32.0)) * 32)
    for blk in model.blocks:
        score = blk.w_gate.weight.norm(dim=1) * blk.w_up.weight.norm(dim=1) * blk.w_down.weight.norm(dim=0)
        idx = torch.sort(torch.topk(score, keep).indices).values
        for attr, dim in (("w_gate", 0), ("w_up", 0), ("w_down", 1)):  # rows of gate/up, columns of down
            w = getattr(blk, attr).weight.data.index_select(dim, idx).clone()
            new = nn.Linear(w.shape[1], w.shape[0], bias=False)
            new.weight.data.copy_(w)
            setattr(blk, attr, new)
    model.s = Shape(**dict(s.as_dict(), n_ff=keep))
    for blk in model.blocks:
        blk.s = model.s
    print("pruned the feed-forward blocks from %d to %d neurons: %d parameters" % (s.n_ff, keep, model.n_params()), flush=True)
    os.makedirs(a.out, exist_ok=True)
    if a.steps > 0:
        seqs = encode(sp, load_examples(os.path.join(a.data, "train.jsonl")), s.n_ctx)
        fit(model, seqs, steps=a.steps, lr=a.lr, batch=a.batch, rng=random.Random(a.seed),
            curve_path=os.path.join(a.out, "curve.tsv"), warmup=20)
    save(model, sp, a.out, "hearth intent model (FFN pruned to %d)" % keep)


# --- distillation ---------------------------------------------------------------------------

def distill(a):
    teacher, sp = load_run(a.teacher)
    for p in teacher.parameters():
        p.requires_grad_(False)
    torch.manual_seed(a.seed)
    s = teacher.s
    student = IntentModel(Shape(n_vocab=s.n_vocab, n_embd=a.embd, n_layer=a.layers, n_head=a.heads, n_head_kv=a.kv_heads,
                                n_ff=a.ff, n_ctx=s.n_ctx))
    print("student: %d parameters (teacher %d)" % (student.n_params(), teacher.n_params()), flush=True)
    T, alpha = 2.0, 0.7

    def loss_of(model, ids, tgt):
        logits = model(ids)
        with torch.no_grad():
            soft = F.softmax(teacher(ids) / T, dim=-1)
        mask = tgt.view(-1) != -100
        lv = logits.view(-1, logits.shape[-1])[mask]
        kd = F.kl_div(F.log_softmax(lv / T, dim=-1), soft.view(-1, soft.shape[-1])[mask], reduction="batchmean") * T * T
        return alpha * kd + (1 - alpha) * F.cross_entropy(lv, tgt.view(-1)[mask])

    seqs = encode(sp, load_examples(os.path.join(a.data, "train.jsonl")), s.n_ctx)
    os.makedirs(a.out, exist_ok=True)
    fit(student, seqs, steps=a.steps, lr=a.lr, batch=a.batch, rng=random.Random(a.seed),
        curve_path=os.path.join(a.out, "curve.tsv"), loss_of=loss_of)
    save(student, sp, a.out, "hearth intent model (distilled %dx%d)" % (a.layers, a.embd))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("method", choices=["qat", "prune", "distill"])
    ap.add_argument("--teacher", required=True, help="a train.py output folder")
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--steps", type=int, default=400)
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--keep", type=float, default=0.5)
    ap.add_argument("--embd", type=int, default=192)
    ap.add_argument("--layers", type=int, default=3)
    ap.add_argument("--heads", type=int, default=6)
    ap.add_argument("--kv-heads", type=int, default=3)
    ap.add_argument("--ff", type=int, default=512)
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    os.makedirs(a.out, exist_ok=True)
    {"qat": qat, "prune": prune, "distill": distill}[a.method](a)


if __name__ == "__main__":
    main()
