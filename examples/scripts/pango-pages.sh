#!/bin/bash
# Draws pages with another renderer than ours (pango-view, DejaVu Sans), for the OCR comparison of
# issues 13 and 16: ten English pages of 220 words each, from Debian's GPL-3 and Apache-2.0 texts
# (words 300 on, a page every 400 words), at 1024, 640 and 512 px wide (12, 7.5 and 6 pt at 96 dpi).
# Usage: examples/scripts/pango-pages.sh OUT_DIR; writes OUT_DIR/tN.txt and OUT_DIR/pN-WIDTH.png.
# Then: ./optical-memory ocr --engine paddle --json --truth OUT_DIR/t0.txt OUT_DIR/p0-1024.png ...
set -euo pipefail
out=${1:?usage: pango-pages.sh OUT_DIR}
mkdir -p "$out"
command -v pango-view >/dev/null || { echo "pango-view is missing (Debian: pango1.0-tools)" >&2; exit 1; }
mapfile -t words < <(cat /usr/share/common-licenses/GPL-3 /usr/share/common-licenses/Apache-2.0 \
  | tr -s ' \t\r\n' '\n' | sed '/^$/d')
for i in $(seq 0 9); do
  echo "${words[*]:$((300 + 400 * i)):220}" > "$out/t$i.txt"
  for spec in "1024 12 744" "640 7.5 465" "512 6 372"; do
    set -- $spec
    pango-view -q --dpi=96 --font="DejaVu Sans $2" --width="$3" --margin=16 \
      --output="$out/p$i-$1.png" "$out/t$i.txt"
  done
done
echo "drew 30 pages and 10 truth files in $out"
