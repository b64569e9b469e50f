package thehivetest

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// Server is a Sim served by an httptest.Server on 127.0.0.1.
type Server struct {
	*Sim
	// URL is the base URL, e.g. http://127.0.0.1:41234 (no trailing slash).
	URL  string
	http *httptest.Server
}

// NewServer starts a simulator configured by opts on a loopback port and closes
// it (and its webhook sender) when tb's test ends.
func NewServer(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	sim := New(opts...)
	hs := httptest.NewServer(sim)
	s := &Server{Sim: sim, URL: hs.URL, http: hs}
	tb.Cleanup(s.Close)
	return s
}

// Client returns an HTTP client for the server.
func (s *Server) Client() *http.Client { return s.http.Client() }

// Close shuts the HTTP server down, then the simulator. It is idempotent.
func (s *Server) Close() {
	s.http.Close()
	s.Sim.Close()
}
