#!/usr/bin/env python3
"""Trains hearth's wake-word model on wake_data.py's audio and exports it (.hww).

    train_wake.py --data DIR --out MODEL.hww [--phrase "hey computer"] [--epochs N] [--seed S]
                  [--voice-jitter] [--calibration DIR]

Examples are 1.3 s windows (130 log-mel frames, features.py) made in the audio domain: the
phrase placed so that it ends inside the window, before a following command or after other
speech, at random levels, with pink/white/brown noise at 0-30 dB SNR and room reverb; negatives
are ordinary speech, sound-alike phrases, the phrase cut short, noise and silence. The network
(WakeNet) is what audio/src/wake_word.cpp runs. 15% of the training clips are kept back to set
the threshold: the lowest logit that gives at most 0.5 false wakes per hour on them, and on the
hours of other speech of `--calibration DIR` (long_speech.py --calibration) when given.
`--voice-jitter` also warps and recolours the spectrum of training windows (voices, microphones
and rooms unlike the training voices'). `--denoise` hears the noisy windows as the pipeline does:
the noise running for LEAD_S seconds before, and a room loud enough for the noise suppressor
(audio/src/noise_suppressor.cpp; suppress.py is its twin) heard through it.
"""
import argparse
import json
import math
import os
import struct
import sys
import time
import wave

import numpy as np
import torch
import torch.nn as nn

import augment
from features import log_mel
from suppress import DELAY, FRAME, suppress

WINDOW_FRAMES = 130
WINDOW = (WINDOW_FRAMES - 1) * 160 + 400
HOP_FRAMES = 5           # the detector scores every 50 ms
REFRACTORY_FRAMES = 150  # and wakes at most once in 1.5 s
LEAD_S = 2.5             # --denoise: the room's noise before the window, for the suppressor to learn


def read_wav(path):
    with wave.open(path) as w:
        assert w.getframerate() == 16000 and w.getsampwidth() == 2 and w.getnchannels() == 1, path
        return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float64)


def trim(x, margin=800):
    """The clip without its leading and trailing silence (frames 35 dB under the loudest)."""
    f = x[: len(x) // 160 * 160].reshape(-1, 160)
    e = 10 * np.log10(np.mean(f ** 2, axis=1) + 1e-9)
    on = np.where(e > e.max() - 35)[0]
    if len(on) == 0:
        return x
    return x[max(0, on[0] * 160 - margin): min(len(x), (on[-1] + 1) * 160 + margin)]


class WakeNet(nn.Module):
    def __init__(self, ch=32, dilations=(1, 2, 4, 8, 16)):
        super().__init__()
        self.dilations = dilations
        layers, width = [], 40
        for d in dilations:
            layers.append(nn.Conv1d(width, ch, 5, dilation=d, padding=2 * d))
            width = ch
        self.convs = nn.ModuleList(layers)
        self.out = nn.Linear(ch, 1)

    def forward(self, x):  # x: (B, 40, T) log-mel
        x = x - x.mean(dim=(1, 2), keepdim=True)
        for c in self.convs:
            x = torch.relu(c(x))
        return self.out(x.max(dim=2).values).squeeze(1)


def export(model, path, phrase, threshold, info):
    layers, blobs = [], []
    width = 40
    for c, d in zip(model.convs, model.dilations):
        layers.append({"type": "conv1d", "in": width, "out": c.out_channels, "kernel": 5, "dilation": d, "relu": True})
        blobs += [c.weight.detach().numpy().astype("<f4").ravel(), c.bias.detach().numpy().astype("<f4")]
        width = c.out_channels
    layers.append({"type": "maxpool_time"})
    layers.append({"type": "linear", "in": width, "out": 1})
    blobs += [model.out.weight.detach().numpy().astype("<f4").ravel(), model.out.bias.detach().numpy().astype("<f4")]
    header = json.dumps({"phrase": phrase, "mel_bands": 40, "window_frames": WINDOW_FRAMES, "threshold": float(threshold),
                         "layers": layers, "training": info}, sort_keys=True).encode()
    with open(path, "wb") as f:
        f.write(b"HWW1" + struct.pack("<I", len(header)) + header)
        for b in blobs:
            f.write(b.tobytes())


class Maker:
    """Builds augmented 1.3 s windows."""

    def __init__(self, rng, wakes, confusers, speech, denoise=False):
        self.rng, self.wakes, self.confusers, self.denoise = rng, wakes, confusers, denoise
        self.speech = np.concatenate(speech) if speech else np.zeros(WINDOW)

    def speech_piece(self, n):
        at = self.rng.integers(0, max(1, len(self.speech) - n))
        return self.speech[at: at + n].copy()

    def background(self):
        r = self.rng.random()
        if r < 0.4:
            return np.zeros(WINDOW)
        if r < 0.7:  # quiet speech elsewhere in the room
            return self.speech_piece(WINDOW) * 10 ** (-self.rng.uniform(10, 30) / 20)
        return augment.colored_noise(WINDOW, self.rng, self.rng.choice(["white", "pink", "brown"])) * self.rng.uniform(20, 400)

    def place(self, clip, end_slack):
        """Window with `clip` ending `end_slack` samples before the window's end, maybe a command after."""
        x = self.background()
        clip = clip[-(WINDOW - 1):]
        end = WINDOW - end_slack
        start = max(0, end - len(clip))
        x[start:end] += clip[len(clip) - (end - start):]
        if end_slack > 800 and self.rng.random() < 0.6:  # the command that follows
            gap = int(self.rng.uniform(0.03, 0.3) * 16000)
            if end + gap < WINDOW:
                piece = self.speech_piece(WINDOW - end - gap)
                x[end + gap:] += piece * rms_ratio(clip, piece) * self.rng.uniform(0.5, 1.5)
        return x

    def finish(self, x):
        rng = self.rng
        if rng.random() < 0.3:
            x = augment.reverb(x, rng, rng.uniform(0.15, 0.7))
        x = x * 10 ** (rng.uniform(-25, 3) / 20)
        if rng.random() < 0.7 and np.any(x):
            snr, color = rng.uniform(0, 30), rng.choice(["white", "pink", "brown"])
            x = self.in_noise(x, snr, color) if self.denoise else augment.add_noise(x, rng, snr, color)
        return log_mel(augment.to_int16(x)).T  # (40, 130)

    def in_noise(self, x, snr, color):
        """x in a room whose noise (snr dB under x's speech) started LEAD_S before it, as the
        pipeline hears it: through the noise suppressor when the room is loud enough for it."""
        lead = int(LEAD_S * 16000)
        level = augment.speech_level(x) / 10 ** (snr / 20)
        noise = augment.colored_noise(lead + len(x) + FRAME, self.rng, color) * level
        room = noise + np.concatenate([np.zeros(lead), x, np.zeros(FRAME)])
        heard, noisy = suppress(room)
        if not noisy:
            return room[lead: lead + len(x)]
        return heard[lead + DELAY: lead + DELAY + len(x)]

    def positive(self):
        w = self.wakes[self.rng.integers(len(self.wakes))]
        return self.finish(self.place(w, int(self.rng.uniform(0, 0.35) * 16000)))

    def negative(self):
        r = self.rng.random()
        if r < 0.45:
            return self.finish(self.speech_piece(WINDOW) + self.background() * 0.3)
        if r < 0.7:
            c = self.confusers[self.rng.integers(len(self.confusers))]
            return self.finish(self.place(c, int(self.rng.uniform(0, 0.5) * 16000)))
        if r < 0.88:  # the phrase cut short, or only its end
            w = self.wakes[self.rng.integers(len(self.wakes))]
            k = int(len(w) * self.rng.uniform(0.3, 0.7))
            part = w[:k] if self.rng.random() < 0.6 else w[k:]
            return self.finish(self.place(part, int(self.rng.uniform(0, 0.35) * 16000)))
        return self.finish(self.background())


def rms_ratio(a, b):
    return augment.rms(a) / augment.rms(b)


def stream_scores(model, x):
    """Logits every HOP_FRAMES over a long recording, as the detector scores it."""
    f = torch.from_numpy(log_mel(augment.to_int16(x)).T.copy())
    if f.shape[1] < WINDOW_FRAMES:
        return np.zeros(0)
    starts = range(0, f.shape[1] - WINDOW_FRAMES + 1, HOP_FRAMES)
    out = []
    with torch.no_grad():
        batch = []
        for s in starts:
            batch.append(f[:, s: s + WINDOW_FRAMES])
            if len(batch) == 512:
                out.append(model(torch.stack(batch)).numpy())
                batch = []
        if batch:
            out.append(model(torch.stack(batch)).numpy())
    return np.concatenate(out)


def count_wakes(scores, threshold):
    n, last = 0, -10 ** 9
    for i, s in enumerate(scores):
        if s >= threshold and (i - last) * HOP_FRAMES > REFRACTORY_FRAMES:
            n, last = n + 1, i
    return n


def weaken_formant(x):
    """A quarter of the windows with one narrow region of the spectrum 10-25 dB weaker (a Gaussian
    dip 1.5-4 bands wide anywhere over the 40 bands): a voice whose formant is far weaker than
    any training voice's, beyond the +-10 dB of jitter_voice's recolouring (measured: a held-out
    espeak-ng variant with its third formant at 9% of the usual strength, about -21 dB, was
    missed nine times in ten). x: (B, 40, T) natural-log mel power."""
    b, bands, _ = x.shape
    pos = torch.arange(bands, dtype=torch.float32)
    pick = (torch.rand(b) < 0.25).float()
    centre = torch.rand(b, 1) * bands
    width = 1.5 + 2.5 * torch.rand(b, 1)
    depth = (10 + 15 * torch.rand(b, 1)) * math.log(10) / 10  # dB of power -> natural log
    dip = depth * torch.exp(-0.5 * ((pos[None, :] - centre) / width) ** 2)
    return x - (dip * pick[:, None])[:, :, None]


def jitter_voice(x):
    """Half the windows with their mel axis stretched by 0.85-1.15 (a longer or shorter vocal
    tract: the standard vocal-tract-length perturbation), half recoloured by a smooth random
    gain over the bands (up to about +-10 dB: formants weaker or stronger than any training
    voice's, a microphone's or a room's colour). x: (B, 40, T) natural-log mel power."""
    b, bands, _ = x.shape
    pos = torch.arange(bands, dtype=torch.float32)
    warp = torch.rand(b) < 0.5
    alpha = torch.where(warp, 0.85 + 0.3 * torch.rand(b), torch.ones(b))
    src = (pos[None, :] * alpha[:, None]).clamp(0, bands - 1)  # band k reads band k * alpha
    lo = src.floor().long()
    hi = (lo + 1).clamp(max=bands - 1)
    w = (src - lo.float())[:, :, None]
    x = torch.gather(x, 1, lo[:, :, None].expand_as(x)) * (1 - w) + torch.gather(x, 1, hi[:, :, None].expand_as(x)) * w
    colour = torch.rand(b) < 0.5
    gain = torch.zeros(b, bands)
    for _ in range(3):
        centre = torch.rand(b, 1) * bands
        width = 2 + 6 * torch.rand(b, 1)
        gain += torch.randn(b, 1) * torch.exp(-0.5 * ((pos[None, :] - centre) / width) ** 2)
    gain = gain.clamp(-2.3, 2.3) * colour[:, None].float()
    return x + gain[:, :, None]


def fit(model, X, Y, epochs, t0, voice_jitter=False, weak_formants=False):
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-3)
    steps = epochs * ((len(X) + 127) // 128)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps)
    # Positives are a minority: weighted so that both kinds count alike.
    pos_weight = torch.tensor(float((Y == 0).sum()) / max(1.0, float((Y == 1).sum())))
    loss_fn = nn.BCEWithLogitsLoss(pos_weight=pos_weight)
    for epoch in range(epochs):
        perm = torch.randperm(len(X))
        total = 0.0
        model.train()
        for i in range(0, len(X), 128):
            idx = perm[i: i + 128]
            x = X[idx]
            # Feature-domain jitter on top of the audio augmentation: other voices, microphones and
            # rooms (a warped and recoloured spectrum), and dropped bands.
            if voice_jitter:
                x = jitter_voice(x)
            if weak_formants:
                x = weaken_formant(x)
            mask = (torch.rand(len(idx), 40, 1) > 0.05).float()
            loss = loss_fn(model(x * mask + (1 - mask) * x.mean()), Y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss) * len(idx)
        print("epoch %d loss %.4f (%.0f s)" % (epoch + 1, total / len(X), time.time() - t0), file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--phrase", default="hey computer")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--epochs-after", type=int, default=6, help="epochs after the hard negatives are added")
    ap.add_argument("--hard", type=int, default=8000, help="most hard negatives added")
    ap.add_argument("--examples", type=int, default=36000, help="training windows (a quarter positive)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--voice-jitter", action="store_true", help="warp and recolour the spectrum of training windows")
    ap.add_argument("--weak-formants", action="store_true", help="weaken one narrow spectral region of some windows by 10-25 dB")
    ap.add_argument("--denoise", action="store_true", help="hear noisy windows through the noise suppressor, as the pipeline does")
    ap.add_argument("--calibration", help="long_speech.py --calibration's folder: more speech to set the threshold on")
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    rng = np.random.default_rng(a.seed)
    t0 = time.time()
    d = os.path.join(a.data, "train")
    clips = {"wake": [], "confuser": [], "speech": []}
    for line in open(os.path.join(d, "index.jsonl")):
        e = json.loads(line)
        clips[e["kind"]].append(trim(read_wav(os.path.join(d, e["wav"]))))
    # Kept back for the threshold: every seventh clip of each kind.
    keep = {k: [c for i, c in enumerate(v) if i % 7 == 3] for k, v in clips.items()}
    train = {k: [c for i, c in enumerate(v) if i % 7 != 3] for k, v in clips.items()}
    train["wake"] = [w for w in train["wake"] if len(w) < WINDOW - 400]
    maker = Maker(rng, train["wake"], train["confuser"], train["speech"], a.denoise)
    n_pos = a.examples // 4
    X = np.stack([maker.positive() for _ in range(n_pos)] + [maker.negative() for _ in range(a.examples - n_pos)])
    Y = np.concatenate([np.ones(n_pos), np.zeros(a.examples - n_pos)]).astype(np.float32)
    print("examples: %d (%.0f s)" % (len(X), time.time() - t0), file=sys.stderr)
    X, Y = torch.from_numpy(X), torch.from_numpy(Y)
    model = WakeNet()
    fit(model, X, Y, a.epochs, t0, a.voice_jitter, a.weak_formants)
    # Hard negatives: the windows of the training speech and sound-alikes the model still scores
    # highest are added (as heard, and with noise), then training goes on over everything.
    model.eval()
    hard = []
    stream = np.concatenate([np.concatenate([c, np.zeros(4000)]) for c in train["speech"] + train["confuser"]])
    f = log_mel(augment.to_int16(stream)).T
    scores = stream_scores(model, stream)
    order = np.argsort(-scores)[: a.hard]
    for i in order:
        if scores[i] < -4:
            break
        hard.append(f[:, i * HOP_FRAMES: i * HOP_FRAMES + WINDOW_FRAMES])
    print("hard negatives: %d (top score %.1f) (%.0f s)" % (len(hard), scores[order[0]], time.time() - t0), file=sys.stderr)
    if hard:
        X = torch.cat([X, torch.from_numpy(np.stack(hard))])
        Y = torch.cat([Y, torch.zeros(len(hard))])
        fit(model, X, Y, a.epochs_after, t0, a.voice_jitter, a.weak_formants)
    model.eval()
    # Threshold: kept-back speech and sound-alikes as one stream; kept-back phrases for the rate.
    crng = np.random.default_rng(a.seed + 7)
    neg = np.concatenate([np.concatenate([c, np.zeros(int(crng.uniform(0.2, 1.0) * 16000))])
                          for c in keep["speech"] + keep["confuser"]])
    neg_scores = [stream_scores(model, neg)]
    hours = len(neg) / 16000 / 3600
    if a.calibration:
        # Hours of other speech in the training voices (long_speech.py --calibration), as
        # eval_wake.py hears its held-out speech: ten-minute recordings in a quiet room.
        index = [json.loads(line) for line in open(os.path.join(a.calibration, "index.jsonl"))]
        clips = (read_wav(os.path.join(a.calibration, e["wav"])) for e in index)
        for rec, _ in augment.quiet_room_recordings(clips, crng, pause_s=(0.3, 1.0)):
            neg_scores.append(stream_scores(model, rec))
            hours += len(rec) / 16000 / 3600
        print("calibration speech: %.2f h (%.0f s)" % (hours, time.time() - t0), file=sys.stderr)
    pos_peaks = []
    for w in keep["wake"]:
        x = np.concatenate([np.zeros(8000), w, np.zeros(16000)])
        x = augment.add_noise(x, crng, 20) if crng.random() < 0.5 else x
        s = stream_scores(model, x)
        pos_peaks.append(s.max() if len(s) else -100)
    pos_peaks = np.array(pos_peaks)
    threshold = None
    for t in np.arange(-6, 30.01, 0.25):
        if sum(count_wakes(n, t) for n in neg_scores) / hours <= 0.5:
            threshold = t
            break
    if threshold is None:
        threshold = 30.0
    rate = float(np.mean(pos_peaks >= threshold))
    fa = sum(count_wakes(n, threshold) for n in neg_scores) / hours
    print("threshold %.2f: kept-back detection %.1f%%, %.2f false wakes/hour over %.2f h" % (threshold, 100 * rate, fa, hours),
          file=sys.stderr)
    info = {"examples": int(len(X)), "epochs": a.epochs, "seed": a.seed, "calibration_hours": round(hours, 3),
            "calibration_detection": round(rate, 4), "calibration_false_wakes_per_hour": round(fa, 3)}
    export(model, a.out, a.phrase, threshold, info)
    print("wrote %s (%d bytes, %.0f s)" % (a.out, os.path.getsize(a.out), time.time() - t0), file=sys.stderr)


if __name__ == "__main__":
    main()
