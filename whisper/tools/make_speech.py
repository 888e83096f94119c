#!/usr/bin/env python3
"""Speaks the paragraphs of tests/data/paragraphs.txt with espeak-ng into tests/data/*.wav.

Each "## name pause [voice]" section becomes name.wav: its lines spoken one by one (espeak-ng
voice `voice`, French when not given),
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
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if line.startswith("## "):
            head = line.split()[1:]
            voice = head[2] if len(head) > 2 else "fr"
            out.append((head[0], float(head[1]), voice, []))
        elif line and not line.startswith("#") and out:
            out[-1][3].append(line)
    return out


def speak(text, voice, path):
    subprocess.run(["espeak-ng", "-v", voice, "-w", path, text], check=True)
    with wave.open(path, "rb") as w:
        return w.getparams(), w.readframes(w.getnframes())


def main():
    for name, pause, voice, lines in sections(os.path.join(DATA, "paragraphs.txt")):
        frames, params = [], None
        with tempfile.TemporaryDirectory() as tmp:
            for i, line in enumerate(lines):
                params, data = speak(line, voice, os.path.join(tmp, f"{i}.wav"))
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
