package auth

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/internal/oidctest"
)

func TestSignInFlow(t *testing.T) {
	p := newPortal(t)
	p.idp.QueueUser("Alice.Partner@Example.COM", []string{"partner-a", "readers"}, true)
	b := newBrowser(t, false)

	resp := get(t, b, p.srv.URL+"/auth/login?rd="+url.QueryEscape("/cases/~100?tab=comments"))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("flow ended with %d", resp.StatusCode)
	}
	r := p.result(t)
	if r.err != nil {
		t.Fatalf("Finish: %v", r.err)
	}
	want := Identity{Subject: "sub-Alice.Partner@Example.COM", Issuer: p.idp.Issuer(),
		Email: "alice.partner@example.com", Groups: []string{"partner-a", "readers"}, EmailVerified: true}
	got := r.id
	if got.Subject != want.Subject || got.Issuer != want.Issuer || got.Email != want.Email ||
		!slices.Equal(got.Groups, want.Groups) || !got.EmailVerified || got.Expiry.Before(time.Now()) {
		t.Errorf("identity = %+v, want %+v", got, want)
	}
	if r.returnTo != "/cases/~100?tab=comments" {
		t.Errorf("returnTo = %q", r.returnTo)
	}

	reqs := p.idp.AuthorizeRequests()
	if len(reqs) != 1 {
		t.Fatalf("%d authorize requests", len(reqs))
	}
	q := reqs[0]
	for key, want := range map[string]string{
		"response_type": "code", "client_id": p.idp.ClientID, "code_challenge_method": "S256",
		"redirect_uri": p.srv.URL + CallbackPath, "scope": "openid email profile groups",
	} {
		if q.Get(key) != want {
			t.Errorf("authorize %s = %q, want %q", key, q.Get(key), want)
		}
	}
	for _, key := range []string{"state", "nonce", "code_challenge"} {
		if len(q.Get(key)) != 43 { // 32 random bytes or a SHA-256, base64url
			t.Errorf("authorize %s = %q, want 43 characters", key, q.Get(key))
		}
	}
	if q.Has("code_verifier") || q.Get("state") == q.Get("nonce") {
		t.Errorf("authorize request leaks the verifier or reuses the state: %v", q)
	}
	if hits := p.idp.Hits(oidctest.EndpointToken); hits != 1 {
		t.Errorf("token endpoint hits = %d, want 1", hits)
	}
	if c := p.stateCookie(b); c != nil {
		t.Errorf("state cookie left in the browser: %v", c)
	}
}

func TestBeginCookieAndRedirect(t *testing.T) {
	idp := oidctest.Start(t)
	for _, tc := range []struct {
		publicURL, name string
		secure          bool
	}{
		{"https://portal.example", "__Host-portal-auth", true},
		{"http://127.0.0.1:8080", "portal-auth", false},
	} {
		a, _ := mustNew(t, testConfig(idp, tc.publicURL))
		req := httptest.NewRequest(http.MethodGet, "http://evil.example/auth/login", nil)
		req.Header.Set("X-Forwarded-Host", "evil.example")
		rec := httptest.NewRecorder()
		if err := a.Begin(rec, req, "//evil.example"); err != nil {
			t.Fatal(err)
		}
		resp := rec.Result()
		cookies := resp.Cookies()
		if resp.StatusCode != http.StatusFound || len(cookies) != 1 {
			t.Fatalf("%s: status %d, cookies %v", tc.publicURL, resp.StatusCode, cookies)
		}
		c := cookies[0]
		if c.Name != tc.name || c.Secure != tc.secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode ||
			c.Path != "/" || c.Domain != "" || c.MaxAge != 600 {
			t.Errorf("%s: cookie %+v", tc.publicURL, c)
		}
		loc, _ := url.Parse(resp.Header.Get("Location"))
		q := loc.Query()
		if !strings.HasPrefix(loc.String(), idp.Issuer()+"/authorize?") ||
			q.Get("redirect_uri") != tc.publicURL+CallbackPath {
			t.Errorf("%s: redirect to %s", tc.publicURL, loc)
		}
		if strings.Contains(c.Value, q.Get("state")) || strings.Contains(c.Value, q.Get("nonce")) {
			t.Errorf("%s: cookie shows the state or nonce in clear", tc.publicURL)
		}
		st, err := a.open(c.Value)
		if err != nil || st.State != q.Get("state") || st.Nonce != q.Get("nonce") || st.ReturnTo != "/" {
			t.Errorf("%s: sealed state %+v, %v", tc.publicURL, st, err)
		}
		if resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q", tc.publicURL, resp.Header.Get("Cache-Control"))
		}
	}
}

// TestCallbackRefusedBeforeExchange: every broken callback fails, clears
// the state cookie and never reaches the token endpoint.
func TestCallbackRefusedBeforeExchange(t *testing.T) {
	p := newPortal(t)
	other, _ := mustNew(t, testConfig(p.idp, p.srv.URL))
	other.aead, _ = stateAEAD(strings.Repeat("o", 32))

	tests := []struct {
		name string
		// run drives a browser and returns the callback URL to visit with it.
		run  func(t *testing.T) (*http.Client, string)
		want error
	}{
		{"no cookie", func(t *testing.T) (*http.Client, string) {
			u := p.startLogin(t, newBrowser(t, true), "/")
			return newBrowser(t, true), u.String()
		}, ErrNoState},
		{"wrong state", func(t *testing.T) (*http.Client, string) {
			b := newBrowser(t, true)
			return b, withQuery(p.startLogin(t, b, "/"), "state", "forged")
		}, ErrStateMismatch},
		{"no state parameter", func(t *testing.T) (*http.Client, string) {
			b := newBrowser(t, true)
			return b, withQuery(p.startLogin(t, b, "/"), "state")
		}, ErrStateMismatch},
		{"state parameter twice", func(t *testing.T) (*http.Client, string) {
			b := newBrowser(t, true)
			u := p.startLogin(t, b, "/")
			s := u.Query().Get("state")
			return b, withQuery(u, "state", s, s)
		}, ErrStateMismatch},
		{"callback of another browser (login CSRF)", func(t *testing.T) (*http.Client, string) {
			victim, attacker := newBrowser(t, true), newBrowser(t, true)
			p.startLogin(t, victim, "/")
			return victim, p.startLogin(t, attacker, "/").String()
		}, ErrStateMismatch},
		{"tampered cookie", func(t *testing.T) (*http.Client, string) {
			b := newBrowser(t, true)
			u := p.startLogin(t, b, "/")
			c := p.stateCookie(b)
			v := []byte(c.Value)
			v[len(v)/2] ^= 1
			b.Jar.SetCookies(u, []*http.Cookie{{Name: c.Name, Value: string(v), Path: "/"}})
			return b, u.String()
		}, ErrStateInvalid},
		{"cookie sealed with another secret", func(t *testing.T) (*http.Client, string) {
			b := newBrowser(t, true)
			u := p.startLogin(t, b, "/")
			v, _ := other.seal(flowState{State: u.Query().Get("state"), Nonce: "n", Verifier: "v", Created: time.Now().Unix()})
			b.Jar.SetCookies(u, []*http.Cookie{{Name: p.auth.cookieName, Value: v, Path: "/"}})
			return b, u.String()
		}, ErrStateInvalid},
		{"expired cookie", func(t *testing.T) (*http.Client, string) {
			b := newBrowser(t, true)
			u := p.startLogin(t, b, "/")
			p.clock.Advance(stateTTL + time.Second)
			t.Cleanup(func() { p.clock.Advance(-stateTTL - time.Second) })
			return b, u.String()
		}, ErrStateExpired},
		{"no code", func(t *testing.T) (*http.Client, string) {
			b := newBrowser(t, true)
			return b, withQuery(p.startLogin(t, b, "/"), "code")
		}, ErrNoCode},
		{"IdP error", func(t *testing.T) (*http.Client, string) {
			b := newBrowser(t, true)
			u := p.startLogin(t, b, "/")
			u.RawQuery = url.Values{"error": {"access_denied"}, "error_description": {"<script>x</script>"},
				"state": {u.Query().Get("state")}}.Encode()
			return b, u.String()
		}, ErrIdP},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, callback := tc.run(t)
			before := p.idp.Hits(oidctest.EndpointToken)
			resp := get(t, b, callback)
			r := p.result(t)
			if !errors.Is(r.err, tc.want) {
				t.Errorf("err = %v, want %v", r.err, tc.want)
			}
			if hits := p.idp.Hits(oidctest.EndpointToken); hits != before {
				t.Errorf("token endpoint hit %d times, want none", hits-before)
			}
			if !slices.ContainsFunc(resp.Cookies(), func(c *http.Cookie) bool {
				return c.Name == p.auth.cookieName && c.MaxAge < 0
			}) {
				t.Errorf("response does not delete the state cookie: %v", resp.Header["Set-Cookie"])
			}
			if r.err != nil && strings.Contains(r.err.Error(), "script") {
				t.Errorf("error text carries the IdP description: %v", r.err)
			}
		})
	}
}

func TestIdPErrorCodeIsCleaned(t *testing.T) {
	p := newPortal(t)
	get(t, newBrowser(t, true), p.srv.URL+CallbackPath+"?error="+url.QueryEscape("x\"\n{evil}"))
	var e *IdPError
	if r := p.result(t); !errors.As(r.err, &e) || e.Code != "invalid" {
		t.Errorf("err = %v, want IdPError with code invalid", r.err)
	}
}

// TestCallbackReplay: a callback URL works once. Replayed in the same
// browser the state cookie is gone; replayed with a copy of the cookie the
// IdP refuses the used code.
func TestCallbackReplay(t *testing.T) {
	p := newPortal(t)
	b := newBrowser(t, true)
	u := p.startLogin(t, b, "/x")
	saved := p.stateCookie(b)
	if resp := get(t, b, u.String()); resp.StatusCode != http.StatusOK {
		t.Fatalf("first callback: %d (%v)", resp.StatusCode, p.result(t).err)
	}
	if r := p.result(t); r.err != nil || r.returnTo != "/x" {
		t.Fatalf("first callback: %+v", r)
	}
	get(t, b, u.String())
	if r := p.result(t); !errors.Is(r.err, ErrNoState) {
		t.Errorf("replay: err = %v, want ErrNoState", r.err)
	}
	b.Jar.SetCookies(u, []*http.Cookie{{Name: saved.Name, Value: saved.Value, Path: "/"}})
	get(t, b, u.String())
	var e *ExchangeError
	if r := p.result(t); !errors.As(r.err, &e) || e.Code != "invalid_grant" || strings.Contains(e.Error(), u.Query().Get("code")) {
		t.Errorf("replay with a copied cookie: err = %v, want ExchangeError invalid_grant without the code", r.err)
	}
}

func TestIDTokenChecks(t *testing.T) {
	tests := []struct {
		name    string
		rewrite func(map[string]any)
		want    error
	}{
		{"nonce mismatch", func(c map[string]any) { c["nonce"] = "other" }, ErrNonce},
		{"nonce missing", func(c map[string]any) { delete(c, "nonce") }, ErrNonce},
		{"other audience", func(c map[string]any) { c["aud"] = []string{"other-client"} }, ErrTokenInvalid},
		{"azp of another client", func(c map[string]any) { c["azp"] = "other-client" }, ErrTokenInvalid},
		{"other issuer", func(c map[string]any) { c["iss"] = "https://evil.example" }, ErrTokenInvalid},
		{"expired", func(c map[string]any) { c["exp"] = time.Now().Add(-time.Minute).Unix() }, ErrTokenExpired},
		{"email not verified", func(c map[string]any) { delete(c, "email_verified") }, ErrEmailNotVerified},
		{"no email", func(c map[string]any) { delete(c, "email") }, ErrNoEmail},
		{"azp is the client", func(c map[string]any) { c["azp"] = c["aud"].([]any)[0] }, nil},
	}
	p := newPortal(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p.idp.RewriteNextIDToken(tc.rewrite)
			get(t, newBrowser(t, false), p.srv.URL+"/auth/login")
			if r := p.result(t); !errors.Is(r.err, tc.want) || (tc.want == nil) != (r.err == nil) {
				t.Errorf("err = %v, want %v", r.err, tc.want)
			}
		})
	}
}

func TestExchangeFailures(t *testing.T) {
	p := newPortal(t)
	p.idp.FailNext(oidctest.EndpointToken, http.StatusBadRequest, "invalid_grant")
	get(t, newBrowser(t, false), p.srv.URL+"/auth/login")
	var e *ExchangeError
	if r := p.result(t); !errors.As(r.err, &e) || e.Status != 400 || e.Code != "invalid_grant" {
		t.Errorf("err = %v, want ExchangeError 400 invalid_grant", r.err)
	}

	b := newBrowser(t, true)
	u := p.startLogin(t, b, "/")
	p.idp.SetDown(true)
	get(t, b, u.String())
	if r := p.result(t); !errors.Is(r.err, ErrExchange) {
		t.Errorf("IdP down at exchange: err = %v, want ErrExchange", r.err)
	}
}

func TestUnverifiedEmailAllowedWhenConfigured(t *testing.T) {
	p := newPortal(t, func(c *config.Config) { f := false; c.OIDC.RequireVerifiedEmail = &f })
	p.idp.QueueUser("bob@example.com", nil, false)
	get(t, newBrowser(t, false), p.srv.URL+"/auth/login")
	if r := p.result(t); r.err != nil || r.id.EmailVerified || r.id.Email != "bob@example.com" || r.id.Groups != nil {
		t.Errorf("result = %+v", r)
	}
}
