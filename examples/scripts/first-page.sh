#!/bin/bash
# Time from process start to the first decoded page (issue 16): `./optical-memory ocr --json PAGE`
# run RUNS times (default 4; the first may extract native libraries), wall clock from the shell,
# with the decoding time the command reports.
# Usage (from the repository root): examples/scripts/first-page.sh PAGE.png [RUNS]
set -eu
page=${1:?usage: first-page.sh PAGE.png [RUNS]}
runs=${2:-4}
root=$(cd "$(dirname "$0")/../.." && pwd)
"$root/optical-memory" --version >/dev/null # builds the application first if it needs to
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for i in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  "$root/optical-memory" ocr --json "$page" > "$out"
  end=$(date +%s%N)
  decoding=$(python3 -c 'import json, sys; print(json.loads(open(sys.argv[1]).readline())["millis"])' "$out")
  echo "run $i: $(( (end - start) / 1000000 )) ms from start to the decoded page, of which decoding $decoding ms"
done
