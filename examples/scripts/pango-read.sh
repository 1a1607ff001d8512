#!/bin/bash
# Reads the English pages of pango-pages.sh with `./optical-memory ocr` (one process per engine and
# width, JVM start included) and prints, per engine and width, the mean word accuracy and precision
# over the ten pages. For pages per second with every core in use, and the Chinese pages, use
# ./optical-memory bench ocr --images DIR instead.
# Usage (from the repository root): examples/scripts/pango-read.sh DIR [ENGINES]  (default: paddle tesseract)
set -eu
dir=${1:?usage: pango-read.sh DIR [ENGINES]}
engines=${2:-paddle tesseract}
root=$(cd "$(dirname "$0")/../.." && pwd)
for engine in $engines; do
  for w in 1024 640 512; do
    args=()
    for i in $(seq 0 9); do args+=(--truth "$dir/en-$w-$i.txt" "$dir/en-$w-$i.png"); done
    "$root/optical-memory" ocr --engine "$engine" --json "${args[@]}" > "$dir/read-$engine-$w.json"
    python3 - "$dir/read-$engine-$w.json" "$engine" "$w" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith('{')]
words = sum(r['wordAccuracy'] for r in rows) / len(rows)
precision = sum(r['precision'] for r in rows) / len(rows)
print(f"{sys.argv[2]:10} {sys.argv[3]:>5} px: word accuracy {words:.4f}, precision {precision:.4f}, {len(rows)} pages")
PY
  done
done
