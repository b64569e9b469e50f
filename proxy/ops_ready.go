package proxy

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// Readiness is checked at most once per readyTTL, whoever asks: /readyz
// is public on the portal's listener and must not become a way to load
// TheHive.
const (
	readyTTL     = 5 * time.Second
	readyTimeout = 3 * time.Second
)

// readiness caches the last check.
type readiness struct {
	mu      sync.Mutex
	checked time.Time
	last    readyAnswer
}

// readyAnswer is the JSON of /readyz.
type readyAnswer struct {
	Status string            `json:"status"` // "ok", "unavailable" or "draining"
	Checks map[string]string `json:"checks,omitempty"`
}

// handleReady is /readyz: 200 when TheHive answers an authenticated
// request and the store answers a ping; 503 otherwise, and while draining.
func (s *Server) handleReady(c echo.Context) error {
	if s.draining.Load() {
		return c.JSON(http.StatusServiceUnavailable, readyAnswer{Status: "draining"})
	}
	a := s.readyState()
	if a.Status != "ok" {
		return c.JSON(http.StatusServiceUnavailable, a)
	}
	return c.JSON(http.StatusOK, a)
}

// readyState returns the cached answer, checking again when it is older
// than readyTTL. Concurrent callers wait for the one check.
func (s *Server) readyState() readyAnswer {
	r := &s.ready
	r.mu.Lock()
	defer r.mu.Unlock()
	if now := s.now(); r.checked.IsZero() || now.Sub(r.checked) >= readyTTL || now.Before(r.checked) {
		r.last = s.checkReady()
		r.checked = s.now()
	}
	return r.last
}

// checkReady runs the checks. Causes go to the log, never to the answer.
func (s *Server) checkReady() readyAnswer {
	ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
	defer cancel()
	a := readyAnswer{Status: "ok", Checks: map[string]string{"thehive": "ok", "store": "ok"}}
	if _, _, _, err := s.up.jsonCall(ctx, http.MethodGet, nil, "api", "v1", "user", "current"); err != nil {
		s.log.Warn("readiness: thehive unavailable", "err", err)
		a.Status, a.Checks["thehive"] = "unavailable", "unavailable"
	}
	if err := s.kv.Ping(ctx); err != nil {
		s.log.Warn("readiness: store unavailable", "err", err)
		a.Status, a.Checks["store"] = "unavailable", "unavailable"
	}
	return a
}
