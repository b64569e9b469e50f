package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/thehive-portal/thehive-portal/internal/oidctest"
)

func newBearerAuth(t *testing.T) (*oidctest.Provider, *Auth, *testClock) {
	t.Helper()
	idp := oidctest.Start(t)
	a, clock := mustNew(t, testConfig(idp, "http://127.0.0.1:1"))
	return idp, a, clock
}

var userClaims = oidctest.Claims{Email: "a@example.com", EmailVerified: true}

func mustVerify(t *testing.T, a *Auth, raw string) {
	t.Helper()
	if _, err := a.VerifyBearer(context.Background(), raw); err != nil {
		t.Fatalf("valid token refused: %v (%v)", err, errors.Unwrap(err))
	}
}

func mustRefuse(t *testing.T, a *Auth, raw string) {
	t.Helper()
	if _, err := a.VerifyBearer(context.Background(), raw); !errors.Is(err, ErrTokenInvalid) {
		t.Fatalf("err = %v, want ErrTokenInvalid", err)
	}
}

// TestUnknownKIDStorm: random kids cannot turn into JWKS requests.
func TestUnknownKIDStorm(t *testing.T) {
	idp, a, clock := newBearerAuth(t)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() { mustRefuse(t, a, idp.TokenWithKID(t, userClaims, fmt.Sprintf("random-%d", i))) })
	}
	wg.Wait()
	if hits := idp.Hits(oidctest.EndpointJWKS); hits > 1 {
		t.Fatalf("20 unknown-kid tokens caused %d JWKS fetches, want at most 1", hits)
	}
	// The one fetch filled the cache: the real key verifies without another.
	mustVerify(t, a, idp.Token(t, userClaims))
	for i := range 20 {
		mustRefuse(t, a, idp.TokenWithKID(t, userClaims, fmt.Sprintf("again-%d", i)))
		mustRefuse(t, a, idp.TokenOtherKey(t, userClaims)) // known kid, forged signature
	}
	// A published kid never causes a fetch, even after the cooldown.
	clock.Advance(2 * time.Minute)
	for range 5 {
		mustRefuse(t, a, idp.TokenOtherKey(t, userClaims))
	}
	if hits := idp.Hits(oidctest.EndpointJWKS); hits != 1 {
		t.Errorf("JWKS fetches = %d, want exactly 1", hits)
	}
}

// TestKeyRotation: a new kid is fetched once the cooldown has passed, not
// before; the retired kid then fails without a fetch.
func TestKeyRotation(t *testing.T) {
	idp, a, clock := newBearerAuth(t)
	oldToken := idp.Token(t, userClaims)
	mustVerify(t, a, oldToken)
	idp.RotateKey(t)
	newToken := idp.Token(t, userClaims)

	mustRefuse(t, a, newToken)
	if hits := idp.Hits(oidctest.EndpointJWKS); hits != 1 {
		t.Fatalf("fetch within the cooldown: %d JWKS hits", hits)
	}
	clock.Advance(time.Minute + time.Second)
	mustVerify(t, a, newToken)
	mustVerify(t, a, newToken)
	mustRefuse(t, a, oldToken)
	if hits := idp.Hits(oidctest.EndpointJWKS); hits != 2 {
		t.Errorf("JWKS hits = %d, want 2", hits)
	}
}

// TestIdPDownAfterStart: cached keys keep verifying; unknown kids fail at
// once instead of waiting on the dead IdP.
func TestIdPDownAfterStart(t *testing.T) {
	idp, a, clock := newBearerAuth(t)
	mustVerify(t, a, idp.Token(t, userClaims))
	if err := idp.Shutdown(); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, a, idp.Token(t, oidctest.Claims{Email: "b@example.com", EmailVerified: true, Subject: "b"}))
	mustRefuse(t, a, idp.TokenWithKID(t, userClaims, "new"))
	clock.Advance(2 * time.Minute)
	mustRefuse(t, a, idp.TokenWithKID(t, userClaims, "newer")) // fetch allowed, fails: IdP down
	mustVerify(t, a, idp.Token(t, userClaims))                 // a failed fetch keeps the cache
}

func TestParseJWKS(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	jwk := func(k jose.JSONWebKey) string {
		b, err := json.Marshal(k)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	public := jwk(jose.JSONWebKey{Key: &rsaKey.PublicKey, KeyID: "pub", Use: "sig", Algorithm: "RS256"})
	set := `{"keys":[` + strings.Join([]string{
		public,
		jwk(jose.JSONWebKey{Key: rsaKey, KeyID: "private"}),
		jwk(jose.JSONWebKey{Key: []byte("0123456789abcdef0123456789abcdef"), KeyID: "oct"}),
		jwk(jose.JSONWebKey{Key: &rsaKey.PublicKey, KeyID: "enc", Use: "enc"}),
		`{"kty":"OKP","crv":"Ed448","kid":"ed448","x":"AAAA"}`,
		`{"kty":"nope","kid":"nope"}`,
	}, ",") + `]}`
	keys, err := parseJWKS([]byte(set))
	if err != nil || len(keys) != 1 || keys[0].KeyID != "pub" {
		t.Errorf("parseJWKS kept %d keys (%v), want only pub", len(keys), err)
	}
	for _, bad := range []string{`{"keys":[]}`, `{"keys":[` + jwk(jose.JSONWebKey{Key: rsaKey, KeyID: "private"}) + `]}`, `[]`, `{`} {
		if _, err := parseJWKS([]byte(bad)); err == nil {
			t.Errorf("parseJWKS(%.40s) accepted", bad)
		}
	}
}
