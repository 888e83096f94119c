#!/usr/bin/env python3
"""Writes tests/data/mel-fixture.txt: faster-whisper's log-mel (its numpy FeatureExtractor)
of a synthetic 1 s signal, frames 0, 1, 50, 98 and 99, all 80 bands, to check ours against.

Usage: /work/venv-fw/bin/python tools/mel_fixture.py   (from the whisper/ folder)
"""
import numpy as np
from faster_whisper.feature_extractor import FeatureExtractor

n = np.arange(16000, dtype=np.float64)
t = n / 16000
# A tone, a rising chirp and a click train: energy across the whole mel range.
signal = 0.5 * np.sin(2 * np.pi * 440 * t) + 0.3 * np.sin(2 * np.pi * (200 + 1500 * t) * t)
signal += 0.2 * ((n % 800) < 4)
signal = signal.astype(np.float32)
mel = FeatureExtractor(80)(signal)
frames = [0, 1, 50, 98, 99]
with open("tests/data/mel-fixture.txt", "w") as f:
    f.write("# faster-whisper 1.2.1 FeatureExtractor(80) of the signal in tools/mel_fixture.py;\n")
    f.write("# one line per frame: frame index, then the 80 bands\n")
    for i in frames:
        f.write(f"{i} " + " ".join(f"{x:.6f}" for x in mel[:, i]) + "\n")
