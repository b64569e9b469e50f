package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
)

// target is one of the two servers under load.
type target struct {
	name   string
	base   string
	token  string
	client *http.Client
	scan   bool // scan sampled answers for canaries
}

// newClient is a load client keeping up to conns idle connections, without
// compression so that both servers send the same bytes.
func newClient(conns int) *http.Client {
	return &http.Client{
		Timeout: 2 * time.Minute,
		Transport: &http.Transport{
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
			MaxIdleConns:        2 * conns,
			MaxIdleConnsPerHost: 2 * conns,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
		},
	}
}

func bareTarget(fx *fixture, conns int) target {
	return target{name: "bare", base: fx.bareURL, token: fx.token, client: newClient(conns)}
}

func portalTarget(base string, fx *fixture) target {
	return target{name: "portal", base: base, token: fx.token, client: newClient(64), scan: true}
}

// do sends one request of sc and reads the whole answer; leak reports a
// canary in a scanned answer.
func (t target) do(ctx context.Context, sc scenario, scan bool) (status int, leak bool, err error) {
	req, err := sc.build(ctx, t.base)
	if err != nil {
		return 0, false, err
	}
	req.Header.Set("Authorization", "Bearer "+t.token)
	resp, err := t.client.Do(req)
	if err != nil {
		return 0, false, err
	}
	defer resp.Body.Close()
	if scan {
		b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
		return resp.StatusCode, bytes.Contains(b, []byte(thehivetest.CanaryPrefix)), err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, false, err
}

// limits bound one measurement: workers send requests until duration has
// passed or max requests were sent, whichever comes first.
type limits struct {
	workers     int
	max         int
	duration    time.Duration
	sampleEvery int
}

// stats are the measurements of one scenario on one target.
type stats struct {
	requests int
	errors   int // transport errors and unexpected statuses
	leaks    int // scanned answers holding a canary
	scanned  int
	elapsed  time.Duration
	p50, p99 time.Duration
	statuses map[int]int
	firstErr string
	lat      []time.Duration // sorted
	cpu      time.Duration   // CPU time the portal process used (child only)
}

// rps is requests per second.
func (s stats) rps() float64 {
	if s.elapsed <= 0 {
		return 0
	}
	return float64(s.requests) / s.elapsed.Seconds()
}

// worker is what one worker records; merged at the end.
type worker struct {
	lat      []time.Duration
	errors   int
	leaks    int
	scanned  int
	statuses map[int]int
	firstErr string
}

// measure drives t with sc within l and returns the statistics.
func measure(ctx context.Context, t target, sc scenario, l limits) stats {
	var issued atomic.Int64
	parts := make([]worker, l.workers)
	start := time.Now()
	deadline := start.Add(l.duration)
	var wg sync.WaitGroup
	for i := range parts {
		w := &parts[i]
		w.statuses = map[int]int{}
		wg.Go(func() {
			for ctx.Err() == nil && time.Now().Before(deadline) {
				n := issued.Add(1)
				if n > int64(l.max) {
					return
				}
				scan := t.scan && sc.scan && n%int64(l.sampleEvery) == 0
				t0 := time.Now()
				status, leak, err := t.do(ctx, sc, scan)
				w.lat = append(w.lat, time.Since(t0))
				w.statuses[status]++
				if scan {
					w.scanned++
				}
				if leak {
					w.leaks++
				}
				if err != nil || status != sc.want {
					w.errors++
					if w.firstErr == "" {
						w.firstErr = fmt.Sprintf("status %d, error %v", status, err)
					}
				}
			}
		})
	}
	wg.Wait()
	return merge(parts, time.Since(start))
}

// add combines two measurements of the same scenario and target.
func (s stats) add(o stats) stats {
	w := worker{lat: append(slices.Clone(s.lat), o.lat...), errors: s.errors + o.errors, leaks: s.leaks + o.leaks,
		scanned: s.scanned + o.scanned, statuses: map[int]int{}, firstErr: s.firstErr}
	for _, m := range []map[int]int{s.statuses, o.statuses} {
		for k, v := range m {
			w.statuses[k] += v
		}
	}
	if w.firstErr == "" {
		w.firstErr = o.firstErr
	}
	out := merge([]worker{w}, s.elapsed+o.elapsed)
	out.cpu = s.cpu + o.cpu
	return out
}

// cpuPerRequest is the portal's CPU time per request; 0 when unknown.
func (s stats) cpuPerRequest() time.Duration {
	if s.requests == 0 {
		return 0
	}
	return s.cpu / time.Duration(s.requests)
}

// merge sums the workers' records and computes the percentiles.
func merge(parts []worker, elapsed time.Duration) stats {
	s := stats{elapsed: elapsed, statuses: map[int]int{}}
	var all []time.Duration
	for _, w := range parts {
		all = append(all, w.lat...)
		s.errors += w.errors
		s.leaks += w.leaks
		s.scanned += w.scanned
		for k, v := range w.statuses {
			s.statuses[k] += v
		}
		if s.firstErr == "" {
			s.firstErr = w.firstErr
		}
	}
	s.requests = len(all)
	slices.Sort(all)
	s.lat = all
	s.p50, s.p99 = percentile(all, 50), percentile(all, 99)
	return s
}

// percentile is the nearest-rank percentile p (0 < p <= 100) of sorted
// durations; 0 when there are none.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}
