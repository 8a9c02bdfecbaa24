# Innboks — the two commands that matter are `make run` and `make test` (see README.md).
SHELL := /bin/bash
export GOTOOLCHAIN := go1.27.3

GO ?= go
SCHEMA_VERSION := 1.118.6
SPEC := internal/contract/testdata/swagger.verified.json
SCENARIO ?= default

.PHONY: run test deps generate check-generated fmt-check tidy-check vet lint spec bench load vuln deadcode clean

## run: the local stack (Dialogporten emulator, ID-porten double, portal) with seeded data.
run:
	$(GO) run ./cmd/dev -scenario $(SCENARIO)

## test: everything — installs what the tests need, checks generated code, vet, tests with -race.
test: deps check-generated fmt-check tidy-check vet vuln deadcode
	$(GO) test -race -count=1 -timeout 20m ./...

## deps: install the Debian packages the tests run against (Chromium, Redis) when missing.
deps:
	@./scripts/install-deps.sh

## generate: regenerate templ code.
generate:
	$(GO) tool templ generate

## check-generated: fail when committed templ output is stale.
check-generated: generate
	@if [ -n "$$(git status --porcelain -- '*_templ.go')" ]; then \
		echo "generated templ code is not current; run 'make generate' and commit:"; \
		git status --porcelain -- '*_templ.go'; exit 1; fi

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

## tidy-check: go.mod and go.sum are exactly what the code needs.
tidy-check:
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum are not tidy; run 'go mod tidy' and commit"; exit 1; }

vet:
	$(GO) vet ./...

## lint: formatting, vet and the known-vulnerability check.
lint: fmt-check vet vuln

## deadcode: no function that no program under cmd/ reaches, unless scripts/deadcode-accepted.txt says why.
deadcode:
	@./scripts/deadcode.sh

## vuln: govulncheck against an offline database built from the golang.org/x/vulndb module.
vuln:
	@./scripts/govulncheck.sh

## spec: fetch the pinned @digdir/dialogporten-schema from npm and update the committed spec.
spec:
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf $$tmp' EXIT; \
	( cd $$tmp && npm pack --silent @digdir/dialogporten-schema@$(SCHEMA_VERSION) >/dev/null && tar xzf *.tgz ); \
	cp $$tmp/package/swagger.verified.json $(SPEC); \
	sha256sum $(SPEC)

## bench: the benchmarks whose figures the issues ask for.
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## load: the load harness over an in-process local stack (USERS, DURATION, SCENARIO to change it;
## LOAD_FLAGS for more, e.g. LOAD_FLAGS='-find-capacity -rate 100' or '-cpuprofile cpu.out').
USERS ?= 20
DURATION ?= 20s
LOAD_FLAGS ?=
load:
	$(GO) run ./cmd/load -scenario $(SCENARIO) -users $(USERS) -duration $(DURATION) $(LOAD_FLAGS)

clean:
	rm -rf bin
