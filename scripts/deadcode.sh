#!/usr/bin/env bash
# Lists the functions no program under cmd/ reaches (golang.org/x/tools/cmd/deadcode) and fails on
# any that scripts/deadcode-accepted.txt does not name with its reason: what is left is a seam the
# tests of other packages use, or a method only an interface calls (fmt, slog).
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=go1.27.3
found=$(go tool deadcode ./cmd/... | sed -E 's/:[0-9]+:[0-9]+: unreachable func: / /' | sort -u)
accepted=$(sed -E '/^(#|$)/d; s/[[:space:]]+#.*$//' scripts/deadcode-accepted.txt | sort -u)
unexpected=$(comm -23 <(printf '%s\n' "$found") <(printf '%s\n' "$accepted") | sed '/^$/d')
if [ -n "$unexpected" ]; then
  echo "deadcode: unreachable from cmd/ and not explained in scripts/deadcode-accepted.txt:" >&2
  printf '%s\n' "$unexpected" | sed 's/^/  /' >&2
  echo "remove it, or add it there with the reason it stays" >&2
  exit 1
fi
echo "deadcode: only the $(printf '%s\n' "$found" | sed '/^$/d' | wc -l) explained entries of scripts/deadcode-accepted.txt"
