#!/usr/bin/env python3
"""Turns the JSON lines of benchmarks/llm_sweep.sh into the tables of benchmarks/results/engine.md,
with each figure as a ratio to llama.cpp's from ../shared/benchmarks/llamacpp-reference.md.

usage: llm_report.py SWEEP.jsonl [REFERENCE.md]
"""
import json
import re
import sys


def reference(path):
    ref = {}
    try:
        text = open(path).read()
    except OSError:
        return ref
    for line in text.splitlines():
        m = re.match(r"\|\s*(\d+M) (\S+)\s*\|\s*(\d)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|", line)
        if m:
            shape, typ, t = m.group(1), m.group(2), int(m.group(3))
            ref[(shape, typ, t)] = {"pp64": int(m.group(4)), "pp256": int(m.group(5)),
                                    "tg64": int(m.group(6)), "tg128": int(m.group(7))}
    return ref


def main():
    rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    ref = reference(sys.argv[2] if len(sys.argv) > 2 else "../shared/benchmarks/llamacpp-reference.md")
    membw = next((r["membw"] for r in rows if "membw" in r), None)
    results, contended, rss = {}, {}, {}
    for r in rows:
        if "bench" not in r:
            continue
        b = r["bench"]
        # The file name says what the model was made as (a Q4_K_M file is mostly Q4_K, and a
        # 15M one falls back to Q4_0 for rows of 288): SHAPE-TYPE.gguf.
        m = re.search(r"-([A-Z0-9_]+)\.gguf$", b["model"])
        b["type"] = m.group(1) if m else b["type"]
        key_model = (r["shape"], b["type"])
        rss[key_model] = max(rss.get(key_model, 0), b["peak_rss_bytes"])
        contend_run = any(res["contended"] for res in b["results"])
        for res in b["results"]:
            key = (r["shape"], b["type"], res["threads"])
            if res["contended"]:
                contended[key_model] = (res, b)
                continue
            if contend_run:
                continue  # its quiet rows are read with the contended one below, not in the main table
            d = results.setdefault(key, {"weight_bytes": b["weight_bytes"]})
            d[f"pp{b['n_prompt']}"] = res["prefill_tokens_per_s"]
            d[f"tg{b['n_gen']}"] = res["decode_tokens_per_s"]
    cols = ["pp64", "pp256", "tg64", "tg128"]
    print("| model | threads | " + " | ".join(f"{c} tok/s (x llama.cpp)" for c in cols) + " |")
    print("|---|---:|" + "---:|" * len(cols))
    for (shape, typ, t), d in sorted(results.items(), key=lambda kv: (int(kv[0][0][:-1]), kv[0][1], kv[0][2])):
        cells = []
        for c in cols:
            v = d.get(c)
            rv = ref.get((shape, typ, t), {}).get(c)
            cells.append(f"{v:.0f} ({v / rv:.2f})" if v and rv else (f"{v:.0f}" if v else "-"))
        print(f"| {shape} {typ} | {t} | " + " | ".join(cells) + " |")
    if membw:
        print()
        small = ""
        if "small_pages_read_gb_per_s_1_thread" in membw:
            small = (f" (on 4 KiB pages: {membw['small_pages_read_gb_per_s_1_thread']:.1f} and "
                     f"{membw['small_pages_read_gb_per_s_2_threads']:.1f})")
        print(f"Memory read bandwidth in the same run, on 2 MiB pages like the weights: "
              f"{membw['read_gb_per_s_1_thread']:.1f} GB/s from one thread, "
              f"{membw['read_gb_per_s_2_threads']:.1f} GB/s from two{small}.")
        print()
        print("| model | threads | weights MiB | tg64 tok/s | bound tok/s (bandwidth / weight bytes) | fraction of bound |")
        print("|---|---:|---:|---:|---:|---:|")
        for (shape, typ, t), d in sorted(results.items(), key=lambda kv: (int(kv[0][0][:-1]), kv[0][1], kv[0][2])):
            bw = membw["read_gb_per_s_1_thread" if t == 1 else "read_gb_per_s_2_threads"] * 1e9
            bound = bw / d["weight_bytes"]
            print(f"| {shape} {typ} | {t} | {d['weight_bytes'] / 2**20:.0f} | {d['tg64']:.0f} | {bound:.0f} | "
                  f"{d['tg64'] / bound:.2f} |")
    if contended:
        print()
        print("| model | default threads, quiet: pp64 / tg64 | same with a busy process beside it | hearth 1 thread, quiet | contended / 1 thread |")
        print("|---|---|---|---|---|")
        for (shape, typ), (res, b) in sorted(contended.items(), key=lambda kv: (int(kv[0][0][:-1]), kv[0][1])):
            quiet = next(x for x in b["results"] if not x["contended"] and not x.get("beside_contended"))
            # The one-thread runs interleaved with the contended ones where the bench made them;
            # else the sweep's own one-thread row.
            beside = next((x for x in b["results"] if x.get("beside_contended")), None)
            if beside:
                one = {"pp64": beside["prefill_tokens_per_s"], "tg64": beside["decode_tokens_per_s"]}
            else:
                one = results.get((shape, typ, 1), {})
            print(f"| {shape} {typ} | {quiet['prefill_tokens_per_s']:.0f} / {quiet['decode_tokens_per_s']:.0f} | "
                  f"{res['prefill_tokens_per_s']:.0f} / {res['decode_tokens_per_s']:.0f} | "
                  f"{one.get('pp64', 0):.0f} / {one.get('tg64', 0):.0f} | "
                  f"{res['prefill_tokens_per_s'] / one['pp64']:.2f} / {res['decode_tokens_per_s'] / one['tg64']:.2f} |")
    print()
    print("| model | peak RSS MiB | weights MiB |")
    print("|---|---:|---:|")
    for (shape, typ), v in sorted(rss.items(), key=lambda kv: (int(kv[0][0][:-1]), kv[0][1])):
        w = results.get((shape, typ, 1), {}).get("weight_bytes", 0)
        print(f"| {shape} {typ} | {v / 2**20:.0f} | {w / 2**20:.0f} |")


if __name__ == "__main__":
    main()
