package thehivetest

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRequestLog(t *testing.T) {
	srv := NewServer(t, WithSeed(), WithRequestLog(3, 8))
	c := newClient(t, srv, ServiceKey)
	c.expect(201, "POST", "/api/v1/case/42/comment?x=1", m{"message": "0123456789"}, "X-Test", "a")
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[0]
	if r.Method != "POST" || r.Path != "/api/v1/case/42/comment" || r.RawQuery != "x=1" || r.Header.Get("X-Test") != "a" ||
		string(r.Body) != `{"messag` || !r.BodyTruncated || r.Time.IsZero() {
		t.Fatalf("recorded: %+v", r)
	}
	c.expect(404, "GET", "/api/v1/case/%7E9", nil)
	if got := srv.Requests()[1]; got.RawPath != "/api/v1/case/%7E9" || got.Path != "/api/v1/case/~9" || got.BodyTruncated {
		t.Fatalf("raw path: %+v", got)
	}
	for range 3 {
		c.expect(200, "GET", "/api/v1/status", nil)
	}
	if n := len(srv.Requests()); n != 3 {
		t.Fatalf("log kept %d, want the last 3", n)
	}
	reqs = srv.Requests()
	reqs[0].Header.Set("X-Test", "changed")
	if srv.Requests()[0].Header.Get("X-Test") == "changed" {
		t.Fatal("Requests shares headers")
	}
	srv.ResetRequests()
	if len(srv.Requests()) != 0 {
		t.Fatal("reset")
	}
}

func TestFaultHooks(t *testing.T) {
	srv := NewServer(t, WithSeed())
	c := newClient(t, srv, ServiceKey)
	srv.SetPathStatus("/api/v1/case/~41001", 503)
	body := obj(t, c.expect(503, "GET", "/api/v1/case/~41001", nil))
	if body["type"] != "InternalError" {
		t.Fatalf("fault body %v", body)
	}
	c.expect(200, "GET", "/api/v1/case/42", nil)
	srv.SetPathStatus("/api/v1/case/~41001", 0)
	c.expect(200, "GET", "/api/v1/case/~41001", nil)

	srv.SetLatency(50 * time.Millisecond)
	start := time.Now()
	c.expect(200, "GET", "/api/v1/status", nil)
	if time.Since(start) < 50*time.Millisecond {
		t.Fatal("latency not applied")
	}
	srv.SetLatency(0)

	srv.SetResponseHook(func(r *http.Request, status int, h http.Header, body []byte) (int, []byte) {
		switch r.URL.Path {
		case "/api/v1/user/current":
			return status, []byte(`{"login":`)
		case "/api/v1/case/42":
			h.Set("Content-Type", "text/html")
			return status, []byte(`{"_id":"~1","_id":"~41001"}`)
		}
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		_, _ = zw.Write(body)
		_ = zw.Close()
		h.Set("Content-Encoding", "gzip")
		return 299, buf.Bytes()
	})
	resp, raw := c.do("GET", "/api/v1/user/current", nil)
	if resp.StatusCode != 200 || string(raw) != `{"login":` {
		t.Fatalf("invalid JSON hook: %d %s", resp.StatusCode, raw)
	}
	resp, raw = c.do("GET", "/api/v1/case/42", nil)
	if resp.Header.Get("Content-Type") != "text/html" || !strings.Contains(string(raw), `"_id":"~1"`) {
		t.Fatalf("content type hook: %v %s", resp.Header, raw)
	}
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/status", nil)
	req.Header.Set("Accept-Encoding", "gzip") // so the client does not decompress
	r2, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Body.Close()
	zr, err := gzip.NewReader(r2.Body)
	if err != nil || r2.StatusCode != 299 {
		t.Fatalf("gzip hook: %d %v", r2.StatusCode, err)
	}
	_ = zr.Close()
	srv.ClearFaults()
	c.expect(200, "GET", "/api/v1/user/current", nil)
}
