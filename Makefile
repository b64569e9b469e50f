# Thin wrappers; CI (.ci/run) calls `make test`.
.PHONY: test bench bench-filter fuzz soak

# Every check: gofmt, go vet, import rules, go test -race.
test:
	./scripts/test.sh

# The portal against a bare reverse proxy on loopback, then the load and
# soak test at full length (issue 6; see docs/benchmarks.md). Flags:
# make bench BENCHFLAGS='-duration 4s' SOAK=2m.
BENCHFLAGS ?=
bench:
	go run ./cmd/portal-bench $(BENCHFLAGS)
	$(MAKE) soak

# The filter benchmarks against encoding/json (issue 2's goal: >= 5x).
bench-filter:
	go test -run '^$$' -bench 'Comments|Cases' -benchmem ./filter

# Time-boxed fuzz runs, one target after the other: the filter, its JSON
# validation (against gjson's), the policy's decisions (against a gjson
# reading), the query parser (and the queries built from it), and the
# rebuilding of write bodies.
# make fuzz FUZZTIME=10m
FUZZTIME ?= 60s
fuzz:
	go test -run '^$$' -fuzz '^FuzzFilter$$' -fuzztime $(FUZZTIME) ./filter
	go test -run '^$$' -fuzz '^FuzzValidateGrammar$$' -fuzztime $(FUZZTIME) ./filter
	go test -run '^$$' -fuzz '^FuzzDecide$$' -fuzztime $(FUZZTIME) ./policy
	go test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./proxy/query
	go test -run '^$$' -fuzz '^FuzzRebuildWrites$$' -fuzztime $(FUZZTIME) ./proxy

# The load and soak test at full length (CI runs it shortened).
SOAK ?= 2m
soak:
	go test -count=1 -run 'TestSoak$$' -v ./proxy -soak=$(SOAK)
