package proxy

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
)

// adminServer serves the env's admin handler on a loopback port.
func adminServer(t *testing.T, e *env) string {
	t.Helper()
	h := e.srv.AdminHandler()
	if h == nil {
		t.Fatal("no admin handler although admin.listen is set")
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts.URL
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestMetricsExposeTheListedSeries: requests by route template and status,
// upstream latency by operation, cache hits and misses, denials by reason,
// filtered bytes, active sessions and rate-limit rejections, on the admin
// listener only.
func TestMetricsExposeTheListedSeries(t *testing.T) {
	e := newEnv(t, withYAML("admin:\n  listen: 127.0.0.1:9090\nlimits:\n  requests_per_minute: 60\n"))
	admin := adminServer(t, e)
	alice := e.browser(thehivetest.AliceEmail)
	for i := 0; i < 2; i++ { // a cache miss, then a hit
		alice.postJSON("/api/v1/query", `{"query":[{"_name":"getCase","idOrName":"`+thehivetest.CaseDomainTagID+`"},{"_name":"comments"}]}`)
	}
	for i := 0; i < 2; i++ {
		if r := alice.getJSON("/api/v1/case/" + thehivetest.CaseUserTagID); r.StatusCode != 200 {
			t.Fatalf("read: %d", r.StatusCode)
		}
	}
	alice.getJSON("/api/v1/case/" + thehivetest.CaseInternalID)
	alice.postJSON("/api/v1/query", `{"query":[{"_name":"getCase","idOrName":"`+thehivetest.CaseUserTagID+`"},{"_name":"comments"}]}`)
	e.bearer(thehivetest.BobEmail).getJSON("/nope")
	(&client{e: e, http: e.httpClient(nil)}).getJSON("/api/v1/user/current")
	mallory := e.bearer(thehivetest.MalloryEmail)
	for i := 0; i < 40; i++ {
		mallory.getJSON("/api/v1/user/current")
	}
	_, text := get(t, admin+"/metrics")
	want := []series{
		{"thehive_portal_http_requests_total", `method="GET",route="/api/v1/case/:id",status="200"`, 2},
		{"thehive_portal_http_requests_total", `method="GET",route="/api/v1/case/:id",status="404"`, 1},
		{"thehive_portal_http_requests_total", `method="GET",route="unmatched",status="404"`, 1},
		{"thehive_portal_upstream_request_duration_seconds_count", `operation="GET /api/v1/case/{id}",outcome="2xx"`, 1},
		{"thehive_portal_upstream_request_duration_seconds_count", `operation="POST /api/v1/query",outcome="2xx"`, 1},
		{"thehive_portal_share_cache_hits_total", `entry="case"`, 1},
		{"thehive_portal_share_cache_misses_total", `entry="case"`, 1},
		{"thehive_portal_denials_total", `reason="not_shared"`, 1},
		{"thehive_portal_denials_total", `reason="unauthenticated"`, 1},
		{"thehive_portal_filter_bytes_total", `direction="in"`, 100},
		{"thehive_portal_filter_bytes_total", `direction="out"`, 100},
		{"thehive_portal_active_sessions", "", 1},
		{"thehive_portal_rate_limited_total", `scope="user"`, 1},
		{"thehive_portal_build_info", `version="test"`, 1},
	}
	for _, w := range want {
		if got := w.value(text); got < w.min {
			t.Errorf("%s{%s} = %v, want at least %v", w.name, w.labels, got, w.min)
		}
	}
	if strings.Contains(text, `route="/api/v1/case/~`) || strings.Contains(text, "~42") {
		t.Error("a raw path or id reached a label")
	}
	alice.postJSON("/auth/logout", "") // then redirected to /
	_, text = get(t, admin+"/metrics")
	if got := (series{name: "thehive_portal_active_sessions"}).value(text); got != 0 {
		t.Errorf("active sessions after sign-out = %v", got)
	}
	if r := alice.getJSON("/metrics"); r.StatusCode != 404 {
		t.Errorf("/metrics on the portal's listener: %d", r.StatusCode)
	}
}

// TestNoAdminListenerNoMetrics: without admin.listen there is no metrics
// endpoint at all.
func TestNoAdminListenerNoMetrics(t *testing.T) {
	e := newEnv(t, withMemoryStore())
	if e.srv.AdminHandler() != nil {
		t.Error("an admin handler without admin.listen")
	}
	if r := e.bearer(thehivetest.AliceEmail).getJSON("/metrics"); r.StatusCode != 404 {
		t.Errorf("/metrics: %d", r.StatusCode)
	}
}

// TestSessionTracker: created, used, signed out, idle and absolute expiry.
func TestSessionTracker(t *testing.T) {
	now := &stepClock{t: time.Unix(1_700_000_000, 0)}
	tr := newSessionTracker(8*time.Minute, 2*time.Minute, now.Now)
	tr.seen("a")
	tr.seen("b")
	tr.seen("c")
	tr.ended("b")
	if n := tr.count(); n != 2 {
		t.Fatalf("count = %d, want 2", n)
	}
	now.advance(90 * time.Second)
	tr.seen("a")
	now.advance(time.Minute)
	if n := tr.count(); n != 1 {
		t.Fatalf("after c's idle timeout: %d, want 1", n)
	}
	for i := 0; i < 6; i++ {
		now.advance(time.Minute)
		tr.seen("a")
	}
	if n := tr.count(); n != 0 {
		t.Fatalf("after a's absolute lifetime: %d, want 0", n)
	}
}

// TestUpstreamOperation: ids and numbers never reach the label.
func TestUpstreamOperation(t *testing.T) {
	for in, want := range map[string]string{
		"/api/v1/case/~41001/attachment/~2/download": "GET /api/v1/case/{id}/attachment/{id}/download",
		"/api/v1/case/42":      "GET /api/v1/case/{id}",
		"/api/v1/user/current": "GET /api/v1/user/current",
	} {
		if got := upstreamOperation("GET", in); got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
	if got := upstreamOperation("BREW", "/x"); got != "OTHER /x" {
		t.Errorf("method: %q", got)
	}
	g := labelGuard{max: 2}
	if g.value("a") != "a" || g.value("b") != "b" || g.value("c") != "other" || g.value("a") != "a" {
		t.Error("label guard")
	}
}

// stepClock is a clock tests move by hand.
type stepClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *stepClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// series is one line of the text format to look for.
type series struct {
	name, labels string
	min          float64
}

// value returns the sample of the series (labels in the format's sorted
// order), or -1 when it is absent.
func (s series) value(text string) float64 {
	prefix := s.name + " "
	if s.labels != "" {
		prefix = s.name + "{" + s.labels + "} "
	}
	for _, line := range strings.Split(text, "\n") {
		if rest, ok := strings.CutPrefix(line, prefix); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			if err == nil {
				return v
			}
		}
	}
	return -1
}

// TestPprofOnlyWhenEnabled: /debug/pprof/ is on the admin listener only
// with admin.pprof, never on the portal's listener.
func TestPprofOnlyWhenEnabled(t *testing.T) {
	off := newEnv(t, withMemoryStore(), withYAML("admin:\n  listen: 127.0.0.1:9090\n"))
	if code, _ := get(t, adminServer(t, off)+"/debug/pprof"); code != http.StatusNotFound {
		t.Errorf("pprof off: /debug/pprof gave %d", code)
	}
	on := newEnv(t, withMemoryStore(), withYAML("admin:\n  listen: 127.0.0.1:9090\n  pprof: true\n"))
	admin := adminServer(t, on)
	if code, body := get(t, admin+"/debug/pprof"); code != http.StatusOK || !strings.Contains(body, "goroutine") {
		t.Errorf("pprof on: /debug/pprof gave %d", code)
	}
	if code, body := get(t, admin+"/debug/pprof/goroutine?debug=1"); code != http.StatusOK || !strings.Contains(body, "goroutine profile") {
		t.Errorf("pprof on: goroutine profile gave %d", code)
	}
	if code, _ := get(t, admin+"/debug/pprof/profile?seconds=1"); code != http.StatusOK {
		t.Errorf("pprof on: CPU profile gave %d", code)
	}
	if r := on.bearer(thehivetest.AliceEmail).getJSON("/debug/pprof"); r.StatusCode != http.StatusNotFound {
		t.Errorf("pprof on the portal's listener: %d", r.StatusCode)
	}
}
