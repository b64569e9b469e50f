package proxy

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/internal/oidctest"
	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
	"github.com/thehive-portal/thehive-portal/proxy/auth"
	"github.com/thehive-portal/thehive-portal/proxy/store"
	"github.com/thehive-portal/thehive-portal/proxy/store/storetest"
)

func TestMain(m *testing.M) {
	storetest.SilenceRedisLog()
	os.Exit(m.Run())
}

// env is one portal under test: the TheHive simulator (seeded), an
// in-process IdP, a real Redis (or memory) store, and the portal on a
// loopback HTTP server. Every answer any client of the env receives, and
// every log line, is scanned for canaries when the test ends.
type env struct {
	t      *testing.T
	sim    *thehivetest.Server
	idp    *oidctest.Provider
	kv     store.KV
	cfg    *config.Config
	srv    *Server
	url    string
	logs   *syncBuffer
	scan   *canaryScan
	secret string // webhook secret
	tokens map[string]string
}

type envOptions struct {
	yaml   string // extra configuration
	memory bool   // in-memory store instead of Redis
	kv     store.KV
	simOpt []thehivetest.Option
	// idp carries the portal's requests to the IdP; nil: a plain client.
	idp http.RoundTripper
}

type envOption func(*envOptions)

func withYAML(y string) envOption                     { return func(o *envOptions) { o.yaml = y } }
func withMemoryStore() envOption                      { return func(o *envOptions) { o.memory = true } }
func withKV(kv store.KV) envOption                    { return func(o *envOptions) { o.kv = kv } }
func withSim(opts ...thehivetest.Option) envOption    { return func(o *envOptions) { o.simOpt = opts } }
func withIdPTransport(rt http.RoundTripper) envOption { return func(o *envOptions) { o.idp = rt } }

func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	var o envOptions
	for _, f := range opts {
		f(&o)
	}
	e := &env{t: t, logs: &syncBuffer{}, secret: "webhook-secret-0123456789", tokens: map[string]string{}}
	e.sim = thehivetest.NewServer(t, append([]thehivetest.Option{thehivetest.WithSeed()}, o.simOpt...)...)
	e.idp = oidctest.Start(t)
	e.scan = newCanaryScan(t)
	if o.kv != nil {
		e.kv = o.kv
	} else if o.memory {
		e.kv = store.NewMemory()
	} else {
		e.kv = storetest.NewRedis(t)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.url = "http://" + ln.Addr().String()
	e.cfg = e.config(o.yaml)
	e.srv = e.newServer(o.idp)
	ts := httptest.NewUnstartedServer(e.srv.Handler())
	ts.Listener.Close()
	ts.Listener = ln
	ts.Start()
	t.Cleanup(ts.Close)
	t.Cleanup(func() {
		e.scan.checkText("logs", e.logs.String())
		if t.Failed() && os.Getenv("PORTAL_TEST_LOGS") != "" {
			t.Log(e.logs.String())
		}
	})
	return e
}

func (e *env) config(extra string) *config.Config {
	e.t.Helper()
	vars := map[string]string{
		"PORTAL_PUBLIC_URL": e.url, "PORTAL_UPSTREAM_URL": e.sim.URL,
		"PORTAL_UPSTREAM_API_KEY": thehivetest.ServiceKey, "PORTAL_OIDC_ISSUER": e.idp.Issuer(),
		"PORTAL_OIDC_CLIENT_ID": e.idp.ClientID, "PORTAL_OIDC_CLIENT_SECRET": e.idp.ClientSecret,
		"PORTAL_SESSION_SECRET": "session-secret-for-tests-0123456789abcdef", "PORTAL_WEBHOOK_SECRET": e.secret,
	}
	y := "oidc:\n  scopes: [openid, email, profile, groups]\n" + extra
	if !strings.Contains(extra, "limits:") {
		y += "limits:\n  requests_per_minute: 1000000\n"
	}
	cfg, err := config.Load(strings.NewReader(y), func(k string) string { return vars[k] })
	if err != nil {
		e.t.Fatalf("config: %v", err)
	}
	return cfg
}

func (e *env) newServer(idp http.RoundTripper) *Server {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	a, err := auth.New(ctx, e.cfg, &http.Client{Timeout: 5 * time.Second, Transport: idp})
	if err != nil {
		e.t.Fatal(err)
	}
	log := slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv, err := New(e.cfg, Deps{Auth: a, KV: e.kv, Logger: log, Version: "test"})
	if err != nil {
		e.t.Fatal(err)
	}
	if err := srv.Init(ctx); err != nil {
		e.t.Fatal(err)
	}
	return srv
}

// client is one external user talking to the portal, by bearer token or
// by a browser session.
type client struct {
	e     *env
	http  *http.Client
	token string // bearer token, when not a browser
	csrf  string // session CSRF token, for a browser
	email string
}

// bearer returns a client that sends a token minted by the IdP.
func (e *env) bearer(email string, groups ...string) *client {
	tok := e.idp.Token(e.t, oidctest.Claims{Subject: "sub-" + email, Email: email, EmailVerified: true, Groups: groups})
	return &client{e: e, http: e.httpClient(nil), token: tok, email: email}
}

// browser signs in through the OIDC flow and returns a client holding the
// session cookie and its CSRF token.
func (e *env) browser(email string, groups ...string) *client {
	e.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &client{e: e, http: e.httpClient(jar), email: email}
	e.idp.QueueUser(email, groups, true)
	resp := c.do("GET", "/auth/login?rd=/cases", "", nil)
	if resp.StatusCode != http.StatusOK && resp.Request.URL.Path != "/cases" {
		e.t.Fatalf("sign-in of %s ended with %d at %s", email, resp.StatusCode, resp.Request.URL)
	}
	r := c.do("GET", "/api/v1/user/current", "", nil)
	if r.StatusCode != http.StatusOK {
		e.t.Fatalf("after sign-in, user/current: %d %s", r.StatusCode, r.body)
	}
	c.csrf = r.Header.Get("X-CSRF-Token")
	return c
}

func (e *env) httpClient(jar http.CookieJar) *http.Client {
	return &http.Client{Jar: jar, Timeout: 30 * time.Second, Transport: &scanningTransport{scan: e.scan, next: http.DefaultTransport}}
}

// response is a received answer with its body read.
type response struct {
	*http.Response
	body []byte
}

// do sends a request to the portal (path may hold a query string).
func (c *client) do(method, path, contentType string, body io.Reader) *response {
	c.e.t.Helper()
	return c.doWith(method, path, contentType, body, nil)
}

// doWith sends a request with extra headers, set after the client's own.
func (c *client) doWith(method, path, contentType string, body io.Reader, headers map[string]string) *response {
	c.e.t.Helper()
	req, err := http.NewRequest(method, c.e.url+path, body)
	if err != nil {
		c.e.t.Fatal(err)
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
		c.e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return &response{Response: resp, body: data}
}

func (c *client) authorize(req *http.Request) {
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.csrf != "" && req.Method != http.MethodGet {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	req.Header.Set("User-Agent", "thehive4py/2.0.3")
}

func (c *client) getJSON(path string) *response { return c.do("GET", path, "", nil) }

func (c *client) postJSON(path, body string) *response {
	return c.do("POST", path, "application/json", strings.NewReader(body))
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// requirePart fails the test when CI is set and a part is missing, and
// skips it otherwise.
func requirePart(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is missing (CI must have it)", what)
	}
	t.Skipf("%s is missing", what)
}
