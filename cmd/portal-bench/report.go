package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"
)

// The goals of issue 6.
const (
	goalThroughput   = 0.5 // portal / bare requests per second, every read
	stretchTput      = 0.8
	goalP99          = 2.0      // portal p99 / bare p99, at most
	goalUploadGrowth = 32 << 20 // portal RSS growth during the uploads, under
)

// machineFacts describes where the bench ran.
func machineFacts() string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	return fmt.Sprintf("%d CPUs (nproc), %s, %s %s/%s", runtime.NumCPU(), cpu, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// loadAverage is the first three fields of /proc/loadavg: other work on
// the machine weighs on the figures.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "unknown"
}

// report prints the settings, the table (Markdown), the memory growth and
// the goals.
func report(w io.Writer, o options, machine, loadBefore, store string, res []result) {
	fmt.Fprintf(w, "machine: %s\nload average (1, 5, 15 min): %s before, %s after\nportal store: %s\n",
		machine, loadBefore, loadAverage(), store)
	fmt.Fprintf(w, "load: reads %d workers for %s each (after %s warm-up, at most %d requests); uploads %d x %d MiB, one at a time\n\n",
		o.concurrency, o.duration, o.warmup, o.maxRequests, o.uploads, o.uploadMB)
	fmt.Fprintln(w, "| scenario | bare req/s | portal req/s | portal/bare req/s | bare p50 | portal p50 | bare p99 | portal p99 | portal/bare p99 | portal CPU/request | requests bare/portal | errors bare/portal |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range res {
		fmt.Fprintf(w, "| %s | %.1f | %.1f | %.2f | %s | %s | %s | %s | %.2f | %s | %d/%d | %d/%d |\n", r.sc.name,
			r.bare.rps(), r.portal.rps(), ratio(r.portal.rps(), r.bare.rps()),
			ms(r.bare.p50), ms(r.portal.p50), ms(r.bare.p99), ms(r.portal.p99),
			ratio(float64(r.portal.p99), float64(r.bare.p99)), ms(r.portal.cpuPerRequest()),
			r.bare.requests, r.portal.requests, r.bare.errors, r.portal.errors)
	}
	fmt.Fprintln(w)
	for _, r := range res {
		for _, s := range []struct {
			name string
			st   stats
		}{{"bare", r.bare}, {"portal", r.portal}} {
			if s.st.errors > 0 {
				fmt.Fprintf(w, "errors: %s on %s: %d (statuses %v; first: %s)\n", r.sc.name, s.name, s.st.errors, s.st.statuses, s.st.firstErr)
			}
		}
		if !r.sc.read && r.rssBase > 0 {
			fmt.Fprintf(w, "portal memory during the uploads: RSS %.1f MiB before, peak %.1f MiB, growth %.1f MiB\n",
				mib(r.rssBase), mib(r.rssPeak), mib(r.rssPeak-r.rssBase))
		}
	}
	scanned, leaks := 0, 0
	for _, r := range res {
		scanned, leaks = scanned+r.portal.scanned, leaks+r.portal.leaks
	}
	fmt.Fprintf(w, "canary scan: %d portal answers scanned, %d with a CANARY- string\n\ngoals:\n", scanned, leaks)
	for _, g := range goals(res) {
		fmt.Fprintln(w, "- "+g)
	}
}

// goals evaluates the goals of the issue on res, one line each.
func goals(res []result) []string {
	var out []string
	errs := 0
	for _, r := range res {
		errs += r.bare.errors + r.portal.errors + r.portal.leaks
		if r.sc.read {
			t := ratio(r.portal.rps(), r.bare.rps())
			out = append(out, fmt.Sprintf("%s: throughput %.2f of bare (goal >= %.1f: %s; stretch %.1f: %s)",
				r.sc.name, t, goalThroughput, metOr(t >= goalThroughput), stretchTput, metOr(t >= stretchTput)))
		}
		p := ratio(float64(r.portal.p99), float64(r.bare.p99))
		out = append(out, fmt.Sprintf("%s: p99 %.2fx bare (goal <= %.0fx: %s)", r.sc.name, p, goalP99, metOr(p <= goalP99)))
		if !r.sc.read && r.rssBase > 0 {
			g := r.rssPeak - r.rssBase
			out = append(out, fmt.Sprintf("%s: portal memory growth %.1f MiB (goal < %d MiB: %s)",
				r.sc.name, mib(g), goalUploadGrowth>>20, metOr(g < goalUploadGrowth)))
		}
	}
	out = append(out, fmt.Sprintf("errors and canaries: %d (goal 0: %s)", errs, metOr(errs == 0)))
	return out
}

func metOr(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

func mib(n int64) float64 { return float64(n) / (1 << 20) }
