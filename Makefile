# Thin wrappers; CI (.ci/run) calls `make test`.
.PHONY: test bench bench-filter fuzz

# Every check: gofmt, go vet, import rules, go test -race.
test:
	./scripts/test.sh

# The portal against a bare reverse proxy on loopback (issue 6; see
# docs/benchmarks.md). Flags: make bench BENCHFLAGS='-duration 4s'.
BENCHFLAGS ?=
bench:
	go run ./cmd/portal-bench $(BENCHFLAGS)

# The filter benchmarks against encoding/json (issue 2's goal: >= 5x).
bench-filter:
	go test -run '^$$' -bench 'Comments|Cases' -benchmem ./filter

# A time-boxed fuzz run of the filter.
FUZZTIME ?= 60s
fuzz:
	go test -run '^$$' -fuzz FuzzFilter -fuzztime $(FUZZTIME) ./filter
