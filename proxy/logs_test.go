package proxy

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
)

// idpRecorder records the secrets the portal exchanges with the IdP: the
// authorization code and PKCE verifier it sends, the tokens it gets.
type idpRecorder struct {
	mu      sync.Mutex
	secrets []string
}

func (r *idpRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		body, _ := io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		r.add(form.Get("code"), form.Get("code_verifier"), form.Get("client_secret"))
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil || !strings.HasSuffix(req.URL.Path, "/token") {
		return resp, err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var tok map[string]any
	_ = json.Unmarshal(body, &tok)
	for _, k := range []string{"access_token", "id_token", "refresh_token"} {
		if s, ok := tok[k].(string); ok {
			r.add(s)
		}
	}
	return resp, nil
}

func (r *idpRecorder) add(vs ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, v := range vs {
		if len(v) >= 8 {
			r.secrets = append(r.secrets, v)
		}
	}
}

// TestLogsHoldNoSecrets runs a full browser sign-in, API calls by cookie
// and by bearer token, a refused token, a webhook and a sign-out, with
// logs at debug level, then checks that the log holds none of the
// secrets: tokens, the session cookie, the CSRF token, the authorization
// code, state and PKCE values, the API key, the client, session and
// webhook secrets.
func TestLogsHoldNoSecrets(t *testing.T) {
	rec := &idpRecorder{}
	e := newEnv(t, withIdPTransport(rec))
	alice := e.browser(thehivetest.AliceEmail)
	alice.getJSON("/api/v1/case/" + thehivetest.CaseUserTagID)
	alice.postJSON("/api/v1/case/"+thehivetest.CaseUserTagID+"/comment", `{"message":"hello"}`)
	alice.postJSON("/api/v1/case/"+thehivetest.CaseInternalID+"/comment", `{"message":"denied"}`)
	bob := e.bearer(thehivetest.BobEmail)
	bob.getJSON("/api/v1/user/current")
	bob.getJSON("/api/v1/case/" + thehivetest.CaseInternalID)
	forged := bob.token[:len(bob.token)-8] + "AAAAAAAA"
	(&client{e: e, http: e.httpClient(nil), token: forged}).getJSON("/api/v1/user/current")
	hook, _ := http.NewRequest("POST", e.url+"/hooks/thehive", strings.NewReader(`{"objectType":"Case","objectId":"~42001","rootId":"~42001"}`))
	hook.Header.Set("Authorization", "Bearer "+e.secret)
	if resp, err := http.DefaultClient.Do(hook); err == nil {
		resp.Body.Close()
	}

	secrets := append([]string{}, rec.secrets...)
	secrets = append(secrets, bob.token, forged, alice.csrf, sessionCookie(t, e, alice), thehivetest.ServiceKey,
		e.idp.ClientSecret, e.cfg.Session.Secret.Reveal(), e.secret)
	for _, q := range e.idp.AuthorizeRequests() {
		secrets = append(secrets, q.Get("state"), q.Get("nonce"), q.Get("code_challenge"))
	}
	alice.postJSON("/auth/logout", "")

	logs := e.logs.String()
	for _, want := range []string{`"msg":"request"`, `"msg":"audit"`, `"request_id":`} {
		if !strings.Contains(logs, want) {
			t.Fatalf("the log has no %s line: the test saw nothing", want)
		}
	}
	if len(rec.secrets) < 3 {
		t.Fatalf("recorded only %d IdP secrets", len(rec.secrets))
	}
	for _, s := range secrets {
		if s == "" {
			t.Fatal("an empty secret: the test lost one")
		}
		if strings.Contains(logs, s) {
			t.Errorf("the log holds a secret: %.12s…", s)
		}
	}
}

// sessionCookie returns the browser's session cookie value.
func sessionCookie(t *testing.T, e *env, c *client) string {
	t.Helper()
	u, _ := url.Parse(e.url)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == e.srv.cookieName() {
			return ck.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}
