#!/usr/bin/env python3
"""An independent reference of hearth's forward pass, in numpy, for tests/engine.

Reads a GGUF file with its own parser (F32, F16, Q8_0 and Q4_0 weights; llama and qwen2),
evaluates a token sequence from an empty context and prints the logits of every position as
JSON. Like llama.cpp (and hearth), K and V are kept in float16, and q and the softmax weights are
rounded to float16 before their products, so the two agree to float32 rounding.

usage: reference_forward.py MODEL.gguf TOKEN [TOKEN ...]
"""
import json
import struct
import sys

import numpy as np

GGUF_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}


class Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, fmt):
        v = struct.unpack_from(fmt, self.data, self.pos)[0]
        self.pos += struct.calcsize(fmt)
        return v

    def string(self):
        n = self.take("<Q")
        s = self.data[self.pos:self.pos + n].decode("utf-8", errors="replace")
        self.pos += n
        return s

    def value(self, t):
        if t == 8:
            return self.string()
        if t == 9:
            et, n = self.take("<I"), self.take("<Q")
            return [self.value(et) for _ in range(n)]
        return self.take(GGUF_SCALARS[t])


def load_gguf(path):
    data = open(path, "rb").read()
    r = Reader(data)
    assert r.take("<I") == 0x46554747, "not GGUF"
    r.take("<I")
    n_tensors, n_kv = r.take("<Q"), r.take("<Q")
    meta = {}
    for _ in range(n_kv):
        k = r.string()
        meta[k] = r.value(r.take("<I"))
    align = meta.get("general.alignment", 32)
    infos = []
    for _ in range(n_tensors):
        name = r.string()
        dims = [r.take("<Q") for _ in range(r.take("<I"))]
        infos.append((name, dims, r.take("<I"), r.take("<Q")))
    base = (r.pos + align - 1) // align * align
    tensors, types = {}, {}
    for name, dims, ttype, off in infos:
        n = int(np.prod(dims))
        tensors[name] = dequantize(data, base + off, n, ttype).reshape(list(reversed(dims)))
        types[name] = ttype
    return meta, tensors, types


def dequantize(data, off, n, ttype):
    if ttype == 0:
        return np.frombuffer(data, dtype="<f4", count=n, offset=off).astype(np.float32)
    if ttype == 1:
        return np.frombuffer(data, dtype="<f2", count=n, offset=off).astype(np.float32)
    if ttype == 8:  # Q8_0: f16 d, 32 x int8
        blocks = np.frombuffer(data, dtype=np.dtype([("d", "<f2"), ("q", "i1", 32)]), count=n // 32, offset=off)
        return (blocks["q"].astype(np.float32) * blocks["d"].astype(np.float32)[:, None]).reshape(-1)
    if ttype == 2:  # Q4_0: f16 d, 16 bytes: low nibbles are elements 0..15, high 16..31
        blocks = np.frombuffer(data, dtype=np.dtype([("d", "<f2"), ("q", "u1", 16)]), count=n // 32, offset=off)
        lo = (blocks["q"] & 0x0F).astype(np.int32) - 8
        hi = (blocks["q"] >> 4).astype(np.int32) - 8
        q = np.concatenate([lo, hi], axis=1).astype(np.float32)
        return (q * blocks["d"].astype(np.float32)[:, None]).reshape(-1)
    raise SystemExit(f"reference: tensor type {ttype} not supported")


def f16(x):
    return np.asarray(x, dtype=np.float32).astype(np.float16).astype(np.float32)


def q8_0_activations(x):
    """x as the Q8_0/Q4_0 dot products see it: per block of 32, d = max|x| / 127 (stored as f16),
    q = round half away from zero (x / d)."""
    b = x.reshape(-1, 32).astype(np.float32)
    d = np.abs(b).max(axis=1) / np.float32(127.0)
    inv = np.where(d != 0, np.float32(1.0) / np.where(d != 0, d, 1), 0).astype(np.float32)
    v = b * inv[:, None]
    q = np.sign(v) * np.floor(np.abs(v) + np.float32(0.5))
    return (q * f16(d)[:, None]).reshape(-1).astype(np.float32)


def matvec(w, wtype, x):
    if wtype in (2, 8):  # Q4_0 and Q8_0 weights are dotted with Q8_0-quantised activations
        x = q8_0_activations(x)
    return (w.astype(np.float64) @ x.astype(np.float64)).astype(np.float32)


def rmsnorm(x, w, eps):
    ms = np.mean(x.astype(np.float64) ** 2)
    return (x * np.float32(1.0 / np.sqrt(np.float32(ms) + np.float32(eps)))) * w


def rope(v, pos, base, neox):
    d = v.shape[-1]
    theta = pos * np.float32(base) ** (-2.0 * np.arange(d // 2, dtype=np.float32) / d)
    c, s = np.cos(theta).astype(np.float32), np.sin(theta).astype(np.float32)
    out = v.copy()
    if neox:
        a, b = v[..., : d // 2], v[..., d // 2:]
        out[..., : d // 2], out[..., d // 2:] = a * c - b * s, a * s + b * c
    else:
        a, b = v[..., 0::2], v[..., 1::2]
        out[..., 0::2], out[..., 1::2] = a * c - b * s, a * s + b * c
    return out


def forward(meta, t, types, tokens):
    def mm(name, x):
        return matvec(t[name], types[name], x)

    arch = meta["general.architecture"]
    p = arch + "."
    E, L, H = meta[p + "embedding_length"], meta[p + "block_count"], meta[p + "attention.head_count"]
    HKV = meta.get(p + "attention.head_count_kv", H)
    eps = meta.get(p + "attention.layer_norm_rms_epsilon", 1e-5)
    base = meta.get(p + "rope.freq_base", 10000.0)
    neox = arch == "qwen2"
    hd = E // H
    out_name = "output.weight" if "output.weight" in t else "token_embd.weight"
    kcache = [[] for _ in range(L)]
    vcache = [[] for _ in range(L)]
    logits = []
    for pos, tok in enumerate(tokens):
        x = t["token_embd.weight"][tok].astype(np.float32)
        for l in range(L):
            b = f"blk.{l}."
            xb = rmsnorm(x, t[b + "attn_norm.weight"], eps)
            q, k, v = mm(b + "attn_q.weight", xb), mm(b + "attn_k.weight", xb), mm(b + "attn_v.weight", xb)
            if b + "attn_q.bias" in t:
                q, k, v = q + t[b + "attn_q.bias"], k + t[b + "attn_k.bias"], v + t[b + "attn_v.bias"]
            q = rope(q.reshape(H, hd), pos, base, neox)
            k = rope(k.reshape(HKV, hd), pos, base, neox)
            kcache[l].append(f16(k))
            vcache[l].append(f16(v.reshape(HKV, hd)))
            K, V = np.stack(kcache[l]), np.stack(vcache[l])  # (pos+1, HKV, hd)
            att = np.zeros((H, hd), dtype=np.float32)
            for h in range(H):
                kh = h // (H // HKV)
                s = (K[:, kh, :] @ f16(q[h])) * np.float32(1.0 / np.sqrt(hd))
                w = np.exp(s - s.max())
                w = f16(w / w.sum())
                att[h] = w @ V[:, kh, :]
            x = x + mm(b + "attn_output.weight", att.reshape(-1))
            xb = rmsnorm(x, t[b + "ffn_norm.weight"], eps)
            g, u = mm(b + "ffn_gate.weight", xb), mm(b + "ffn_up.weight", xb)
            x = x + mm(b + "ffn_down.weight", (g / (1.0 + np.exp(-g)) * u).astype(np.float32))
        logits.append(mm(out_name, rmsnorm(x, t["output_norm.weight"], eps)))
    return logits


def main():
    meta, tensors, types = load_gguf(sys.argv[1])
    logits = forward(meta, tensors, types, [int(a) for a in sys.argv[2:]])
    json.dump([[float(v) for v in row] for row in logits], sys.stdout)


if __name__ == "__main__":
    main()
