#!/usr/bin/env bash
# Runs govulncheck against an offline vulnerability database. This machine reaches only the Go
# module proxy, so the database is built from the golang.org/x/vulndb module (pinned below) with its
# own indexdb command, then cached under $(go env GOCACHE)/innboks-vulndb-<version>.
set -euo pipefail
export GOTOOLCHAIN=go1.27.3
VULNDB_VERSION=v0.0.0-20261105234957-e22db6528018
out="$(go env GOCACHE)/innboks-vulndb-${VULNDB_VERSION}"
if [ ! -f "$out/index/db.json" ]; then
  dir=$(go mod download -json "golang.org/x/vulndb@${VULNDB_VERSION}" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  rm -rf "$out.tmp"
  go run "golang.org/x/vulndb/cmd/indexdb@${VULNDB_VERSION}" -vulns "$dir/data/osv" -out "$out.tmp"
  rm -rf "$out" && mv "$out.tmp" "$out"
fi
go tool govulncheck -db "file://$out" ./...
