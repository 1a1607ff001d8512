#!/bin/bash
# Time from process start to the first decoded page (issue 16): `./optical-memory ocr --json PAGE`
# run RUNS times (default 4; the first may extract native libraries), wall clock from the shell,
# with the decoding time and the decoder the command reports. A page drawn by `render` carries its
# layout and is read by its font; give --engine-only after RUNS to time PP-OCR on it instead.
# Usage (from the repository root): examples/scripts/first-page.sh PAGE.png [RUNS [OCR OPTION...]]
set -eu
page=${1:?usage: first-page.sh PAGE.png [RUNS [OCR OPTION...]]}
runs=${2:-4}
shift $(( $# < 2 ? $# : 2 ))
root=$(cd "$(dirname "$0")/../.." && pwd)
"$root/optical-memory" --version >/dev/null # builds the application first if it needs to
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for i in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  "$root/optical-memory" ocr --json "$@" "$page" > "$out"
  end=$(date +%s%N)
  decoding=$(python3 -c 'import json, sys; r = json.loads(open(sys.argv[1]).readline()); print(r["millis"], "ms,", r["decoder"])' "$out")
  echo "run $i: $(( (end - start) / 1000000 )) ms from start to the decoded page, of which decoding $decoding"
done
