package auth

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/internal/oidctest"
)

// testClock is time.Now shifted by an offset tests can change while
// servers run.
type testClock struct{ offset atomic.Int64 }

func (c *testClock) Now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *testClock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

func testConfig(idp *oidctest.Provider, publicURL string) *config.Config {
	cfg := config.Default()
	cfg.PublicURL = publicURL
	cfg.OIDC.Issuer = idp.Issuer()
	cfg.OIDC.ClientID = idp.ClientID
	cfg.OIDC.ClientSecret = config.Secret(idp.ClientSecret)
	cfg.OIDC.Scopes = []string{"openid", "email", "profile", "groups"} // mockoidc sends groups only for "groups"
	cfg.OIDC.SigningAlgs = []string{"RS256"}
	cfg.Session.Secret = config.Secret(strings.Repeat("s", 32))
	return cfg
}

func testClient() *http.Client { return &http.Client{Timeout: 5 * time.Second} }

func mustNew(t *testing.T, cfg *config.Config) (*Auth, *testClock) {
	t.Helper()
	a, err := New(context.Background(), cfg, testClient())
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	clock := &testClock{}
	a.now = clock.Now
	return a, clock
}

// result is what the portal's callback handler saw.
type result struct {
	id       Identity
	returnTo string
	err      error
}

// portal is a minimal application around an Auth: /auth/login calls Begin
// with ?rd=, CallbackPath calls Finish and records the result.
type portal struct {
	idp   *oidctest.Provider
	auth  *Auth
	clock *testClock
	srv   *httptest.Server

	mu   sync.Mutex
	last *result
}

func newPortal(t *testing.T, mutate ...func(*config.Config)) *portal {
	t.Helper()
	p := &portal{idp: oidctest.Start(t)}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serveHTTP))
	t.Cleanup(p.srv.Close)
	cfg := testConfig(p.idp, p.srv.URL)
	for _, m := range mutate {
		m(cfg)
	}
	p.auth, p.clock = mustNew(t, cfg)
	return p
}

func (p *portal) serveHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/auth/login":
		if err := p.auth.Begin(w, r, r.URL.Query().Get("rd")); err != nil {
			http.Error(w, "begin failed", http.StatusInternalServerError)
		}
	case CallbackPath:
		id, returnTo, err := p.auth.Finish(w, r)
		p.mu.Lock()
		p.last = &result{id, returnTo, err}
		p.mu.Unlock()
		if err != nil {
			http.Error(w, "denied", http.StatusUnauthorized)
			return
		}
		_, _ = w.Write([]byte("signed in"))
	default:
		http.NotFound(w, r)
	}
}

// result returns the outcome of the last callback and forgets it.
func (p *portal) result(t *testing.T) result {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.last == nil {
		t.Fatal("the callback handler did not run")
	}
	r := *p.last
	p.last = nil
	return r
}

// browser is an http.Client with its own cookie jar. When stopAtCallback is
// set it does not follow the IdP's redirect back to the portal.
func newBrowser(t *testing.T, stopAtCallback bool) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar, Timeout: 5 * time.Second}
	if stopAtCallback {
		c.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
			if req.URL.Path == CallbackPath {
				return http.ErrUseLastResponse
			}
			return nil
		}
	}
	return c
}

// get fetches u with b and returns the response (body closed).
func get(t *testing.T, b *http.Client, u string) *http.Response {
	t.Helper()
	resp, err := b.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// startLogin runs /auth/login and the IdP in browser b (which must stop at
// the callback) and returns the callback URL the IdP sent it to.
func (p *portal) startLogin(t *testing.T, b *http.Client, rd string) *url.URL {
	t.Helper()
	resp := get(t, b, p.srv.URL+"/auth/login?rd="+url.QueryEscape(rd))
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("login: got %d, want 302 to the callback", resp.StatusCode)
	}
	u, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || u.Path != CallbackPath {
		t.Fatalf("login ended at %q", resp.Header.Get("Location"))
	}
	return u
}

// stateCookie returns the state cookie b holds for the portal, or nil.
func (p *portal) stateCookie(b *http.Client) *http.Cookie {
	u, _ := url.Parse(p.srv.URL)
	for _, c := range b.Jar.Cookies(u) {
		if c.Name == p.auth.cookieName {
			return c
		}
	}
	return nil
}

// withQuery returns u with key set to value (or removed when value is nil).
func withQuery(u *url.URL, key string, values ...string) string {
	c := *u
	q := c.Query()
	q.Del(key)
	for _, v := range values {
		q.Add(key, v)
	}
	c.RawQuery = q.Encode()
	return c.String()
}
