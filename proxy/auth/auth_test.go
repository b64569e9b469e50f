package auth

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/internal/oidctest"
)

func TestNewFailsWhenIdPUnavailable(t *testing.T) {
	down := oidctest.Start(t)
	cfgDown := testConfig(down, "http://127.0.0.1:1")
	if err := down.Shutdown(); err != nil {
		t.Fatal(err)
	}

	failing := oidctest.Start(t)
	failing.FailNext(oidctest.EndpointDiscovery, http.StatusServiceUnavailable, "temporarily_unavailable")

	other := oidctest.Start(t)
	mismatch := testConfig(other, "http://127.0.0.1:1")
	mismatch.OIDC.Issuer += "/"

	done := make(chan struct{})
	hanging := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-done }))
	t.Cleanup(hanging.Close)
	t.Cleanup(func() { close(done) })
	slow := testConfig(other, "http://127.0.0.1:1")
	slow.OIDC.Issuer = hanging.URL

	for name, cfg := range map[string]*config.Config{
		"shut down":       cfgDown,
		"discovery error": testConfig(failing, "http://127.0.0.1:1"),
		"issuer mismatch": mismatch,
		"hanging":         slow,
	} {
		client := &http.Client{Timeout: 300 * time.Millisecond}
		if a, err := New(context.Background(), cfg, client); err == nil || a != nil {
			t.Errorf("%s: New = %v, %v; want an error", name, a, err)
		}
	}
}

func TestNewRefusesBadInputs(t *testing.T) {
	idp := oidctest.Start(t)
	tests := map[string]func(*config.Config, **http.Client){
		"nil client":        func(_ *config.Config, c **http.Client) { *c = nil },
		"client no timeout": func(_ *config.Config, c **http.Client) { *c = &http.Client{} },
		"alg none":          func(c *config.Config, _ **http.Client) { c.OIDC.SigningAlgs = []string{"RS256", "none"} },
		"alg HS256":         func(c *config.Config, _ **http.Client) { c.OIDC.SigningAlgs = []string{"HS256"} },
		"no algs":           func(c *config.Config, _ **http.Client) { c.OIDC.SigningAlgs = nil },
		"short secret":      func(c *config.Config, _ **http.Client) { c.Session.Secret = "short" },
		"no client secret":  func(c *config.Config, _ **http.Client) { c.OIDC.ClientSecret = "" },
		"relative public":   func(c *config.Config, _ **http.Client) { c.PublicURL = "/portal" },
		"no openid scope":   func(c *config.Config, _ **http.Client) { c.OIDC.Scopes = []string{"email"} },
		"no cooldown":       func(c *config.Config, _ **http.Client) { c.OIDC.KeysRefetchCooldown = 0 },
	}
	for name, mutate := range tests {
		cfg, client := testConfig(idp, "http://127.0.0.1:1"), testClient()
		mutate(cfg, &client)
		if _, err := New(context.Background(), cfg, client); err == nil || !strings.HasPrefix(err.Error(), "auth: ") {
			t.Errorf("%s: err = %v, want an auth: error", name, err)
		}
	}
	if hits := idp.Hits(oidctest.EndpointDiscovery); hits != 0 {
		t.Errorf("bad inputs reached the IdP %d times", hits)
	}
	if _, err := New(context.Background(), nil, testClient()); err == nil {
		t.Error("nil config accepted")
	}
}

func TestAuthStyle(t *testing.T) {
	for _, tc := range []struct {
		methods []string
		want    oauth2.AuthStyle
	}{
		{nil, oauth2.AuthStyleInHeader},
		{[]string{"client_secret_post", "client_secret_basic"}, oauth2.AuthStyleInHeader},
		{[]string{"client_secret_post"}, oauth2.AuthStyleInParams},
		{[]string{"private_key_jwt"}, oauth2.AuthStyleAutoDetect},
	} {
		if got := authStyle(tc.methods); got != tc.want {
			t.Errorf("authStyle(%v) = %v, want %v", tc.methods, got, tc.want)
		}
	}
}
