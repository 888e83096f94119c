#!/usr/bin/env python3
"""Writes the ten-minute recording of the long-silence test (tests/real_model.rs) as a WAV
at 16 kHz, for benchmarks: silences of 45, 120, 90, 150 and 60 s around long, chiffres,
entretien and long again. Resampled with sox, as the test resamples with our own filter.

Usage: python3 tools/make_ten_minutes.py OUT.wav   (from the whisper/ folder; needs sox)
"""
import os
import subprocess
import sys
import tempfile
import wave

parts = ["long", "chiffres", "entretien", "long"]
silences = [45, 120, 90, 150, 60]
with tempfile.TemporaryDirectory() as tmp:
    chunks = []
    for i, gap in enumerate(silences):
        chunks.append(b"\0\0" * (16000 * gap))
        if i < len(parts):
            path = os.path.join(tmp, f"{i}.wav")
            subprocess.run(["sox", f"tests/data/{parts[i]}.wav", "-r", "16000", path], check=True)
            with wave.open(path, "rb") as w:
                chunks.append(w.readframes(w.getnframes()))
    with wave.open(sys.argv[1], "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"".join(chunks))
