package proxy

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/thehive-portal/thehive-portal/notify"
)

// metricsNamespace prefixes every series.
const metricsNamespace = "thehive_portal"

// metrics are the portal's Prometheus series, on a registry the Server
// owns (never the global default one). Every label value comes from a
// bounded set: route templates, methods, status codes, reasons named in
// the code, operations built from templated upstream paths.
type metrics struct {
	reg           *prometheus.Registry
	requests      *prometheus.CounterVec
	duration      *prometheus.HistogramVec
	upstream      *prometheus.HistogramVec
	cacheHits     *prometheus.CounterVec
	cacheMisses   *prometheus.CounterVec
	denials       *prometheus.CounterVec
	filterBytes   *prometheus.CounterVec
	rateLimited   *prometheus.CounterVec
	notifications *prometheus.CounterVec
	sessions      *sessionTracker
	reasons       labelGuard
}

func newMetrics(version string, sessions *sessionTracker) *metrics {
	m := &metrics{reg: prometheus.NewRegistry(), sessions: sessions, reasons: labelGuard{max: 100}}
	f := factory{m.reg}
	m.requests = f.counter("http_requests_total", "HTTP requests answered, by route template, method and status.", "route", "method", "status")
	m.duration = f.histogram("http_request_duration_seconds", "Time to answer an HTTP request, by route template and method.", "route", "method")
	m.upstream = f.histogram("upstream_request_duration_seconds", "Time until TheHive answered (headers), by operation and outcome.", "operation", "outcome")
	m.cacheHits = f.counter("share_cache_hits_total", "Share cache lookups answered from the cache, by entry kind.", "entry")
	m.cacheMisses = f.counter("share_cache_misses_total", "Share cache lookups that read TheHive (absent, or the store failed), by entry kind.", "entry")
	m.denials = f.counter("denials_total", "Requests refused (401, 403, 404, or with a policy reason), by reason.", "reason")
	m.filterBytes = f.counter("filter_bytes_total", "Bytes of TheHive JSON into the response filter (in) and of filtered JSON out of it (out).", "direction")
	m.rateLimited = f.counter("rate_limited_total", "Requests refused by the rate limit, by scope (user or ip).", "scope")
	m.notifications = f.counter("notifications_total", "Notification outcomes: sent, failed, limited (one already sent in the period), dropped (queue full), job_failed.", "result")
	m.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: metricsNamespace, Name: "active_sessions",
			Help: "Browser sessions created or used on this replica and not yet signed out or expired (idle or absolute)."},
			func() float64 { return float64(sessions.count()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: metricsNamespace, Name: "build_info",
			Help: "Always 1; the version label is the portal's version.", ConstLabels: prometheus.Labels{"version": version}},
			func() float64 { return 1 }),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

// factory registers series under the namespace.
type factory struct{ reg *prometheus.Registry }

func (f factory) counter(name, help string, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: metricsNamespace, Name: name, Help: help}, labels)
	f.reg.MustRegister(c)
	return c
}

func (f factory) histogram(name, help string, labels ...string) *prometheus.HistogramVec {
	h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: metricsNamespace, Name: name, Help: help,
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}}, labels)
	f.reg.MustRegister(h)
	return h
}

// handler serves the registry in the Prometheus text format.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// middleware counts and times every request, and writes one access log
// line (method, route template, status, duration; never the raw path or
// query, which can hold codes and ids). It runs first of the Pre
// middleware, so it also sees requests refused before routing; their
// route is "unmatched". An error is rendered here (through the error
// handler) so that the status is known.
func (s *Server) observeRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		method := methodLabel(c.Request().Method)
		status := c.Response().Status
		elapsed := time.Since(start)
		s.metrics.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
		s.metrics.duration.WithLabelValues(route, method).Observe(elapsed.Seconds())
		s.requestLogger(c).Info("request", "method", method, "route", route, "status", status,
			"duration_ms", elapsed.Milliseconds(), "bytes", c.Response().Size)
		return nil
	}
}

// methodLabel bounds the method label to the standard methods.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "OTHER"
}

// denied counts a refusal by its reason: the apiError's Reason, else one
// named after the status for 401, 403 and 404.
func (m *metrics) denied(ae *apiError) {
	reason := ae.Reason
	if reason == "" {
		switch ae.Status {
		case http.StatusUnauthorized:
			reason = "unauthenticated"
		case http.StatusForbidden:
			reason = "forbidden"
		case http.StatusNotFound:
			reason = "not_found"
		default:
			return
		}
	}
	m.denials.WithLabelValues(m.reasons.value(reason)).Inc()
}

// cacheLookup counts one share cache lookup; entry is the key's kind
// ("case", "attachments", "number").
func (m *metrics) cacheLookup(key string, hit bool) {
	entry := "other"
	if rest, ok := strings.CutPrefix(key, "share:"); ok {
		entry, _, _ = strings.Cut(rest, ":")
	}
	if hit {
		m.cacheHits.WithLabelValues(entry).Inc()
	} else {
		m.cacheMisses.WithLabelValues(entry).Inc()
	}
}

// filtered counts the bytes into and out of the response filter.
func (m *metrics) filtered(in, out int) {
	m.filterBytes.WithLabelValues("in").Add(float64(in))
	m.filterBytes.WithLabelValues("out").Add(float64(out))
}

// notified counts a notification outcome.
func (m *metrics) notified(r notify.Result) { m.notifications.WithLabelValues(string(r)).Inc() }

// labelGuard keeps a label's distinct values under max; later new values
// become "other".
type labelGuard struct {
	mu   sync.Mutex
	max  int
	seen map[string]bool
}

func (g *labelGuard) value(v string) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.seen == nil {
		g.seen = map[string]bool{}
	}
	if g.seen[v] || len(g.seen) < g.max {
		g.seen[v] = true
		return v
	}
	return "other"
}
