#!/usr/bin/env bash
# Makes the page images of the README's « Rapports » section from the code in this tree:
# the sample project's controversy report written as DOCX and as ODT, printed to PDF by
# LibreOffice, and four pages of each (contents, excerpts, a landscape table, the charts)
# as PNG at 80 dpi. Needs LibreOffice (soffice), poppler-utils, and ImageMagick to shrink
# the images to 64 colours.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo build --quiet --manifest-path "$root/Cargo.toml" --bin fouille
fouille="$root/target/debug/fouille"
"$fouille" sample "$tmp/s.fouille" >/dev/null
for ext in docx odt; do
  "$fouille" report "$tmp/s.fouille" --group-by controversy --by territory \
    -o "$tmp/rapport-$ext.$ext" >/dev/null
done
soffice "-env:UserInstallation=file://$tmp/lo" --headless --convert-to pdf \
  --outdir "$tmp" "$tmp/rapport-docx.docx" "$tmp/rapport-odt.odt" >/dev/null 2>&1

# The number of the first page of $1 whose text holds $2.
page_of() {
  local pages
  pages=$(pdfinfo "$1" | awk '/^Pages:/ {print $2}')
  for ((p = 1; p <= pages; p++)); do
    if pdftotext -f "$p" -l "$p" "$1" - | grep -q -- "$2"; then
      echo "$p"
      return
    fi
  done
  echo "no page of $1 holds « $2 »" >&2
  exit 1
}

for ext in docx odt; do
  pdf="$tmp/rapport-$ext.pdf"
  n=1
  for marker in "Sommaire" "Codeur·se" "Tableau 5 —" "Figure 1 —"; do
    p=$(page_of "$pdf" "$marker")
    pdftoppm -r 80 -png -f "$p" -l "$p" -singlefile "$pdf" "$tmp/page"
    convert "$tmp/page.png" -colors 64 "PNG8:$here/$ext-$n.png"
    n=$((n + 1))
  done
done
ls -l "$here"/*.png
