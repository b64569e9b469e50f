package thehivetest

import (
	"bytes"
	"io"
	"net/http"
	"sync"
	"time"
)

// RecordedRequest is one request the simulator received, as it arrived.
type RecordedRequest struct {
	Method     string
	Path       string // decoded URL path
	RawPath    string // escaped path as sent (URL.EscapedPath)
	RawQuery   string
	RequestURI string
	Header     http.Header // a clone
	// Body holds the first bytes of the body (up to the configured cap, 1 MiB by default).
	Body          []byte
	BodyTruncated bool
	Time          time.Time
}

type recorder struct {
	mu      sync.Mutex
	max     int
	bodyCap int
	reqs    []RecordedRequest
}

func newRecorder(max, bodyCap int) *recorder {
	return &recorder{max: max, bodyCap: bodyCap}
}

// middleware records each request. It reads at most bodyCap+1 bytes of the body
// before the handler runs and hands them back in front of the rest of the body,
// so a large upload is never buffered whole.
func (rc *recorder) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rr := RecordedRequest{
			Method: r.Method, Path: r.URL.Path, RawPath: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery,
			RequestURI: r.RequestURI, Header: r.Header.Clone(), Time: time.Now(),
		}
		if rc.bodyCap > 0 && r.Body != nil && r.Body != http.NoBody {
			prefix, _ := io.ReadAll(io.LimitReader(r.Body, int64(rc.bodyCap)+1))
			rr.Body, rr.BodyTruncated = prefix[:min(len(prefix), rc.bodyCap)], len(prefix) > rc.bodyCap
			r.Body = struct {
				io.Reader
				io.Closer
			}{io.MultiReader(bytes.NewReader(prefix), r.Body), r.Body}
		}
		rc.add(rr)
		next.ServeHTTP(w, r)
	})
}

func (rc *recorder) add(rr RecordedRequest) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.max <= 0 {
		return
	}
	if len(rc.reqs) >= rc.max {
		rc.reqs = append(rc.reqs[:0:0], rc.reqs[len(rc.reqs)-rc.max+1:]...)
	}
	rc.reqs = append(rc.reqs, rr)
}

// Requests returns the recorded requests, oldest first.
func (s *Sim) Requests() []RecordedRequest {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	out := make([]RecordedRequest, len(s.rec.reqs))
	for i, r := range s.rec.reqs {
		r.Header = r.Header.Clone()
		out[i] = r
	}
	return out
}

// ResetRequests forgets the recorded requests.
func (s *Sim) ResetRequests() {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	s.rec.reqs = nil
}
