package proxy

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"
)

// contentSecurityPolicy allows only the portal's own assets: no inline
// script or style, no framing, no plugins.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// requestState starts every request: a fresh request id (a client's
// X-Request-Id is never trusted), a logger carrying it, and the security
// headers of every answer.
func (s *Server) requestState(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := newRequestID()
		st := &reqState{id: id, log: s.log.With("request_id", id)}
		// Echo writes an error's answer after this returns; no pooled
		// buffer is in an error answer, and every success has been written.
		defer st.finish()
		req := c.Request()
		c.SetRequest(req.WithContext(withState(req.Context(), st)))
		h := c.Response().Header()
		h.Set("X-Request-Id", id)
		h.Set("Cache-Control", "no-store, private")
		h.Set("Pragma", "no-cache")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		if strings.HasPrefix(s.cfg.PublicURL, "https://") {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		return next(c)
	}
}

func newRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// pathGuard refuses request targets that are not in canonical form before
// any route matches: encoded slashes, backslashes or dots, dot segments,
// empty segments, a trailing slash, control characters, ';' and a fragment.
// Routes then match the raw path exactly.
func pathGuard(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !canonicalTarget(c.Request().RequestURI) {
			return &apiError{Status: http.StatusNotFound, Type: "NotFoundError", Message: "Not found", Reason: "non_canonical_path"}
		}
		return next(c)
	}
}

func canonicalTarget(uri string) bool {
	path, _, _ := strings.Cut(uri, "?")
	if path == "" || path[0] != '/' || len(uri) > 4096 {
		return false
	}
	if path != "/" && strings.HasSuffix(path, "/") {
		return false
	}
	lower := strings.ToLower(path)
	for _, bad := range []string{"//", "/./", "/../", "%2f", "%5c", "%2e", "%00", "\\", ";", "#"} {
		if strings.Contains(lower, bad) {
			return false
		}
	}
	if strings.HasSuffix(path, "/.") || strings.HasSuffix(path, "/..") {
		return false
	}
	for i := 0; i < len(uri); i++ {
		if uri[i] < 0x21 || uri[i] == 0x7f {
			return false
		}
	}
	return true
}

// rateLimiter limits requests per user (token bucket per key). Buckets
// unused for 10 minutes are dropped.
type rateLimiter struct {
	mu      sync.Mutex
	perMin  int
	buckets map[string]*bucket
	swept   time.Time
	now     func() time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newRateLimiter(perMinute int, now func() time.Time) *rateLimiter {
	return &rateLimiter{perMin: perMinute, buckets: map[string]*bucket{}, now: now}
}

// allow takes one token from key's bucket.
func (r *rateLimiter) allow(key string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	if now.Sub(r.swept) > time.Minute {
		for k, b := range r.buckets {
			if now.Sub(b.seen) > 10*time.Minute {
				delete(r.buckets, k)
			}
		}
		r.swept = now
	}
	b := r.buckets[key]
	if b == nil {
		burst := max(r.perMin/6, 10)
		b = &bucket{lim: rate.NewLimiter(rate.Limit(float64(r.perMin)/60), burst)}
		r.buckets[key] = b
	}
	b.seen = now
	return b.lim.AllowN(now, 1)
}
