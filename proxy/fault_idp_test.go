package proxy

import (
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"

	"github.com/thehive-portal/thehive-portal/internal/oidctest"
	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
)

// startSignIn runs a browser's sign-in up to the IdP's redirect back to the
// portal and returns the client (holding the portal's state cookie) and the
// callback URL, not yet visited.
func (e *env) startSignIn(email string, groups ...string) (*client, string) {
	e.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &client{e: e, http: e.httpClient(jar), email: email}
	c.http.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
		if strings.HasPrefix(req.URL.String(), e.url+"/auth/callback") {
			return http.ErrUseLastResponse
		}
		return nil
	}
	e.idp.QueueUser(email, groups, true)
	r := c.do("GET", "/auth/login?rd=/cases", "", nil)
	loc := r.Header.Get("Location")
	if r.StatusCode/100 != 3 || !strings.HasPrefix(loc, e.url+"/auth/callback?") {
		e.t.Fatalf("sign-in did not reach the callback: %d %q", r.StatusCode, loc)
	}
	return c, strings.TrimPrefix(loc, e.url)
}

// checkIdPDownPage checks the answer to a sign-in that could not reach the
// IdP: a 503 HTML page that says the sign-in service is unavailable, and
// no session.
func checkIdPDownPage(t *testing.T, what string, c *client, r *response, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if r.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("%s: %d, want 503", what, r.StatusCode)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("%s: content type %q, want a page", what, ct)
	}
	if !strings.Contains(string(r.body), "Sign-in is unavailable") {
		t.Errorf("%s: the page does not say the sign-in is unavailable: %s", what, short(string(r.body)))
	}
	if got := c.getJSON("/api/v1/user/current"); got.StatusCode != http.StatusUnauthorized {
		t.Errorf("%s: a session exists after all: %d", what, got.StatusCode)
	}
}

// TestFaultIdPDown: with the IdP answering 503 (SetDown) and later with its
// port closed (Shutdown), existing browser sessions keep working until they
// expire, bearer tokens signed by already fetched keys still verify, and a
// new sign-in ends on a clear 503 page (HTML) instead of a sign-in loop.
func TestFaultIdPDown(t *testing.T) {
	base := newEnv(t)
	var clk clock
	e := base.clone(nil, clk.now)
	jane := e.bearer(thehivetest.JaneEmail)
	browser := e.browser(thehivetest.JaneEmail)
	caseURL := "/api/v1/case/" + thehivetest.Case42ID
	if r := jane.getJSON(caseURL); r.StatusCode != http.StatusOK { // fetches the keys
		t.Fatalf("bearer before: %d %s", r.StatusCode, r.body)
	}
	pending, callback := e.startSignIn(thehivetest.AliceEmail)

	works := func(phase string) {
		t.Helper()
		if r := browser.getJSON(caseURL); r.StatusCode != http.StatusOK {
			t.Errorf("%s: existing session: %d %s", phase, r.StatusCode, r.body)
		}
		if r, err := browser.page("/cases/" + thehivetest.Case42ID); err != nil || r.StatusCode != http.StatusOK {
			t.Errorf("%s: existing session's page: %v %v", phase, err, r)
		}
		if r := browser.postJSON("/api/v1/case/"+thehivetest.Case42ID+"/comment", `{"message":"during the IdP outage"}`); r.StatusCode != http.StatusCreated {
			t.Errorf("%s: existing session's write: %d %s", phase, r.StatusCode, r.body)
		}
		if r := jane.getJSON(caseURL); r.StatusCode != http.StatusOK {
			t.Errorf("%s: bearer token with a known key: %d %s", phase, r.StatusCode, r.body)
		}
		if r := jane.getJSON("/api/v1/case/" + thehivetest.Case41ID); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s: hidden case: %d", phase, r.StatusCode)
		}
	}

	// The IdP answers 503 to everything.
	e.idp.SetDown(true)
	works("idp 503")
	r, err := pending.page(callback)
	checkIdPDownPage(t, "callback with the IdP answering 503", pending, r, err)
	// A token signed by a key the portal has not fetched cannot be checked:
	// refused, never accepted.
	newKey := e.bearer(thehivetest.JaneEmail)
	newKey.token = e.idp.TokenOtherKey(t, oidctest.Claims{Subject: "sub-x", Email: thehivetest.JaneEmail, EmailVerified: true})
	if r := newKey.getJSON(caseURL); r.StatusCode == http.StatusOK || r.StatusCode >= 500 && r.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("token with an unknown key, IdP down: %d %s", r.StatusCode, r.body)
	} else {
		t.Logf("token with an unknown key, IdP down: %d", r.StatusCode)
	}

	// Back up: sign-ins work again, without a portal restart.
	e.idp.SetDown(false)
	second := e.browser(thehivetest.AliceEmail)
	pending, callback = e.startSignIn(thehivetest.AliceEmail)

	// The IdP's port closed: no answer at all.
	if err := e.idp.Shutdown(); err != nil {
		t.Fatal(err)
	}
	works("idp gone")
	if r := second.getJSON("/api/v1/case/" + thehivetest.CaseUserTagID); r.StatusCode != http.StatusOK {
		t.Errorf("idp gone: second session: %d %s", r.StatusCode, r.body)
	}
	r, err = pending.page(callback)
	checkIdPDownPage(t, "callback with the IdP gone", pending, r, err)
	if _, err := e.httpClient(nil).Get(e.idp.Issuer() + "/.well-known/openid-configuration"); err == nil {
		t.Fatal("the IdP still answers; the test proves nothing")
	}

	// Sessions still end when they expire (idle TTL, then absolute TTL),
	// IdP or not: a 401, and the page offers to sign in.
	clk.advance(e.cfg.Session.IdleTTL + time.Minute)
	if r := browser.getJSON(caseURL); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("expired session with the IdP gone: %d %s", r.StatusCode, r.body)
	}
	if r, err := second.page("/cases"); err != nil || r.StatusCode != http.StatusUnauthorized || !strings.Contains(string(r.body), "Sign in") {
		t.Errorf("expired session's page: %v %v", err, r)
	}
	if r := jane.getJSON(caseURL); r.StatusCode != http.StatusOK {
		t.Errorf("bearer after the sessions expired: %d", r.StatusCode)
	}
}
