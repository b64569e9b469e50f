package oidctest

import (
	"crypto/rsa"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/oauth2-proxy/mockoidc"
)

// Endpoint names one endpoint of the provider; it is the URL path mockoidc
// serves it at.
type Endpoint string

// The provider's endpoints.
const (
	EndpointDiscovery Endpoint = mockoidc.DiscoveryEndpoint
	EndpointAuthorize Endpoint = mockoidc.AuthorizationEndpoint
	EndpointToken     Endpoint = mockoidc.TokenEndpoint
	EndpointJWKS      Endpoint = mockoidc.JWKSEndpoint
	EndpointUserinfo  Endpoint = mockoidc.UserinfoEndpoint
)

// Provider is a running mock OIDC provider. Its methods are safe for
// concurrent use.
type Provider struct {
	// ClientID and ClientSecret are the only client the provider accepts.
	ClientID     string
	ClientSecret string

	m      *mockoidc.MockOIDC
	serial sync.Mutex // held while a mockoidc handler runs

	lenient bool // set once by Start

	stopOnce  sync.Once
	stopError error

	mu       sync.Mutex // guards the fields below
	key      *rsa.PrivateKey
	kid      string
	otherKey *rsa.PrivateKey
	hits     map[Endpoint]int
	authReqs []url.Values
	failures map[Endpoint][]failure
	down     bool
	idHook   func(claims map[string]any)
}

type failure struct {
	status int
	code   string
}

// Option configures Start.
type Option func(*settings)

type settings struct {
	clientID, clientSecret string
	key                    *rsa.PrivateKey
	lenient                bool
}

// WithClient sets the client id and secret instead of random ones.
func WithClient(id, secret string) Option {
	return func(s *settings) { s.clientID, s.clientSecret = id, secret }
}

// WithKey signs with key instead of mockoidc's built-in (public) key.
func WithKey(key *rsa.PrivateKey) Option {
	return func(s *settings) { s.key = key }
}

// WithoutPKCECheck accepts authorization requests without an S256 code
// challenge or a nonce. By default they are refused with 400.
func WithoutPKCECheck() Option {
	return func(s *settings) { s.lenient = true }
}

// Start runs a provider on 127.0.0.1 and shuts it down when the test ends.
func Start(tb testing.TB, opts ...Option) *Provider {
	tb.Helper()
	var s settings
	for _, o := range opts {
		o(&s)
	}
	m, err := mockoidc.NewServer(s.key)
	if err != nil {
		tb.Fatalf("oidctest: %v", err)
	}
	if s.clientID != "" {
		m.ClientID, m.ClientSecret = s.clientID, s.clientSecret
	}
	// KeyID caches its result without a lock: compute it before serving.
	kid, err := m.Keypair.KeyID()
	if err != nil {
		tb.Fatalf("oidctest: %v", err)
	}
	p := &Provider{
		ClientID:     m.ClientID,
		ClientSecret: m.ClientSecret,
		m:            m,
		key:          m.Keypair.PrivateKey,
		kid:          kid,
		hits:         map[Endpoint]int{},
		failures:     map[Endpoint][]failure{},
		lenient:      s.lenient,
	}
	if err := m.AddMiddleware(p.middleware); err != nil {
		tb.Fatalf("oidctest: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("oidctest: listen: %v", err)
	}
	if err := m.Start(ln, nil); err != nil {
		tb.Fatalf("oidctest: start: %v", err)
	}
	tb.Cleanup(func() { _ = p.Shutdown() })
	return p
}

// Issuer returns the issuer URL, e.g. http://127.0.0.1:PORT/oidc.
func (p *Provider) Issuer() string { return p.m.Issuer() }

// KeyID returns the kid of the current signing key.
func (p *Provider) KeyID() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.kid
}

// MockOIDC returns the underlying server for what this package does not
// wrap. Its session store is not locked: change it only while no request
// is in flight.
func (p *Provider) MockOIDC() *mockoidc.MockOIDC { return p.m }

// QueueUser sets the user of the next sign-in (mockoidc's default user
// otherwise). The subject is derived from email.
func (p *Provider) QueueUser(email string, groups []string, verified bool) {
	p.QueueMockUser(&mockoidc.MockUser{
		Subject:       "sub-" + email,
		Email:         email,
		EmailVerified: verified,
		Groups:        groups,
	})
}

// QueueMockUser sets the user of the next sign-in with every mockoidc field.
// Note that mockoidc only puts the email into the ID token when the "email"
// scope was asked for, and the groups only with the "groups" scope.
func (p *Provider) QueueMockUser(u *mockoidc.MockUser) { p.m.QueueUser(u) }

// Hits returns how many requests reached endpoint so far, failed ones
// included.
func (p *Provider) Hits(e Endpoint) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hits[e]
}

// AuthorizeRequests returns a copy of the parameters of every request to
// the authorization endpoint, oldest first.
func (p *Provider) AuthorizeRequests() []url.Values {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]url.Values, len(p.authReqs))
	for i, v := range p.authReqs {
		out[i] = cloneValues(v)
	}
	return out
}

// FailNext makes the next request to e answer status with an OAuth error
// body {"error": code}. Calls queue up.
func (p *Provider) FailNext(e Endpoint, status int, code string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.failures[e] = append(p.failures[e], failure{status, code})
}

// SetDown makes every endpoint answer 503 (true) or serve again (false),
// with the port still open. Shutdown closes the port instead.
func (p *Provider) SetDown(down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = down
}

// RewriteNextIDToken lets fn change the claims of the ID token in the next
// successful token response; the token is re-signed with the provider key.
func (p *Provider) RewriteNextIDToken(fn func(claims map[string]any)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.idHook = fn
}

// Shutdown stops the server; later requests fail to connect. It is safe to
// call more than once.
func (p *Provider) Shutdown() error {
	p.stopOnce.Do(func() { p.stopError = p.m.Shutdown() })
	return p.stopError
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vv := range v {
		out[k] = append([]string(nil), vv...)
	}
	return out
}

// serve runs a mockoidc handler under the serial lock.
func (p *Provider) serve(next http.Handler, w http.ResponseWriter, r *http.Request) {
	p.serial.Lock()
	defer p.serial.Unlock()
	next.ServeHTTP(w, r)
}
