package proxy

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/thehive-portal/thehive-portal/internal/oidctest"
	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
)

// TestSessionFixation: a cookie planted before sign-in is not reused; a new
// id is minted and the planted one authenticates nothing.
func TestSessionFixation(t *testing.T) {
	e := newEnv(t)
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(e.url)
	planted := "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	jar.SetCookies(u, []*http.Cookie{{Name: "portal", Value: planted, Path: "/"}})
	c := &client{e: e, http: e.httpClient(jar), email: thehivetest.AliceEmail}
	e.idp.QueueUser(thehivetest.AliceEmail, nil, true)
	c.do("GET", "/auth/login", "", nil)
	var got string
	for _, ck := range jar.Cookies(u) {
		if ck.Name == "portal" {
			got = ck.Value
		}
	}
	if got == "" || got == planted {
		t.Fatalf("session id after sign-in: %q", got)
	}
	// A second sign-in gets yet another id and the first one ends.
	e.idp.QueueUser(thehivetest.AliceEmail, nil, true)
	c.do("GET", "/auth/login", "", nil)
	for _, ck := range jar.Cookies(u) {
		if ck.Name == "portal" && ck.Value == got {
			t.Error("sign-in reused the session id")
		}
	}
	old := &client{e: e, http: e.httpClient(nil)}
	if r := old.doWith("GET", "/api/v1/user/current", "", nil, map[string]string{"Cookie": "portal=" + got}); r.StatusCode != 401 {
		t.Errorf("the replaced session still works: %d", r.StatusCode)
	}
}

// TestCSRF: cookie-authenticated writes need the session's token and a
// same-origin request; logout too.
func TestCSRF(t *testing.T) {
	e := newEnv(t)
	c := e.browser(thehivetest.AliceEmail)
	path := "/api/v1/case/" + thehivetest.CaseUserTagID + "/comment"
	token := c.csrf
	for name, h := range map[string]map[string]string{
		"no token":     {"X-CSRF-Token": ""},
		"wrong token":  {"X-CSRF-Token": wrongToken(token)},
		"cross origin": {"Origin": "https://evil.example"},
		"cross site":   {"Sec-Fetch-Site": "cross-site"},
	} {
		r := c.doWith("POST", path, "application/json", strings.NewReader(`{"message":"csrf"}`), h)
		if r.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %d %s", name, r.StatusCode, r.body)
		}
	}
	if r := c.doWith("POST", "/auth/logout", "", nil, map[string]string{"X-CSRF-Token": ""}); r.StatusCode != http.StatusForbidden {
		t.Errorf("logout without token: %d", r.StatusCode)
	}
	if r := c.postJSON(path, `{"message":"same origin with token"}`); r.StatusCode != http.StatusCreated {
		t.Errorf("a proper write failed: %d %s", r.StatusCode, r.body)
	}
	if r := c.do("POST", "/auth/logout", "", nil); r.Request.URL.Path != "/" || r.StatusCode == http.StatusForbidden {
		t.Errorf("logout: %d at %s", r.StatusCode, r.Request.URL)
	}
	if r := c.getJSON("/api/v1/user/current"); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("after logout: %d", r.StatusCode)
	}
}

// TestOpenRedirect: only relative return paths survive sign-in.
func TestOpenRedirect(t *testing.T) {
	e := newEnv(t)
	for _, rd := range []string{"//evil.example", "https://evil.example/", "/\\evil.example", "/%2F%2Fevil.example",
		"javascript:alert(1)", "\\\\evil.example", "/ok/../../evil"} {
		jar, _ := cookiejar.New(nil)
		c := &client{e: e, http: e.httpClient(jar)}
		c.http.CheckRedirect = func(req *http.Request, via []*http.Request) error {
			if req.URL.Host != "" && !strings.HasPrefix(req.URL.String(), e.url) && !strings.HasPrefix(req.URL.String(), e.idp.Issuer()) {
				t.Errorf("rd=%q redirected to %s", rd, req.URL)
				return http.ErrUseLastResponse
			}
			return nil
		}
		e.idp.QueueUser(thehivetest.AliceEmail, nil, true)
		r := c.do("GET", "/auth/login?rd="+url.QueryEscape(rd), "", nil)
		if r.Request.URL.Path != "/" {
			t.Errorf("rd=%q ended at %s", rd, r.Request.URL)
		}
	}
}

// TestCallbackWithoutState: a forged callback is refused before any code
// exchange.
func TestCallbackWithoutState(t *testing.T) {
	e := newEnv(t)
	c := &client{e: e, http: e.httpClient(nil)}
	before := e.idp.Hits(oidctest.EndpointToken)
	r := c.do("GET", "/auth/callback?code=stolen&state=forged", "", nil)
	if r.StatusCode != http.StatusUnauthorized || e.idp.Hits(oidctest.EndpointToken) != before {
		t.Errorf("forged callback: %d, token endpoint hits %d → %d", r.StatusCode, before, e.idp.Hits(oidctest.EndpointToken))
	}
}
