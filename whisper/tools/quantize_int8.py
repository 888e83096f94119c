#!/usr/bin/env python3
"""Writes an int8 copy of a CTranslate2 Whisper folder, as CTranslate2's converter does for
`--quantization int8_float16`: every linear, convolution and embedding weight becomes int8
rows with a float32 scale per row (value × scale, rounded), the rest stays as it was.
CTranslate2 itself loads the result, so it checks that both sides read the format alike.

Usage: /work/venv-fw/bin/python tools/quantize_int8.py SRC_DIR DST_DIR   (needs numpy)
"""
import os
import shutil
import struct
import sys

import numpy as np

DTYPES = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.float16}


def read(path):
    f = open(path, "rb")
    def u(fmt):
        return struct.unpack("<" + fmt, f.read(struct.calcsize(fmt)))
    def s():
        n, = u("H")
        return f.read(n)[:-1].decode()
    version, = u("I")
    spec = s()
    revision, = u("I")
    variables = []
    for _ in range(u("I")[0]):
        name = s()
        rank, = u("B")
        dims = u("I" * rank) if rank else ()
        dtype, = u("B")
        size, = u("I")
        a = np.frombuffer(f.read(size), dtype=DTYPES[dtype])
        variables.append((name, a.reshape(dims) if rank else a, dtype, rank))
    aliases = [(s(), s()) for _ in range(u("I")[0])]
    return version, spec, revision, variables, aliases


def quantize(variables):
    out = {}
    for name, a, dtype, rank in variables:
        if name.endswith("/weight") and ("linear_" in name or "conv" in name or "embeddings" in name):
            w = a.astype(np.float32).reshape(a.shape[0], -1)
            amax = np.abs(w).max(axis=1)
            amax[amax == 0] = 127.0
            scale = (127.0 / amax).astype(np.float32)
            out[name] = (np.rint(w * scale[:, None]).astype(np.int8).reshape(a.shape), 1, rank)
            out[name + "_scale"] = (scale, 0, 1)
        else:
            out[name] = (a, dtype, rank)
    return out


def write(path, version, spec, revision, out, aliases):
    g = open(path, "wb")
    def s(text):
        b = text.encode()
        g.write(struct.pack("<H", len(b) + 1) + b + b"\0")
    g.write(struct.pack("<I", version))
    s(spec)
    g.write(struct.pack("<II", revision, len(out)))
    for name in sorted(out):
        a, dtype, rank = out[name]
        s(name)
        g.write(struct.pack("<B", rank) + struct.pack("<" + "I" * rank, *(a.shape if rank else ())))
        b = np.ascontiguousarray(a).tobytes()
        g.write(struct.pack("<BI", dtype, len(b)) + b)
    g.write(struct.pack("<I", len(aliases)))
    for alias, target in aliases:
        s(alias)
        s(target)


def main():
    src, dst = sys.argv[1], sys.argv[2]
    os.makedirs(dst, exist_ok=True)
    version, spec, revision, variables, aliases = read(os.path.join(src, "model.bin"))
    write(os.path.join(dst, "model.bin"), version, spec, revision, quantize(variables), aliases)
    for f in ("config.json", "tokenizer.json", "vocabulary.txt", "vocabulary.json"):
        if os.path.exists(os.path.join(src, f)):
            shutil.copy(os.path.join(src, f), os.path.join(dst, f))


if __name__ == "__main__":
    main()
