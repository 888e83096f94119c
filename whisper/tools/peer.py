#!/usr/bin/env python3
"""The peer: faster-whisper on the same model folder and audio, for comparisons.

Greedy decoding (beam_size=1, best_of=1, temperature fallback as faster-whisper's default
list is replaced by temperature=0 only), French, no conditioning on the previous window's
text, no VAD filter: the settings fouille-whisper is measured against.

Usage: /work/venv-fw/bin/python tools/peer.py MODEL_DIR FILE.wav [float32|int8] [--threads N]
       [--language fr|en|…|auto]
Prints one line per segment ("[start → end] text"), then on stderr the load and
transcription times and the real-time factor.
"""
import argparse
import time

from faster_whisper import WhisperModel
from faster_whisper.audio import decode_audio


def main():
    p = argparse.ArgumentParser()
    p.add_argument("model")
    p.add_argument("wav")
    p.add_argument("compute_type", nargs="?", default="float32")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--language", default="fr", help="a code, or 'auto' to detect it")
    a = p.parse_args()
    t0 = time.perf_counter()
    model = WhisperModel(a.model, device="cpu", compute_type=a.compute_type, cpu_threads=a.threads)
    load = time.perf_counter() - t0
    audio = decode_audio(a.wav, sampling_rate=16000)
    t1 = time.perf_counter()
    segments, _ = model.transcribe(
        audio,
        language=None if a.language == "auto" else a.language,
        beam_size=1,
        best_of=1,
        temperature=0.0,
        condition_on_previous_text=False,
        vad_filter=False,
    )
    lines = [f"[{s.start:7.2f} → {s.end:7.2f}] {s.text.strip()}" for s in segments]
    took = time.perf_counter() - t1
    print("\n".join(lines))
    dur = len(audio) / 16000
    print(f"load {load:.2f} s, audio {dur:.1f} s, transcribed in {took:.2f} s, RTF {took / dur:.3f}",
          file=__import__("sys").stderr)


if __name__ == "__main__":
    main()
