package oidctest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

var client = &http.Client{
	Timeout:       5 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// authorize runs the authorization endpoint and returns the code.
func authorize(t *testing.T, p *Provider, params url.Values) (string, *http.Response) {
	t.Helper()
	base := url.Values{
		"client_id": {p.ClientID}, "response_type": {"code"}, "scope": {"openid email groups"},
		"state": {"st"}, "redirect_uri": {"http://127.0.0.1:1/cb"},
	}
	for k, v := range params {
		base[k] = v
	}
	resp, err := client.Get(p.Issuer() + "/authorize?" + base.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	return loc.Query().Get("code"), resp
}

// exchange posts to the token endpoint with client_secret_basic.
func exchange(t *testing.T, p *Provider, code, verifier string) (int, map[string]any) {
	t.Helper()
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"redirect_uri": {"http://127.0.0.1:1/cb"}, "code_verifier": {verifier}}
	req, _ := http.NewRequest(http.MethodPost, p.Issuer()+"/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(p.ClientID), url.QueryEscape(p.ClientSecret))
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	b, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(b, &body)
	return resp.StatusCode, body
}

func TestMockOIDCValidatesPKCEAndReturnsNonce(t *testing.T) {
	p := Start(t)
	verifier := oauth2.GenerateVerifier()
	pkce := url.Values{"code_challenge": {oauth2.S256ChallengeFromVerifier(verifier)},
		"code_challenge_method": {"S256"}, "nonce": {"n-123"}}

	code, _ := authorize(t, p, pkce)
	if status, body := exchange(t, p, code, oauth2.GenerateVerifier()); status != http.StatusUnauthorized || body["error"] != "invalid_grant" {
		t.Fatalf("wrong verifier: got %d %v, want 401 invalid_grant", status, body["error"])
	}
	if status, _ := exchange(t, p, code, verifier); status != http.StatusUnauthorized {
		t.Fatalf("code reused after a failed exchange: got %d, want 401", status)
	}

	p.QueueUser("bob@example.com", []string{"g1"}, true)
	code, _ = authorize(t, p, pkce)
	status, body := exchange(t, p, code, verifier)
	if status != http.StatusOK {
		t.Fatalf("right verifier: got %d %v", status, body)
	}
	claims, err := decodePayload(body["id_token"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if claims["nonce"] != "n-123" || claims["email"] != "bob@example.com" || claims["email_verified"] != true {
		t.Errorf("id token claims = %v", claims)
	}
	if got := p.Hits(EndpointToken); got != 3 {
		t.Errorf("token hits = %d, want 3", got)
	}
	if reqs := p.AuthorizeRequests(); len(reqs) != 2 || reqs[0].Get("code_challenge_method") != "S256" {
		t.Errorf("authorize requests = %v", reqs)
	}
}

func TestAuthorizeRequiresPKCEAndNonce(t *testing.T) {
	for _, params := range []url.Values{
		{"nonce": {"n"}},
		{"nonce": {"n"}, "code_challenge": {"abc"}, "code_challenge_method": {"plain"}},
		{"code_challenge": {"abc"}, "code_challenge_method": {"S256"}},
	} {
		if _, resp := authorize(t, Start(t), params); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%v: got %d, want 400", params, resp.StatusCode)
		}
		if _, resp := authorize(t, Start(t, WithoutPKCECheck()), params); resp.StatusCode != http.StatusFound {
			t.Errorf("lenient %v: got %d, want 302", params, resp.StatusCode)
		}
	}
}

func TestMintedTokens(t *testing.T) {
	p := Start(t)
	ctx := oidc.ClientContext(context.Background(), client)
	provider, err := oidc.NewProvider(ctx, p.Issuer())
	if err != nil {
		t.Fatal(err)
	}
	v := provider.VerifierContext(ctx, &oidc.Config{ClientID: p.ClientID, SupportedSigningAlgs: []string{"RS256"}})
	c := Claims{Email: "a@example.com", Groups: []string{"g"}, EmailVerified: true}
	tok, err := v.Verify(ctx, p.Token(t, c))
	if err != nil {
		t.Fatalf("valid token rejected: %v", err)
	}
	var got struct {
		Email  string   `json:"email"`
		Groups []string `json:"groups"`
	}
	if err := tok.Claims(&got); err != nil || got.Email != "a@example.com" || len(got.Groups) != 1 {
		t.Errorf("claims = %+v, %v", got, err)
	}
	for name, raw := range map[string]string{
		"expired":       p.ExpiredToken(t, c),
		"wrong aud":     p.WrongAudienceToken(t, c),
		"other issuer":  p.OtherIssuerToken(t, c),
		"unknown kid":   p.TokenWithKID(t, c, "nope"),
		"other key":     p.TokenOtherKey(t, c),
		"alg none":      p.TokenAlgNone(t, c),
		"hs256 pub key": p.TokenHS256PublicKey(t, c),
	} {
		if _, err := v.Verify(ctx, raw); err == nil {
			t.Errorf("%s: verified, want an error", name)
		}
	}
	if raw := p.TokenOversized(t, c, 10000); len(raw) < 10000 {
		t.Errorf("oversized token has %d bytes", len(raw))
	}
}

func TestFailuresAndShutdown(t *testing.T) {
	p := Start(t)
	disc := p.Issuer() + "/.well-known/openid-configuration"
	get := func() int {
		resp, err := client.Get(disc)
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	p.FailNext(EndpointDiscovery, http.StatusBadGateway, "server_error")
	if got := get(); got != http.StatusBadGateway {
		t.Errorf("FailNext: got %d", got)
	}
	if got := get(); got != http.StatusOK {
		t.Errorf("after FailNext: got %d", got)
	}
	p.SetDown(true)
	if got := get(); got != http.StatusServiceUnavailable {
		t.Errorf("SetDown: got %d", got)
	}
	p.SetDown(false)
	if got := p.Hits(EndpointDiscovery); got != 3 {
		t.Errorf("hits = %d, want 3", got)
	}
	if err := p.Shutdown(); err != nil {
		t.Fatal(err)
	}
	if got := get(); got != 0 {
		t.Errorf("after Shutdown: got %d, want a connection error", got)
	}
}

func TestRotateKey(t *testing.T) {
	p := Start(t)
	old := p.KeyID()
	kid := p.RotateKey(t)
	resp, err := client.Get(p.Issuer() + "/.well-known/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if kid == old || !strings.Contains(string(b), kid) || strings.Contains(string(b), old) {
		t.Errorf("jwks after rotation = %s (old %s, new %s)", b, old, kid)
	}
}
