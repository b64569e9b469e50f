package proxy

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/proxy/auth"
)

// try sends one request for a load goroutine: unlike client.do it never
// calls t.Fatal (not allowed outside the test goroutine) and returns the
// transport error instead. The answer is scanned for canaries by the
// client's transport like every other answer.
func (c *client) try(method, path, contentType string, body io.Reader, headers map[string]string) (int, []byte, error) {
	req, err := http.NewRequest(method, c.e.url+path, body)
	if err != nil {
		return 0, nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	c.authorize(req)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp.StatusCode, data, err
}

// navigate is a browser's top-level navigation (its errors are pages).
var navigate = map[string]string{"Sec-Fetch-Mode": "navigate", "Accept": "text/html"}

// outcome is one request made under load.
type outcome struct {
	who, what  string
	start, end time.Time
	status     int
	body       string
	err        error
}

// outcomes collects the requests of a load run.
type outcomes struct {
	mu  sync.Mutex
	all []outcome
}

func (o *outcomes) add(x outcome) {
	o.mu.Lock()
	o.all = append(o.all, x)
	o.mu.Unlock()
}

// runLoad runs n workers, each calling step(worker, i) in a loop until ctx
// ends; it returns when all have stopped.
func runLoad(ctx context.Context, n int, step func(worker, i int)) {
	var wg sync.WaitGroup
	for w := range n {
		wg.Go(func() {
			for i := 0; ctx.Err() == nil; i++ {
				step(w, i)
			}
		})
	}
	wg.Wait()
}

// restartRedis starts redis-server again on port (after startRedis's stop)
// and returns a function that stops it (also run at the end of the test).
func restartRedis(t *testing.T, port string) func() {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		requirePart(t, "redis-server binary")
	}
	cmd := exec.Command(bin, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	stop := func() {
		once.Do(func() {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		})
	}
	t.Cleanup(stop)
	for range 100 {
		if c, err := net.Dial("tcp", "127.0.0.1:"+port); err == nil {
			c.Close()
			return stop
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("redis-server did not restart")
	return nil
}

// isAPIErrorJSON reports a JSON body in TheHive's error shape with the
// portal's own generic message.
func isAPIErrorJSON(body string) bool {
	body = strings.TrimSpace(body)
	return strings.HasPrefix(body, `{"type":"`) && strings.Contains(body, `"message":"`) && strings.HasSuffix(body, "}")
}

func short(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return fmt.Sprintf("%q", s)
}

// clone starts a second portal on e's simulator, IdP, store and logs, on
// its own loopback address, with cfg changed by change (may be nil) and
// the clock now (nil: time.Now). Its clients are made with the returned
// env as usual.
func (e *env) clone(change func(*config.Config), now func() time.Time) *env {
	e.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		e.t.Fatal(err)
	}
	e2 := *e
	cfg := *e.cfg
	e2.cfg = &cfg
	e2.url = "http://" + ln.Addr().String()
	cfg.PublicURL = e2.url
	if change != nil {
		change(&cfg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	a, err := auth.New(ctx, &cfg, &http.Client{Timeout: 5 * time.Second})
	if err != nil {
		e.t.Fatal(err)
	}
	log := slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv, err := New(&cfg, Deps{Auth: a, KV: e.kv, Logger: log, Version: "test", Now: now})
	if err != nil {
		e.t.Fatal(err)
	}
	if err := srv.Init(ctx); err != nil {
		e.t.Fatal(err)
	}
	e2.srv = srv
	ts := httptest.NewUnstartedServer(srv.Handler())
	ts.Listener.Close()
	ts.Listener = ln
	ts.Start()
	e.t.Cleanup(ts.Close)
	return &e2
}

// clock is a settable clock for a portal's sessions and limits.
type clock struct{ offset atomic.Int64 }

func (c *clock) now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *clock) advance(d time.Duration) { c.offset.Add(int64(d)) }
