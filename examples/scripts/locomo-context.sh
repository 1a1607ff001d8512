#!/usr/bin/env bash
# Compression of the context (fullTextTokens / totalTokens) on the LoCoMo conversations in
# ../shared/data, at budgets of 2k, 4k and 8k tokens, for each reader, with the share of the
# conversation's turns the context still shows. Prints a Markdown table.
# Usage: examples/scripts/locomo-context.sh [DATA_DIR]   (default: ../shared/data/locomo)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${1:-$root/../shared/data/locomo}"
cli="$root/optical-memory"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
readers=(deepseek-ocr openai anthropic gemini qwen-vl)
budgets=(2000 4000 8000)
printf '| conversation | text tokens | budget | text window |'
for r in "${readers[@]}"; do printf ' %s |' "$r"; done
printf '\n|---|---|---|---|'
for r in "${readers[@]}"; do printf -- '---|'; done
printf '\n'
for file in "$data"/*.json; do
  id="$(basename "$file" .json)"
  if ! "$cli" ingest --db "$work/m" --conversation "$id" --locomo "$file" >"$work/log" 2>&1; then
    cat "$work/log" >&2
    exit 1
  fi
  for b in "${budgets[@]}"; do
    full=""
    row=""
    for r in "${readers[@]}"; do
      json="$("$cli" context --db "$work/m" --conversation "$id" --budget "$b" --reader "$r" --json)"
      full="$(printf '%s' "$json" | sed -E 's/.*"fullTextTokens":([0-9]+).*/\1/')"
      total="$(printf '%s' "$json" | sed -E 's/.*"totalTokens":([0-9]+).*/\1/')"
      comp="$(printf '%s' "$json" | sed -E 's/.*"compression":([0-9.]+).*/\1/')"
      turns="$(printf '%s' "$json" | sed -E 's/.*"turns":([0-9]+).*/\1/')"
      covered="$(printf '%s' "$json" | sed -E 's/.*"coveredTurns":([0-9]+).*/\1/')"
      row="$row ${comp}x, $((100 * covered / turns))% |"
    done
    window=$((100 * b / full)); [ "$window" -gt 100 ] && window=100
    printf '| %s | %s | %s | %s%% |%s\n' "$id" "$full" "$b" "$window" "$row"
  done
done
