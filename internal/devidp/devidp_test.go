package devidp

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
)

var sample = []User{
	{Email: "reader@northwind.example.com", Name: "Rita Reader", Groups: []string{"portal-readers"}, About: "reader"},
	{Email: "carl@contoso.example.com", Name: "Carl <b>Contoso</b>", About: "another client"},
}

const verifier = "a-code-verifier-that-is-long-enough-for-pkce-0123456789"

func startIdP(t *testing.T) *Provider {
	t.Helper()
	p, err := Start("127.0.0.1:0", sample)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	return p
}

// authParams is an authorization request as the portal sends it.
func authParams(p *Provider, scope string) url.Values {
	sum := sha256.Sum256([]byte(verifier))
	return url.Values{
		"client_id": {p.ClientID}, "response_type": {"code"}, "scope": {scope},
		"redirect_uri": {"http://127.0.0.1:1/auth/callback"}, "state": {"st"}, "nonce": {"n0"},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"},
	}
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// choose posts the sign-in page back with a user and returns the code.
func choose(t *testing.T, p *Provider, params url.Values, email string) (int, string) {
	t.Helper()
	form := url.Values{loginField: {email}}
	for k, v := range params {
		form[k] = v
	}
	resp, err := noRedirect.PostForm(p.SignInURL(), form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if loc == nil {
		return resp.StatusCode, ""
	}
	return resp.StatusCode, loc.Query().Get("code")
}

func TestSignInPageListsUsersEscaped(t *testing.T) {
	p := startIdP(t)
	resp, err := http.Get(p.SignInURL() + "?" + authParams(p, "openid email groups").Encode())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(body)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("page: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{"Rita Reader", "reader@northwind.example.com", "portal-readers",
		`name="login_as" value="carl@contoso.example.com"`, "Carl &lt;b&gt;Contoso&lt;/b&gt;", `name="nonce" value="n0"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestChosenUserGetsVerifiedToken(t *testing.T) {
	p := startIdP(t)
	status, code := choose(t, p, authParams(p, "openid email groups"), sample[0].Email)
	if status != http.StatusFound || code == "" {
		t.Fatalf("choose: %d code %q", status, code)
	}
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "code_verifier": {verifier},
		"redirect_uri": {"http://127.0.0.1:1/auth/callback"}}
	req, _ := http.NewRequest("POST", strings.TrimSuffix(p.Issuer(), "/oidc")+"/oidc/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(p.ClientID), url.QueryEscape(p.ClientSecret))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		IDToken string `json:"id_token"`
	}
	decodeJSON(t, resp, &tok)
	ctx := context.Background()
	op, err := oidc.NewProvider(ctx, p.Issuer())
	if err != nil {
		t.Fatal(err)
	}
	idt, err := op.Verifier(&oidc.Config{ClientID: p.ClientID}).Verify(ctx, tok.IDToken)
	if err != nil {
		t.Fatal(err)
	}
	var claims struct {
		Email    string   `json:"email"`
		Verified bool     `json:"email_verified"`
		Groups   []string `json:"groups"`
		Nonce    string   `json:"nonce"`
	}
	if err := idt.Claims(&claims); err != nil {
		t.Fatal(err)
	}
	if claims.Email != sample[0].Email || !claims.Verified || len(claims.Groups) != 1 || claims.Nonce != "n0" {
		t.Errorf("claims: %+v", claims)
	}
}

func TestRefusals(t *testing.T) {
	p := startIdP(t)
	noPKCE := authParams(p, "openid email")
	noPKCE.Del("code_challenge_method")
	if status, _ := choose(t, p, noPKCE, sample[0].Email); status != http.StatusBadRequest {
		t.Errorf("without PKCE: %d", status)
	}
	if status, _ := choose(t, p, authParams(p, "openid email"), "nobody@example.com"); status != http.StatusBadRequest {
		t.Errorf("unknown user: %d", status)
	}
	// mockoidc refuses an unknown scope after the user was queued: the
	// queued user must not sign in the next request.
	if status, _ := choose(t, p, authParams(p, "openid admin"), sample[1].Email); status != http.StatusBadRequest {
		t.Errorf("bad scope: %d", status)
	}
	p.m.UserQueue.Lock()
	queued := len(p.m.UserQueue.Queue)
	p.m.UserQueue.Unlock()
	if queued != 0 {
		t.Errorf("a refused request left a queued user")
	}
	if _, err := Start("0.0.0.0:0", sample); err == nil {
		t.Error("a non-loopback address was accepted")
	}
}

func decodeJSON(t *testing.T, resp *http.Response, v any) {
	t.Helper()
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatal(err)
	}
}
