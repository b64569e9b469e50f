package proxy

import (
	"net/http"
	"strings"
	"time"
)

// instrumentedTransport times every request to TheHive until its answer's
// headers (or the error), by operation and outcome.
type instrumentedTransport struct {
	next http.RoundTripper
	m    *metrics
	ops  labelGuard
}

// instrument wraps rt (nil: the portal's default transport).
func (m *metrics) instrument(rt http.RoundTripper) http.RoundTripper {
	if rt == nil {
		rt = newTransport()
	}
	return &instrumentedTransport{next: rt, m: m, ops: labelGuard{max: 100}}
}

// RoundTrip implements http.RoundTripper.
func (t *instrumentedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	outcome := "error"
	if err == nil {
		outcome = statusClass(resp.StatusCode)
	}
	op := t.ops.value(upstreamOperation(req.Method, req.URL.Path))
	t.m.upstream.WithLabelValues(op, outcome).Observe(time.Since(start).Seconds())
	return resp, err
}

// upstreamOperation names a request by its method and path template: every
// id segment ("~123") and number becomes {id}, e.g.
// "GET /api/v1/case/{id}/attachment/{id}/download".
func upstreamOperation(method, path string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if s != "" && (s[0] == '~' || strings.Trim(s, "0123456789") == "") {
			segs[i] = "{id}"
		}
	}
	return methodLabel(method) + " " + strings.Join(segs, "/")
}

// statusClass is "2xx", "4xx", … for a status code.
func statusClass(code int) string {
	if code < 100 || code > 599 {
		return "other"
	}
	return string(rune('0'+code/100)) + "xx"
}
