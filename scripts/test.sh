#!/usr/bin/env bash
# Runs every check of thehive-portal: gofmt, go vet, the import rules and the
# whole test suite with the race detector. Starts what the tests need when it
# is missing (a local Redis server on 127.0.0.1:6379 unless REDIS_URL is set,
# and Debian's chromium for the browser tests of the web portal).
set -euo pipefail
cd "$(dirname "$0")/.."

export PATH="$PATH:/usr/local/go/bin:$(go env GOPATH 2>/dev/null || echo /root/go)/bin"

ensure_redis() {
  if [ -n "${REDIS_URL:-}" ]; then return 0; fi
  if (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then return 0; fi
  if ! command -v redis-server >/dev/null 2>&1; then
    echo "test: installing redis-server" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server) >&2 || true
  fi
  if command -v redis-server >/dev/null 2>&1; then
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
    for _ in $(seq 50); do
      (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && return 0
      sleep 0.1
    done
  fi
  echo "test: no Redis on 127.0.0.1:6379; tests that need it will fail" >&2
}

# ensure_chromium installs Debian's chromium, which the browser tests of the
# web portal drive (proxy/web_browser_test.go), when /usr/bin/chromium is
# absent. Without it those tests skip, or fail when CI is set.
ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then return 0; fi
  echo "test: installing chromium" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >&2 || true
  if [ ! -x /usr/bin/chromium ]; then
    echo "test: no /usr/bin/chromium; the browser tests will skip (or fail under CI)" >&2
  fi
}

echo "== gofmt"
unformatted=$(gofmt -l $(find . -name '*.go' -not -path './.git/*'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

echo "== go vet"
go vet ./...

echo "== services"
ensure_redis
ensure_chromium

echo "== go test -race (import rules in internal/archtest)"
go test -race -count=1 -timeout 20m ./...
