package proxy

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tidwall/gjson"
	"go.uber.org/goleak"

	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
)

// soakFlag sets the soak's length: go test ./proxy -run TestSoak -soak=2m
// (or PORTAL_SOAK=2m). The default keeps CI short.
var soakFlag = flag.Duration("soak", 0, "length of TestSoak (default 10s, or $PORTAL_SOAK)")

const (
	soakBearers  = 500
	soakBrowsers = 200
	soakDefault  = 10 * time.Second
	// soakMaxRequests bounds the run whatever its length.
	soakMaxRequests = 2_000_000
	// soakInFlight caps the requests in flight at once, as a load
	// balancer's connection limit would: all users are active and
	// interleaved, but on 2 cores under -race more concurrency only
	// queues in Redis's connection pool until its timeout answers 503,
	// which measures CPU starvation, not the portal.
	soakInFlight = 128
)

func soakLength(t *testing.T) time.Duration {
	if *soakFlag > 0 {
		return *soakFlag
	}
	if v := os.Getenv("PORTAL_SOAK"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			t.Fatalf("PORTAL_SOAK=%q: want a duration such as 2m", v)
		}
		return d
	}
	return soakDefault
}

// soakTruth is what one persona may see of the seeded scenario.
type soakTruth struct {
	visible     map[string]bool // case ids
	visibleList []string
	downloads   []string // paths of visible attachments
	hiddenFiles []string // paths of hidden attachments of visible cases
}

func truthFor(info thehivetest.Seeded, email string) soakTruth {
	tr := soakTruth{visible: map[string]bool{}}
	for _, c := range info.Cases {
		if !slices.Contains(c.VisibleTo, email) {
			continue
		}
		tr.visible[c.ID] = true
		tr.visibleList = append(tr.visibleList, c.ID)
		for _, a := range c.VisibleAttachments {
			tr.downloads = append(tr.downloads, "/api/v1/case/"+c.ID+"/attachment/"+a+"/download")
		}
		for _, a := range c.HiddenAttachments {
			tr.hiddenFiles = append(tr.hiddenFiles, "/api/v1/case/"+c.ID+"/attachment/"+a+"/download")
		}
	}
	sort.Strings(tr.visibleList)
	return tr
}

// TestSoak: 500 bearer-token users and 200 browser sessions against the
// in-process portal on Redis, for soakLength: mixed reads (list cases, get
// case, comments, downloads) and some writes (comments). Every answer must
// be the expected one (no error, no access to a hidden case or file, a
// case list holding only visible cases), every answer is scanned for
// canaries, and goroutines and heap are flat: the same before and after
// the load (idle connections closed), and no goroutine is left once
// everything is closed (goleak).
func TestSoak(t *testing.T) {
	length := soakLength(t)
	// Goroutines of earlier tests (and of the test binary) are not ours.
	before := goleak.IgnoreCurrent()
	// Registered first, so it runs last, after every other cleanup closed
	// the servers, the IdP, the simulator and the store.
	t.Cleanup(func() { goleak.VerifyNone(t, before) })

	// TheHive keeps the soak's newest 200 comments per case (and its
	// newest audits): its storage stays flat, so the heap measures the
	// portal, and comment lists stay the size a real case has.
	e := newEnv(t, withSim(thehivetest.WithRetention(200)))
	info := thehivetest.Scenario()
	personas := thehivetest.Personas()
	// A persona's view, and a client-domain user's (as Bob's: the domain
	// rule is his only share).
	truths := map[string]soakTruth{}
	for _, p := range personas {
		truths[p.Email] = truthFor(info, p.Email)
	}
	// All soak clients share one transport with enough idle connections,
	// scanned like every client of the env.
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = soakBearers+soakBrowsers, soakBearers+soakBrowsers
	scanned := &scanningTransport{scan: e.scan, next: tr}

	type soakUser struct {
		c      *client
		truth  soakTruth
		writes string // a visible case to comment on ("" none)
	}
	// Identities: the six personas and client-domain users, in blocks of
	// eight users sharing one identity, so that the sign-ins of a block can
	// run at once (the IdP hands out queued identities in any order).
	const block = 8
	users := make([]soakUser, soakBearers+soakBrowsers)
	setup := time.Now()
	for first := 0; first < len(users); first += block {
		email, groups, truthOf := "", []string(nil), ""
		if k := (first / block) % (len(personas) + 1); k < len(personas) {
			email, groups, truthOf = personas[k].Email, personas[k].Groups, personas[k].Email
		} else {
			email, truthOf = fmt.Sprintf("soak-%03d@%s", first/block, thehivetest.ClientDomain), thehivetest.BobEmail
		}
		var wg sync.WaitGroup
		for i := first; i < min(first+block, len(users)); i++ {
			wg.Go(func() {
				var c *client
				if i < soakBearers {
					c = e.bearer(email, groups...)
					c.http = &http.Client{Timeout: 30 * time.Second, Transport: scanned}
				} else {
					c = e.browser(email, groups...)
					c.http = &http.Client{Timeout: 30 * time.Second, Transport: scanned, Jar: c.http.Jar}
				}
				u := soakUser{c: c, truth: truths[truthOf]}
				if len(u.truth.visibleList) > 0 {
					u.writes = u.truth.visibleList[i%len(u.truth.visibleList)]
				}
				users[i] = u
			})
		}
		wg.Wait()
	}
	t.Logf("setup of %d bearer users and %d browser sessions: %s", soakBearers, soakBrowsers, time.Since(setup).Round(time.Millisecond))

	caseIDs := make([]string, 0, len(info.Cases))
	for _, c := range info.Cases {
		caseIDs = append(caseIDs, c.ID)
	}
	var (
		mu       sync.Mutex
		bad      []string
		badCount int
		total    atomic.Int64
		slowest  atomic.Int64 // nanoseconds
		inFlight = make(chan struct{}, soakInFlight)
		kinds    sync.Map // kind -> *atomic.Int64
	)
	fail := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		badCount++
		if len(bad) < 20 {
			bad = append(bad, fmt.Sprintf(format, args...))
		}
	}
	count := func(kind string) {
		v, _ := kinds.LoadOrStore(kind, new(atomic.Int64))
		v.(*atomic.Int64).Add(1)
	}
	step := func(ctx context.Context, w int, rng *rand.Rand) {
		u := users[w]
		// A user thinks between two requests.
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Duration(50+rng.IntN(250)) * time.Millisecond):
		}
		if total.Add(1) > soakMaxRequests {
			return
		}
		select {
		case <-ctx.Done():
			return
		case inFlight <- struct{}{}:
		}
		began := time.Now()
		defer func() {
			<-inFlight
			d := int64(time.Since(began))
			for {
				m := slowest.Load()
				if d <= m || slowest.CompareAndSwap(m, d) {
					break
				}
			}
		}()
		var kind, path string
		var status int
		var body []byte
		var err error
		want := http.StatusOK
		switch n := rng.IntN(100); {
		case n < 25:
			kind, path = "list", "/api/v1/query?name=cases"
			status, body, err = u.c.try("POST", "/api/v1/query", "application/json", strings.NewReader(`{"query":[{"_name":"listCase"}]}`), nil)
			if err == nil && status == http.StatusOK {
				for _, id := range gjson.GetBytes(body, "#._id").Array() {
					if !u.truth.visible[id.String()] {
						fail("%s: list holds hidden case %s", u.c.email, id)
					}
				}
			}
		case n < 50:
			id := caseIDs[rng.IntN(len(caseIDs))]
			kind, path = "get case", "/api/v1/case/"+id
			if !u.truth.visible[id] {
				want = http.StatusNotFound
			}
			status, body, err = u.c.try("GET", path, "", nil, nil)
		case n < 75:
			id := caseIDs[rng.IntN(len(caseIDs))]
			kind, path = "comments", "comments of "+id
			status, body, err = u.c.try("POST", "/api/v1/query", "application/json",
				strings.NewReader(`{"query":[{"_name":"getCase","idOrName":"`+id+`"},{"_name":"comments"}]}`), nil)
			if err == nil && status == http.StatusOK && !u.truth.visible[id] && string(body) != "[]" {
				fail("%s: comments of hidden case %s: %s", u.c.email, id, short(string(body)))
			}
		case n < 95:
			kind = "download"
			switch {
			case len(u.truth.hiddenFiles) > 0 && rng.IntN(4) == 0:
				path, want = u.truth.hiddenFiles[rng.IntN(len(u.truth.hiddenFiles))], http.StatusNotFound
			case len(u.truth.downloads) > 0:
				path = u.truth.downloads[rng.IntN(len(u.truth.downloads))]
			default:
				path, want = visibleDownload, http.StatusNotFound
				if u.truth.visible[thehivetest.Case42ID] {
					want = http.StatusOK
				}
			}
			status, body, err = u.c.try("GET", path, "", nil, nil)
		default:
			if u.writes == "" {
				return
			}
			kind, path, want = "comment", "comment on "+u.writes, http.StatusCreated
			status, body, err = u.c.try("POST", "/api/v1/case/"+u.writes+"/comment", "application/json",
				strings.NewReader(`{"message":"soak comment"}`), nil)
		}
		count(kind)
		switch {
		case err != nil:
			fail("%s %s: %v", u.c.email, path, err)
		case status != want:
			fail("%s %s: %d, want %d: %s", u.c.email, path, status, want, short(string(body)))
		}
	}
	// settle measures goroutines and the heap once the load is over. The
	// heap leaves out what the test itself keeps: the log buffer the
	// harness scans at the end, and the simulator's record of requests.
	settle := func() (goroutines int, heap uint64) {
		tr.CloseIdleConnections()
		e.srv.up.client.CloseIdleConnections() // the portal's pool to TheHive
		e.sim.ResetRequests()
		var ms runtime.MemStats
		// Closed connections end their goroutines asynchronously.
		for range 50 {
			time.Sleep(100 * time.Millisecond)
			if n := runtime.NumGoroutine(); n == goroutines {
				break
			} else {
				goroutines = n
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&ms)
		e.logs.mu.Lock()
		logs := uint64(e.logs.b.Cap())
		e.logs.mu.Unlock()
		return runtime.NumGoroutine(), ms.HeapAlloc - min(logs, ms.HeapAlloc)
	}
	load := func(d time.Duration) {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		defer cancel()
		var wg sync.WaitGroup
		for w := range users {
			wg.Go(func() {
				rng := rand.New(rand.NewPCG(uint64(w), 42))
				for ctx.Err() == nil {
					step(ctx, w, rng)
				}
			})
		}
		wg.Wait()
	}

	// A short warm-up fills the pools (TheHive connections, caches), so
	// that before and after compare like with like.
	load(time.Second)
	g0, h0 := settle()
	start := time.Now()
	load(length)
	elapsed := time.Since(start)
	g1, h1 := settle()

	var summary []string
	var n int64 // requests sent
	kinds.Range(func(k, v any) bool {
		summary = append(summary, fmt.Sprintf("%s %d", k, v.(*atomic.Int64).Load()))
		n += v.(*atomic.Int64).Load()
		return true
	})
	sort.Strings(summary)
	t.Logf("soak %s: %d requests (%.0f/s incl. warm-up, slowest %s) [%s]; goroutines %d -> %d; heap %.1f MB -> %.1f MB",
		elapsed.Round(time.Millisecond), n, float64(n)/(elapsed+time.Second).Seconds(),
		time.Duration(slowest.Load()).Round(time.Millisecond), strings.Join(summary, ", "),
		g0, g1, float64(h0)/(1<<20), float64(h1)/(1<<20))
	if badCount > 0 {
		t.Errorf("%d unexpected answers of %d, first ones:\n%s", badCount, n, strings.Join(bad, "\n"))
	}
	if n < int64(soakBearers+soakBrowsers) {
		t.Errorf("only %d requests: the load did not run", n)
	}
	// Flat: with idle connections closed on both sides, the load leaves no
	// goroutine behind (a small tolerance for connections still closing),
	// and the heap does not grow with the run.
	if g1 > g0+10 {
		t.Errorf("goroutines grew from %d to %d over the soak", g0, g1)
	}
	if h1 > h0+64<<20 {
		t.Errorf("heap grew from %d to %d bytes over the soak", h0, h1)
	}
}
