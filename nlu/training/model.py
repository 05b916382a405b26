"""The intent model: a llama-architecture decoder in torch, laid out exactly as hearth's engine
(and llama.cpp) runs a GGUF `llama` file, so export is a copy of the weights:

- RMSNorm before attention and before the feed-forward block, and before the output;
- rotary position embeddings on adjacent pairs (x[2i], x[2i+1]): GGUF's "normal" RoPE style;
- grouped-query attention (n_head_kv <= n_head), causal, scale 1/sqrt(head_dim);
- SwiGLU feed-forward: down(silu(gate(x)) * up(x));
- output projection tied to the token embedding.
"""
import math
from dataclasses import asdict, dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Shape:
    n_vocab: int = 1024
    n_embd: int = 256
    n_layer: int = 4
    n_head: int = 8
    n_head_kv: int = 4
    n_ff: int = 768
    n_ctx: int = 256
    rope_base: float = 10000.0
    rms_eps: float = 1e-5

    def as_dict(self):
        return asdict(self)


class RMSNorm(nn.Module):
    def __init__(self, n, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(n))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rope_tables(shape, device=None):
    hd = shape.n_embd // shape.n_head
    inv = shape.rope_base ** (-torch.arange(0, hd, 2, dtype=torch.float32) / hd)
    ang = torch.arange(shape.n_ctx, dtype=torch.float32)[:, None] * inv[None, :]
    return torch.cos(ang).to(device), torch.sin(ang).to(device)


def apply_rope(x, cos, sin):
    # x: (batch, heads, time, head_dim); rotate adjacent pairs.
    t = x.shape[2]
    x0, x1 = x[..., 0::2], x[..., 1::2]
    c, s = cos[:t], sin[:t]
    out = torch.stack((x0 * c - x1 * s, x0 * s + x1 * c), dim=-1)
    return out.flatten(-2)


class Block(nn.Module):
    def __init__(self, s):
        super().__init__()
        hd = s.n_embd // s.n_head
        self.s, self.hd = s, hd
        self.attn_norm = RMSNorm(s.n_embd, s.rms_eps)
        self.wq = nn.Linear(s.n_embd, s.n_embd, bias=False)
        self.wk = nn.Linear(s.n_embd, s.n_head_kv * hd, bias=False)
        self.wv = nn.Linear(s.n_embd, s.n_head_kv * hd, bias=False)
        self.wo = nn.Linear(s.n_embd, s.n_embd, bias=False)
        self.ffn_norm = RMSNorm(s.n_embd, s.rms_eps)
        self.w_gate = nn.Linear(s.n_embd, s.n_ff, bias=False)
        self.w_up = nn.Linear(s.n_embd, s.n_ff, bias=False)
        self.w_down = nn.Linear(s.n_ff, s.n_embd, bias=False)

    def forward(self, x, cos, sin, mask):
        b, t, _ = x.shape
        s, hd = self.s, self.hd
        h = self.attn_norm(x)
        q = self.wq(h).view(b, t, s.n_head, hd).transpose(1, 2)
        k = self.wk(h).view(b, t, s.n_head_kv, hd).transpose(1, 2)
        v = self.wv(h).view(b, t, s.n_head_kv, hd).transpose(1, 2)
        q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
        rep = s.n_head // s.n_head_kv
        if rep > 1:
            k = k.repeat_interleave(rep, dim=1)
            v = v.repeat_interleave(rep, dim=1)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(hd)
        att = att.masked_fill(mask[:t, :t], float("-inf")).softmax(-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, s.n_embd)
        x = x + self.wo(y)
        h = self.ffn_norm(x)
        return x + self.w_down(F.silu(self.w_gate(h)) * self.w_up(h))


class IntentModel(nn.Module):
    def __init__(self, s):
        super().__init__()
        self.s = s
        self.tok = nn.Embedding(s.n_vocab, s.n_embd)
        self.blocks = nn.ModuleList(Block(s) for _ in range(s.n_layer))
        self.norm = RMSNorm(s.n_embd, s.rms_eps)
        cos, sin = rope_tables(s)
        self.register_buffer("cos", cos, persistent=False)
        self.register_buffer("sin", sin, persistent=False)
        self.register_buffer("mask", torch.triu(torch.ones(s.n_ctx, s.n_ctx, dtype=torch.bool), 1), persistent=False)
        nn.init.normal_(self.tok.weight, std=0.02)
        for blk in self.blocks:
            for lin in (blk.wq, blk.wk, blk.wv, blk.w_gate, blk.w_up):
                nn.init.normal_(lin.weight, std=0.02)
            for lin in (blk.wo, blk.w_down):  # scaled for depth, as GPT-2 does
                nn.init.normal_(lin.weight, std=0.02 / math.sqrt(2 * s.n_layer))

    def forward(self, ids):
        x = self.tok(ids)
        for blk in self.blocks:
            x = blk(x, self.cos, self.sin, self.mask)
        return self.norm(x) @ self.tok.weight.t()

    def n_params(self):
        return sum(p.numel() for p in self.parameters())
