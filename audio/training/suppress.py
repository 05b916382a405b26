"""The noise suppressor of audio/src/noise_suppressor.cpp in numpy, for training on what the wake
word hears in a noisy room (the pipeline hands it denoised audio there). A test
(`NoiseSuppressor.MatchesTheTrainingPipeline`) checks that both give the same samples; keep the
two in step.

    suppress(x)  # int16-range samples -> the suppressor's output (kDelay samples later), and
                 # whether the room was judged noisy at the end
"""
import numpy as np

FRAME, HOP = 512, 256
DELAY = HOP
BINS = FRAME // 2 + 1
LEARN_FRAMES = 8
SPANS, SPAN_FRAMES, ROOM_SPAN_FRAMES = 8, 16, 40

FLOOR, SMOOTHING, LEARN_RATE, SPEECH_RATIO = 0.1, 0.98, 0.05, 4.0
RISE_PER_FRAME, LEAST_POWER_FACTOR, MOST_OVER_LEAST, QUIET_DBFS = 1.002, 1.5, 10.0, -50.0

_WINDOW = np.sqrt(0.5 - 0.5 * np.cos(2 * np.pi * np.arange(FRAME) / FRAME))
_LEVEL = 32768.0 * 10 ** (QUIET_DBFS / 20)
QUIET_POWER = BINS * _LEVEL * _LEVEL * FRAME / 2


def suppress(x):
    """x: samples (any float or int array, int16 range). Returns (out, noisy): out has
    len(x) // HOP * HOP samples, the first DELAY of them the suppressor's lag (zeros), as
    NoiseSuppressor::process gives them for the same input in one call."""
    x = np.asarray(x, dtype=np.float64)
    pending = np.concatenate([np.zeros(DELAY), x])
    n_frames = (len(pending) - FRAME) // HOP + 1 if len(pending) >= FRAME else 0
    out = np.zeros(n_frames * HOP)
    overlap = np.zeros(FRAME)
    noise = np.zeros(BINS)
    clean_ratio = np.ones(BINS)
    smoothed = np.zeros(BINS)
    least = np.full((SPANS, BINS), np.inf)
    least_now = np.full(BINS, np.inf)
    frame_least = np.full(SPANS, np.inf)
    frame_least_now = np.inf
    noisy = False
    for f in range(n_frames):
        frames = f + 1
        spectrum = np.fft.rfft(pending[f * HOP: f * HOP + FRAME] * _WINDOW)
        power = spectrum.real ** 2 + spectrum.imag ** 2
        span = (frames - 1) // SPAN_FRAMES % SPANS
        span_ends = frames % SPAN_FRAMES == 0
        spans_full = frames >= SPANS * SPAN_FRAMES
        smoothed = power.copy() if frames == 1 else 0.85 * smoothed + 0.15 * power
        least_now = np.minimum(least_now, smoothed)
        lo = np.minimum(least_now, least.min(axis=0))
        if frames <= LEARN_FRAMES:
            noise = noise + (power - noise) / frames
        else:
            noise = np.where(power < SPEECH_RATIO * noise, noise + LEARN_RATE * (power - noise), noise * RISE_PER_FRAME)
        noise = np.minimum(noise, MOST_OVER_LEAST * lo)
        if spans_full:
            noise = np.maximum(noise, LEAST_POWER_FACTOR * lo)
        if span_ends:
            least[span] = least_now
            least_now = np.full(BINS, np.inf)
        posterior = power / np.maximum(noise, 1e-9)
        prior = SMOOTHING * clean_ratio + (1 - SMOOTHING) * np.maximum(posterior - 1, 0.0)
        gain = np.maximum(prior / (1 + prior), FLOOR)
        clean_ratio = gain * gain * posterior
        frame_power = power.sum()
        frame_least_now = min(frame_least_now, frame_power)
        room = min(frame_least_now, frame_least.min())
        if frames % ROOM_SPAN_FRAMES == 0:
            frame_least[frames // ROOM_SPAN_FRAMES % SPANS] = frame_least_now
            frame_least_now = np.inf
        noisy = room > (0.5 if noisy else 1.0) * QUIET_POWER
        overlap += np.fft.irfft(spectrum * gain, FRAME) * _WINDOW
        out[f * HOP: (f + 1) * HOP] = overlap[:HOP]
        overlap = np.concatenate([overlap[HOP:], np.zeros(HOP)])
    return np.clip(np.round(out), -32768, 32767), noisy
