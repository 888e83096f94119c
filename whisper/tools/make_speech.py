#!/usr/bin/env python3
"""Speaks the paragraphs of tests/data/paragraphs.txt with espeak-ng into tests/data/*.wav.

Each "## name pause" section becomes name.wav: its lines spoken one by one (French voice),
joined by `pause` seconds of silence, plus 0.5 s of silence at both ends. The WAV files are
committed, since the peer transcripts in tests/data/peer/ belong to these exact samples;
run this only to change the paragraphs, then regenerate the peer transcripts (see
tests/data/peer/README.md).

Usage: python3 tools/make_speech.py   (from the whisper/ folder; needs espeak-ng)
"""
import os
import subprocess
import sys
import tempfile
import wave

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "tests", "data")


def sections(path):
    out, name, pause = [], None, 0.0
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if line.startswith("## "):
            _, name, pause = line.split()
            out.append((name, float(pause), []))
        elif line and not line.startswith("#") and out:
            out[-1][2].append(line)
    return out


def speak(text, path):
    subprocess.run(["espeak-ng", "-v", "fr", "-w", path, text], check=True)
    with wave.open(path, "rb") as w:
        return w.getparams(), w.readframes(w.getnframes())


def main():
    for name, pause, lines in sections(os.path.join(DATA, "paragraphs.txt")):
        frames, params = [], None
        with tempfile.TemporaryDirectory() as tmp:
            for i, line in enumerate(lines):
                params, data = speak(line, os.path.join(tmp, f"{i}.wav"))
                frames.append(data)
        rate, width = params.framerate, params.sampwidth
        gap = b"\0" * int(rate * pause) * width
        edge = b"\0" * int(rate * 0.5) * width
        with wave.open(os.path.join(DATA, f"{name}.wav"), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(width)
            w.setframerate(rate)
            w.writeframes(edge + gap.join(frames) + edge)
        print(f"{name}.wav: {len(lines)} utterances", file=sys.stderr)


if __name__ == "__main__":
    main()
