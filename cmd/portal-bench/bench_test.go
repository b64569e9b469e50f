package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(n ...int) []time.Duration {
		var out []time.Duration
		for _, v := range n {
			out = append(out, time.Duration(v)*time.Millisecond)
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	tests := []struct {
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{nil, 50, 0},
		{ms(7), 99, 7 * time.Millisecond},
		{ms(1, 2), 50, time.Millisecond},
		{ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{ms(hundred...), 50, 50 * time.Millisecond},
		{ms(hundred...), 99, 99 * time.Millisecond},
		{ms(hundred...), 100, 100 * time.Millisecond},
	}
	for _, tt := range tests {
		if got := percentile(tt.sorted, tt.p); got != tt.want {
			t.Errorf("percentile(%d values, %v) = %v, want %v", len(tt.sorted), tt.p, got, tt.want)
		}
	}
}

func TestParseVmRSS(t *testing.T) {
	got, err := parseVmRSS([]byte("Name:\tx\nVmHWM:\t  9 kB\nVmRSS:\t   12345 kB\nThreads: 3\n"))
	if err != nil || got != 12345<<10 {
		t.Errorf("parseVmRSS = %d, %v", got, err)
	}
	if _, err := parseVmRSS([]byte("Name:\tx\n")); err == nil {
		t.Error("no VmRSS line: no error")
	}
}

func TestParseStatCPU(t *testing.T) {
	stat := "42 (thehive portal) S 1 42 42 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 9 0 100 1000 200\n"
	if got, err := parseStatCPU([]byte(stat)); err != nil || got != 3*time.Second {
		t.Errorf("parseStatCPU = %v, %v; want 3s", got, err)
	}
	if _, err := parseStatCPU([]byte("42 (x) S 1")); err == nil {
		t.Error("short stat: no error")
	}
}

func TestGoals(t *testing.T) {
	read := scenario{name: "r", read: true}
	res := []result{
		{sc: read, bare: stats{requests: 100, elapsed: time.Second, p99: 10}, portal: stats{requests: 60, elapsed: time.Second, p99: 30}},
		{sc: scenario{name: "u"}, bare: stats{requests: 1, elapsed: time.Second, p99: 10}, portal: stats{requests: 1, elapsed: time.Second, p99: 10},
			rssBase: 100 << 20, rssPeak: 110 << 20},
	}
	got := strings.Join(goals(res), "\n")
	for _, want := range []string{
		"r: throughput 0.60 of bare (goal >= 0.5: met; stretch 0.8: MISSED)",
		"r: p99 3.00x bare (goal <= 2x: MISSED)",
		"u: p99 1.00x bare (goal <= 2x: met)",
		"u: portal memory growth 10.0 MiB (goal < 32 MiB: met)",
		"errors and canaries: 0 (goal 0: met)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("goals lack %q:\n%s", want, got)
		}
	}
}

// TestScenariosOnce runs every scenario with tiny counts against the bare
// proxy and an in-process portal (memory store) and checks the statuses,
// the canary scan and what the portal answers; no timing is checked.
func TestScenariosOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the simulator and the portal")
	}
	o, err := parseFlags([]string{"-concurrency", "1", "-max-requests", "2", "-warmup", "0s", "-duration", "1m",
		"-uploads", "1", "-upload-mb", "1", "-download-mb", "1", "-sample-every", "1"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	fx, err := startFixture(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fx.close)
	ctx := context.Background()
	url, err := startInProcess(ctx, fx, nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	portal := portalTarget(url, fx)
	res, err := runAll(ctx, o, fx, portal, 0, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 5 {
		t.Fatalf("%d results, want 5", len(res))
	}
	for _, r := range res {
		want := 2
		if !r.sc.read {
			want = 1
		}
		for name, s := range map[string]stats{"bare": r.bare, "portal": r.portal} {
			if s.requests != want || s.errors != 0 || s.statuses[r.sc.want] != want || s.leaks != 0 {
				t.Errorf("%s on %s: %d requests, %d errors, statuses %v, %d leaks (first error %s)",
					r.sc.name, name, s.requests, s.errors, s.statuses, s.leaks, s.firstErr)
			}
		}
		if r.sc.scan && r.portal.scanned != want {
			t.Errorf("%s: %d portal answers scanned, want %d", r.sc.name, r.portal.scanned, want)
		}
	}
	// The portal lists the bench user's cases and the external comments only.
	for i, want := range map[int]int{1: benchCases, 2: bigComments / 2} {
		if n := countItems(t, ctx, portal, res[i].sc); n != want {
			t.Errorf("%s: the portal answered %d items, want %d", res[i].sc.name, n, want)
		}
	}
}

// countItems sends one request of sc to t and counts the items of the
// JSON array it answers.
func countItems(t *testing.T, ctx context.Context, tg target, sc scenario) int {
	t.Helper()
	req, err := sc.build(ctx, tg.base)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tg.token)
	resp, err := tg.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var items []json.RawMessage
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&items) != nil {
		t.Fatalf("%s: status %d or not a JSON array", sc.name, resp.StatusCode)
	}
	return len(items)
}
