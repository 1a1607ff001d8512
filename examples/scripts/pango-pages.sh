#!/bin/bash
# Draws pages with another renderer than ours (pango-view), for the OCR comparisons of issues 13 and
# 16, at 1024, 640 and 512 px wide (12, 7.5 and 6 pt at 96 dpi):
# - en-WIDTH-N (N = 0..9): DejaVu Sans, 220 English words each from Debian's GPL-3 and Apache-2.0
#   texts (words 300 on, a page every 400 words);
# - zh-WIDTH-N (N = 0..3): Noto Sans CJK SC, about 1,100 characters each: the Chinese test text of
#   ocr-engine (written for this project), started 140 characters further on each page and given
#   twice.
# Each page NAME.png has its text in NAME.txt.
# Usage: examples/scripts/pango-pages.sh OUT_DIR
# Then: ./optical-memory bench ocr --images OUT_DIR --engines paddle,tesseract
#   or: examples/scripts/pango-read.sh OUT_DIR
set -euo pipefail
out=${1:?usage: pango-pages.sh OUT_DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"
command -v pango-view >/dev/null || { echo "pango-view is missing (Debian: pango1.0-tools)" >&2; exit 1; }
draw() { # font, text file, page name
  for spec in "1024 12 744" "640 7.5 465" "512 6 372"; do
    set -- $spec "$@"
    cp "$5" "$out/$6-$1-$7.txt"
    pango-view -q --dpi=96 --font="$4 $2" --width="$3" --margin=16 \
      --output="$out/$6-$1-$7.png" "$5"
    shift 3
  done
}
mapfile -t words < <(cat /usr/share/common-licenses/GPL-3 /usr/share/common-licenses/Apache-2.0 \
  | tr -s ' \t\r\n' '\n' | sed '/^$/d')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for i in $(seq 0 9); do
  echo "${words[*]:$((300 + 400 * i)):220}" > "$tmp/en.txt"
  draw "DejaVu Sans" "$tmp/en.txt" en "$i"
done
chinese=$(tr -d '\n' < "$root/ocr-engine/src/test/resources/texts/chinese.txt")
if fc-list | grep -q "Noto Sans CJK"; then
  for i in $(seq 0 3); do
    python3 -c 'import sys; t = sys.argv[1]; s = 140 * int(sys.argv[2]); print((t[s:] + t[:s]) * 2)' \
      "$chinese" "$i" > "$tmp/zh.txt"
    draw "Noto Sans CJK SC" "$tmp/zh.txt" zh "$i"
  done
  echo "drew 42 pages (30 English, 12 Chinese) with their texts in $out"
else
  echo "drew 30 English pages with their texts in $out (no Noto Sans CJK: Debian fonts-noto-cjk)"
fi
