package oidctest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/oauth2-proxy/mockoidc"
)

var (
	b64          = base64.RawURLEncoding
	errMalformed = errors.New("oidctest: not a compact JWS")
)

// Claims describes a token to mint. Zero fields take the defaults noted.
type Claims struct {
	Subject       string    // default "user-1"
	Issuer        string    // default the provider's issuer
	Audience      []string  // default [ClientID]
	Email         string    // omitted when empty
	EmailVerified bool      // always written
	Groups        []string  // omitted when nil
	Nonce         string    // omitted when empty
	Expiry        time.Time // default 10 minutes from now
	IssuedAt      time.Time // default now
	// Extra claims are set last and override the fields above (use them for
	// wrongly typed claims, e.g. "groups": "one" or "email_verified": "true").
	Extra map[string]any
	// Omit lists claims removed after Extra, e.g. "email_verified", "exp".
	Omit []string
}

// Map returns the JSON claims c stands for, with p's defaults.
func (p *Provider) Map(c Claims) map[string]any {
	now := time.Now()
	m := map[string]any{
		"sub": or(c.Subject, "user-1"),
		"iss": or(c.Issuer, p.Issuer()),
		"aud": c.Audience,
		"exp": c.Expiry.Unix(),
		"iat": c.IssuedAt.Unix(),
		// email_verified is written even when false.
		"email_verified": c.EmailVerified,
	}
	if c.Audience == nil {
		m["aud"] = []string{p.ClientID}
	}
	if c.Expiry.IsZero() {
		m["exp"] = now.Add(10 * time.Minute).Unix()
	}
	if c.IssuedAt.IsZero() {
		m["iat"] = now.Unix()
	}
	if c.Email != "" {
		m["email"] = c.Email
	}
	if c.Groups != nil {
		m["groups"] = c.Groups
	}
	if c.Nonce != "" {
		m["nonce"] = c.Nonce
	}
	for k, v := range c.Extra {
		m[k] = v
	}
	for _, k := range c.Omit {
		delete(m, k)
	}
	return m
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Token mints an RS256 JWT signed with the provider's key and kid.
func (p *Provider) Token(tb testing.TB, c Claims) string {
	tb.Helper()
	key, kid := p.signingKey()
	return check(signRS256(key, kid, p.Map(c)))(tb)
}

// ExpiredToken mints a token that expired an hour ago.
func (p *Provider) ExpiredToken(tb testing.TB, c Claims) string {
	tb.Helper()
	c.Expiry, c.IssuedAt = time.Now().Add(-time.Hour), time.Now().Add(-2*time.Hour)
	return p.Token(tb, c)
}

// WrongAudienceToken mints a token for another client.
func (p *Provider) WrongAudienceToken(tb testing.TB, c Claims) string {
	tb.Helper()
	c.Audience = []string{"some-other-client"}
	return p.Token(tb, c)
}

// OtherIssuerToken mints a token with the provider's key but another iss.
func (p *Provider) OtherIssuerToken(tb testing.TB, c Claims) string {
	tb.Helper()
	c.Issuer = "https://evil.example/oidc"
	return p.Token(tb, c)
}

// TokenWithKID mints a token signed with the provider's key under another
// kid (one the JWKS does not list).
func (p *Provider) TokenWithKID(tb testing.TB, c Claims, kid string) string {
	tb.Helper()
	key, _ := p.signingKey()
	return check(signRS256(key, kid, p.Map(c)))(tb)
}

// TokenOtherKey mints a token under the provider's kid but signed with a
// key the provider never published.
func (p *Provider) TokenOtherKey(tb testing.TB, c Claims) string {
	tb.Helper()
	p.mu.Lock()
	if p.otherKey == nil {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			p.mu.Unlock()
			tb.Fatalf("oidctest: %v", err)
		}
		p.otherKey = k
	}
	key, kid := p.otherKey, p.kid
	p.mu.Unlock()
	return check(signRS256(key, kid, p.Map(c)))(tb)
}

// TokenAlgNone mints an unsigned token (alg "none", empty signature).
func (p *Provider) TokenAlgNone(tb testing.TB, c Claims) string {
	tb.Helper()
	header := check(json.Marshal(map[string]string{"alg": "none", "typ": "JWT", "kid": p.KeyID()}))(tb)
	payload := check(json.Marshal(p.Map(c)))(tb)
	return b64.EncodeToString(header) + "." + b64.EncodeToString(payload) + "."
}

// TokenHS256PublicKey mints an HS256 token whose HMAC secret is the
// provider's public key in PEM, the classic algorithm-confusion attack.
func (p *Provider) TokenHS256PublicKey(tb testing.TB, c Claims) string {
	tb.Helper()
	key, kid := p.signingKey()
	der := check(x509.MarshalPKIXPublicKey(&key.PublicKey))(tb)
	secret := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	return check(sign(jose.HS256, secret, kid, p.Map(c)))(tb)
}

// TokenOversized mints a valid, signed token padded with a "pad" claim to
// at least size bytes.
func (p *Provider) TokenOversized(tb testing.TB, c Claims, size int) string {
	tb.Helper()
	extra := map[string]any{"pad": strings.Repeat("x", size)}
	for k, v := range c.Extra {
		extra[k] = v
	}
	c.Extra = extra
	return p.Token(tb, c)
}

// RotateKey replaces the signing key with a new random one under a new kid;
// the JWKS then lists only the new key. It returns the new kid.
func (p *Provider) RotateKey(tb testing.TB) string {
	tb.Helper()
	key := check(rsa.GenerateKey(rand.Reader, 2048))(tb)
	kp := check(mockoidc.NewKeypair(key))(tb)
	kid := check(kp.KeyID())(tb)
	p.serial.Lock()
	p.m.Keypair = kp
	p.serial.Unlock()
	p.mu.Lock()
	p.key, p.kid = key, kid
	p.mu.Unlock()
	return kid
}

func (p *Provider) signingKey() (*rsa.PrivateKey, string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.key, p.kid
}

func signRS256(key *rsa.PrivateKey, kid string, claims map[string]any) (string, error) {
	return sign(jose.RS256, key, kid, claims)
}

func sign(alg jose.SignatureAlgorithm, key any, kid string, claims map[string]any) (string, error) {
	opts := (&jose.SignerOptions{}).WithType("JWT")
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: jose.JSONWebKey{Key: key, KeyID: kid}}, opts)
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

// check turns (v, err) into a function that returns v or fails tb.
func check[T any](v T, err error) func(testing.TB) T {
	return func(tb testing.TB) T {
		tb.Helper()
		if err != nil {
			tb.Fatalf("oidctest: %v", err)
		}
		return v
	}
}
