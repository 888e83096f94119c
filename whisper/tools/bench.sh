#!/usr/bin/env bash
# Times fouille-whisper against faster-whisper (float32 and int8) on the same audio, one
# after the other in the same run, with the peak memory of each (GNU time).
#
# Usage: tools/bench.sh MODEL_DIR FILE.wav...   (from the whisper/ folder; needs
#        /work/venv-fw with faster-whisper, and the example built:
#        CARGO_TARGET_DIR=/work/target-whisper cargo build --release --example transcribe)
set -euo pipefail
MODEL=$1; shift
OURS=${OURS:-/work/target-whisper/release/examples/transcribe}
PY=${PY:-/work/venv-fw/bin/python}

measure() { # label, command...
  local label=$1; shift
  local log
  log=$(mktemp)
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || { cat "$log"; return 1; }
  local line rss
  line=$(grep -E "transcribed in" "$log" | tail -1)
  rss=$(grep "Maximum resident" "$log" | awk '{print $6}')
  printf '%-28s %s, peak RSS %d MB\n' "$label" "$line" $((rss / 1024))
  rm -f "$log"
}

echo "threads: $(nproc) cores; $(date -u +%FT%TZ); load $(cut -d' ' -f1-3 /proc/loadavg)"
for wav in "$@"; do
  echo "== $wav"
  measure "fouille-whisper" "$OURS" "$MODEL" "$wav" fr
  measure "fouille-whisper no fallback" "$OURS" "$MODEL" "$wav" fr --no-fallback
  measure "faster-whisper float32" "$PY" tools/peer.py "$MODEL" "$wav" float32
  measure "faster-whisper int8" "$PY" tools/peer.py "$MODEL" "$wav" int8
done
