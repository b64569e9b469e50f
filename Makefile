# Thin wrappers; CI (.ci/run) calls `make test`.
.PHONY: test bench fuzz

# Every check: gofmt, go vet, import rules, go test -race.
test:
	./scripts/test.sh

# The filter benchmarks against encoding/json (issue 2's goal: >= 5x).
bench:
	go test -run '^$$' -bench 'Comments|Cases' -benchmem ./filter

# A time-boxed fuzz run of the filter.
FUZZTIME ?= 60s
fuzz:
	go test -run '^$$' -fuzz FuzzFilter -fuzztime $(FUZZTIME) ./filter
