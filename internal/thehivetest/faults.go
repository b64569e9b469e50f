package thehivetest

import (
	"bytes"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// ResponseHook may rewrite a response before it is sent: it gets the request, the
// status, the (mutable) response header and the body, and returns the status and
// body to send. Content-Length is set to the returned body's length unless the hook
// set it. While a hook is set, responses are buffered in memory (downloads too).
type ResponseHook func(r *http.Request, status int, header http.Header, body []byte) (int, []byte)

type faults struct {
	mu       sync.RWMutex
	latency  time.Duration
	statuses map[string]int
	hook     ResponseHook
}

// SetLatency delays every response by d (0 disables).
func (s *Sim) SetLatency(d time.Duration) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.latency = d
}

// SetPathStatus makes requests whose URL path equals path answer status with a
// TheHive-style error body, without reaching the route (0 removes the fault).
func (s *Sim) SetPathStatus(path string, status int) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	if s.faults.statuses == nil {
		s.faults.statuses = map[string]int{}
	}
	if status == 0 {
		delete(s.faults.statuses, path)
		return
	}
	s.faults.statuses[path] = status
}

// SetResponseHook installs h (nil removes it). See ResponseHook.
func (s *Sim) SetResponseHook(h ResponseHook) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.hook = h
}

// ClearFaults removes latency, path statuses and the response hook.
func (s *Sim) ClearFaults() {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.latency, s.faults.statuses, s.faults.hook = 0, nil, nil
}

func (f *faults) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.RLock()
		latency, status, hook := f.latency, f.statuses[r.URL.Path], f.hook
		f.mu.RUnlock()
		if latency > 0 && !sleep(r, latency) {
			return
		}
		if status != 0 {
			writeJSON(w, status, faultError(status))
			return
		}
		if hook == nil {
			next.ServeHTTP(w, r)
			return
		}
		buf := &bufferedResponse{header: http.Header{}, status: http.StatusOK}
		next.ServeHTTP(buf, r)
		code, body := hook(r, buf.status, buf.header, buf.body.Bytes())
		for k, v := range buf.header {
			w.Header()[k] = v
		}
		if w.Header().Get("Content-Length") == "" || buf.header.Get("Content-Length") == strconv.Itoa(buf.body.Len()) {
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		}
		w.WriteHeader(code)
		_, _ = w.Write(body)
	})
}

func sleep(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

func faultError(status int) *apiError {
	types := map[int]string{400: "BadRequest", 401: "AuthenticationError", 403: "AuthorizationError", 404: "NotFoundError"}
	t, ok := types[status]
	if !ok {
		t = "InternalError"
	}
	return &apiError{status: status, Type: t, Message: "Simulated fault (HTTP " + strconv.Itoa(status) + ")"}
}

type bufferedResponse struct {
	header      http.Header
	status      int
	wroteHeader bool
	body        bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }

func (b *bufferedResponse) WriteHeader(code int) {
	if !b.wroteHeader {
		b.status, b.wroteHeader = code, true
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	b.wroteHeader = true
	return b.body.Write(p)
}
