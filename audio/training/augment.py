"""Audio-domain augmentation shared by training and evaluation: noise, level, room reverb, long
recordings in a quiet room."""
import numpy as np


def colored_noise(n, rng, color):
    """White, pink (1/f) or brown (1/f^2) noise of n samples, unit RMS."""
    white = rng.standard_normal(n)
    if color == "white":
        x = white
    else:
        spec = np.fft.rfft(white)
        f = np.arange(len(spec), dtype=np.float64)
        f[0] = 1.0
        spec /= f ** (0.5 if color == "pink" else 1.0)
        x = np.fft.irfft(spec, n)
    return x / (np.sqrt(np.mean(x ** 2)) + 1e-12)


def rms(x):
    return float(np.sqrt(np.mean(np.asarray(x, dtype=np.float64) ** 2)) + 1e-9)


def speech_level(x):
    """The RMS of the louder half of x's 20 ms frames: the level of the speech in it."""
    x = np.asarray(x, dtype=np.float64)
    frames = x[: len(x) // 320 * 320].reshape(-1, 320) if len(x) >= 320 else x.reshape(1, -1)
    e = np.sort(np.mean(frames ** 2, axis=1))
    return np.sqrt(np.mean(e[len(e) // 2:])) if len(e) else rms(x)


def add_noise(x, rng, snr_db, color="pink"):
    """x plus noise at snr_db below x's speech level."""
    x = np.asarray(x, dtype=np.float64)
    return x + colored_noise(len(x), rng, color) * speech_level(x) / (10 ** (snr_db / 20))


def reverb(x, rng, rt60):
    """A room: convolution with exponentially decaying noise (decay -60 dB over rt60 seconds)."""
    n = int(16000 * rt60)
    t = np.arange(n) / 16000.0
    ir = rng.standard_normal(n) * np.exp(-6.9 * t / rt60)
    ir[0] = 1.0 / 0.3  # the direct sound dominates
    ir *= 0.3
    m = len(x) + n - 1
    size = 1 << (m - 1).bit_length()
    y = np.fft.irfft(np.fft.rfft(x, size) * np.fft.rfft(ir, size), size)[: len(x)]
    return y * rms(x) / rms(y)


def to_int16(x):
    return np.clip(np.round(x), -32768, 32767).astype(np.int16)


def quiet_room_recordings(clips, rng, pause_s=(0.2, 0.8), seconds=600):
    """The clips joined with random pauses into recordings of a little over `seconds`, each with
    a quiet room's hiss (pink noise, RMS 3 of 32768) over it. Yields (recording, starts):
    starts[i] is (first sample in the recording, number of the clip in `clips`)."""
    parts, starts, length = [], [], 0
    for i, x in enumerate(clips):
        starts.append((length, i))
        pause = np.zeros(int(rng.uniform(*pause_s) * 16000))
        parts += [x, pause]
        length += len(x) + len(pause)
        if length > seconds * 16000:
            rec = np.concatenate(parts)
            yield rec + colored_noise(len(rec), rng, "pink") * 3.0, starts
            parts, starts, length = [], [], 0
    if parts:
        rec = np.concatenate(parts)
        yield rec + colored_noise(len(rec), rng, "pink") * 3.0, starts
