"""Writes an IntentModel and its SentencePiece tokenizer as a GGUF v3 `llama` file (F32 weights;
`hearth llm quantize` makes the smaller types). Tensor names and metadata keys are those of the
GGUF spec for llama, so other GGUF runtimes load the file too."""
import struct

import numpy as np

GGUF_MAGIC = 0x46554747
T_U32, T_I32, T_F32, T_BOOL, T_STR, T_ARR = 4, 5, 6, 7, 8, 9
ALIGN = 32


def _str(s):
    b = s.encode("utf-8")
    return struct.pack("<Q", len(b)) + b


def _kv(key, vtype, value):
    out = _str(key) + struct.pack("<I", vtype)
    if vtype == T_U32:
        return out + struct.pack("<I", value)
    if vtype == T_F32:
        return out + struct.pack("<f", value)
    if vtype == T_BOOL:
        return out + struct.pack("<?", value)
    if vtype == T_STR:
        return out + _str(value)
    etype, items = value
    out += struct.pack("<IQ", etype, len(items))
    if etype == T_STR:
        return out + b"".join(_str(x) for x in items)
    fmt = {T_I32: "<i", T_F32: "<f", T_U32: "<I"}[etype]
    return out + b"".join(struct.pack(fmt, x) for x in items)


def tokenizer_metadata(sp):
    """The GGUF `llama` tokenizer of a SentencePiece processor: pieces, scores and token types."""
    tokens, scores, types = [], [], []
    for i in range(sp.get_piece_size()):
        tokens.append(sp.id_to_piece(i))
        scores.append(float(sp.get_score(i)))
        if sp.is_unknown(i):
            types.append(2)
        elif sp.is_control(i):
            types.append(3)
        elif sp.is_byte(i):
            types.append(6)
        elif sp.is_unused(i):
            types.append(5)
        else:
            types.append(1)
    return [("tokenizer.ggml.model", T_STR, "llama"),
            ("tokenizer.ggml.tokens", T_ARR, (T_STR, tokens)),
            ("tokenizer.ggml.scores", T_ARR, (T_F32, scores)),
            ("tokenizer.ggml.token_type", T_ARR, (T_I32, types)),
            ("tokenizer.ggml.bos_token_id", T_U32, sp.bos_id()),
            ("tokenizer.ggml.eos_token_id", T_U32, sp.eos_id()),
            ("tokenizer.ggml.unknown_token_id", T_U32, sp.unk_id()),
            ("tokenizer.ggml.add_bos_token", T_BOOL, True),
            ("tokenizer.ggml.add_space_prefix", T_BOOL, True)]


def model_tensors(model):
    """(name, float32 array) in GGUF naming; arrays keep torch's (out, in) row-major layout, which is
    GGUF's [in, out] (ne0 = the row length)."""
    sd = {k: v.detach().float().cpu().numpy() for k, v in model.state_dict().items()}
    out = [("token_embd.weight", sd["tok.weight"])]
    for i in range(model.s.n_layer):
        p, b = "blk.%d." % i, "blocks.%d." % i
        for gg, tn in (("attn_norm", "attn_norm"), ("attn_q", "wq"), ("attn_k", "wk"), ("attn_v", "wv"),
                       ("attn_output", "wo"), ("ffn_norm", "ffn_norm"), ("ffn_gate", "w_gate"),
                       ("ffn_up", "w_up"), ("ffn_down", "w_down")):
            out.append((p + gg + ".weight", sd[b + tn + ".weight"]))
    out.append(("output_norm.weight", sd["norm.weight"]))
    return out


def write(path, model, sp, name="hearth intent model", extra=()):
    s = model.s
    kvs = [("general.architecture", T_STR, "llama"), ("general.name", T_STR, name),
           ("general.alignment", T_U32, ALIGN),
           ("llama.context_length", T_U32, s.n_ctx), ("llama.embedding_length", T_U32, s.n_embd),
           ("llama.block_count", T_U32, s.n_layer), ("llama.feed_forward_length", T_U32, s.n_ff),
           ("llama.attention.head_count", T_U32, s.n_head), ("llama.attention.head_count_kv", T_U32, s.n_head_kv),
           ("llama.rope.dimension_count", T_U32, s.n_embd // s.n_head),
           ("llama.rope.freq_base", T_F32, s.rope_base),
           ("llama.attention.layer_norm_rms_epsilon", T_F32, s.rms_eps)]
    kvs += tokenizer_metadata(sp) + list(extra)
    tensors = model_tensors(model)
    header = struct.pack("<IIQQ", GGUF_MAGIC, 3, len(tensors), len(kvs)) + b"".join(_kv(*kv) for kv in kvs)
    infos, blobs, offset = b"", [], 0
    for tname, arr in tensors:
        arr = np.ascontiguousarray(arr, dtype="<f4")
        dims = list(reversed(arr.shape))
        infos += _str(tname) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
        infos += struct.pack("<IQ", 0, offset)  # type F32
        blob = arr.tobytes()
        pad = (-len(blob)) % ALIGN
        blobs.append(blob + b"\0" * pad)
        offset += len(blob) + pad
    head = header + infos
    head += b"\0" * ((-len(head)) % ALIGN)
    with open(path, "wb") as f:
        f.write(head)
        for b in blobs:
            f.write(b)
