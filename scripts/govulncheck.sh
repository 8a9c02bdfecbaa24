#!/usr/bin/env bash
# Runs govulncheck against an offline vulnerability database. This machine reaches only the Go
# module proxy, so the database is built from the golang.org/x/vulndb module (pinned below) with its
# own indexdb command, then cached under $(go env GOCACHE)/innboks-vulndb-<version>.
#
# Findings listed in scripts/govulncheck-accepted.txt (reviewed, with the reason) are reported
# but do not fail the run; any other finding in code we call fails it.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=go1.27.3
VULNDB_VERSION=v0.0.0-20261105234957-e22db6528018
out="$(go env GOCACHE)/innboks-vulndb-${VULNDB_VERSION}"
if [ ! -f "$out/index/db.json" ]; then
  dir=$(go mod download -json "golang.org/x/vulndb@${VULNDB_VERSION}" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  rm -rf "$out.tmp"
  go run "golang.org/x/vulndb/cmd/indexdb@${VULNDB_VERSION}" -vulns "$dir/data/osv" -out "$out.tmp"
  rm -rf "$out" && mv "$out.tmp" "$out"
fi
report=$(mktemp)
trap 'rm -f "$report"' EXIT
status=0
go tool govulncheck -db "file://$out" ./... >"$report" 2>&1 || status=$?
if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then
  cat "$report"
  exit "$status"
fi
found=$(grep -oE '^Vulnerability #[0-9]+: GO-[0-9]+-[0-9]+' "$report" | awk '{print $3}' | sort -u)
accepted=$(grep -oE '^GO-[0-9]+-[0-9]+' scripts/govulncheck-accepted.txt | sort -u)
unexpected=$(comm -23 <(printf '%s\n' $found) <(printf '%s\n' $accepted) | sed '/^$/d')
if [ -n "$unexpected" ]; then
  cat "$report"
  echo "govulncheck: vulnerabilities in code Innboks calls: $unexpected" >&2
  exit 1
fi
if [ -n "$found" ]; then
  echo "govulncheck: only reviewed findings (scripts/govulncheck-accepted.txt): $(echo $found)"
else
  echo "govulncheck: no vulnerabilities found in code Innboks calls"
fi
