#!/usr/bin/env python3
"""The reference Q8_0 and Q4_0 quantisation of GGUF (ggml's quantize_row_*_ref), in numpy float32
arithmetic, for bit-exact comparison with hearth's quantisers.

usage: reference_quantize.py TYPE IN.f32 OUT.bin   (TYPE: Q8_0 or Q4_0; IN: raw little-endian floats)
"""
import sys

import numpy as np


def q8_0(x):
    out = bytearray()
    for b in x.reshape(-1, 32):
        amax = np.float32(np.max(np.abs(b)))
        d = np.float32(amax / np.float32(127.0))
        inv = np.float32(np.float32(1.0) / d) if d != 0 else np.float32(0.0)
        v = (b * inv).astype(np.float32)
        q = (np.sign(v) * np.floor(np.abs(v) + np.float32(0.5))).astype(np.int8)  # roundf
        out += np.float16(d).tobytes() + q.tobytes()
    return bytes(out)


def q4_0(x):
    out = bytearray()
    for b in x.reshape(-1, 32):
        i = int(np.argmax(np.abs(b)))  # the first value of largest magnitude
        mx = np.float32(b[i])
        d = np.float32(mx / np.float32(-8.0))
        inv = np.float32(np.float32(1.0) / d) if d != 0 else np.float32(0.0)
        v = (b * inv + np.float32(8.5)).astype(np.float32)
        q = np.minimum(15, np.trunc(v).astype(np.int8)).astype(np.uint8)  # (int8_t) truncates
        packed = (q[:16] | (q[16:] << 4)).astype(np.uint8)
        out += np.float16(d).tobytes() + packed.tobytes()
    return bytes(out)


def main():
    kind, src, dst = sys.argv[1:4]
    x = np.fromfile(src, dtype="<f4")
    data = {"Q8_0": q8_0, "Q4_0": q4_0}[kind](x)
    open(dst, "wb").write(data)


if __name__ == "__main__":
    main()
