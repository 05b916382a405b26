"""Log-mel features exactly as audio/src/features.cpp computes them (see features.h).

40 HTK-mel bands over 60-7600 Hz, 25 ms periodic Hann windows every 10 ms, 512-point FFT,
natural log of band power + 1e-6, on 16 kHz int16 samples scaled by 1/32768.
"""
import numpy as np

MEL_BANDS, HOP, WINDOW, FFT = 40, 160, 400, 512


def _hz_to_mel(hz):
    return 2595.0 * np.log10(1.0 + hz / 700.0)


def _mel_to_hz(mel):
    return 700.0 * (10.0 ** (mel / 2595.0) - 1.0)


def _filters():
    lo, hi = _hz_to_mel(60.0), _hz_to_mel(7600.0)
    edges = _mel_to_hz(lo + (hi - lo) * np.arange(MEL_BANDS + 2) / (MEL_BANDS + 1))
    f = np.arange(FFT // 2 + 1) * 16000.0 / FFT
    fb = np.zeros((MEL_BANDS, FFT // 2 + 1))
    for b in range(MEL_BANDS):
        up = (f > edges[b]) & (f <= edges[b + 1])
        down = (f > edges[b + 1]) & (f < edges[b + 2])
        fb[b, up] = (f[up] - edges[b]) / (edges[b + 1] - edges[b])
        fb[b, down] = (edges[b + 2] - f[down]) / (edges[b + 2] - edges[b + 1])
    return fb


_FB = _filters()
_HANN = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(WINDOW) / WINDOW)


def log_mel(samples):
    """int16 (or float in int16 units) samples at 16 kHz -> float32 array (frames, 40)."""
    x = np.asarray(samples, dtype=np.float64) / 32768.0
    if len(x) < WINDOW:
        return np.zeros((0, MEL_BANDS), dtype=np.float32)
    n = 1 + (len(x) - WINDOW) // HOP
    idx = np.arange(WINDOW)[None, :] + HOP * np.arange(n)[:, None]
    spec = np.abs(np.fft.rfft(x[idx] * _HANN, FFT)) ** 2
    return np.log(spec @ _FB.T + 1e-6).astype(np.float32)
