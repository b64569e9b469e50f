package devidp

import (
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"slices"
	"sync"

	"github.com/oauth2-proxy/mockoidc"
)

// User is a sample user offered on the sign-in page.
type User struct {
	// Email is the verified email claim; it identifies the user.
	Email string
	// Name is shown on the sign-in page.
	Name string
	// Groups is the groups claim (sent when the client asks for the
	// "groups" scope).
	Groups []string
	// About says who the user is, e.g. "reader at Northwind Traders".
	About string
}

// Scopes are the scopes a client should ask for to get the email and the
// groups of the user.
var Scopes = []string{"openid", "email", "profile", "groups"}

// Provider is a running development IdP. Its methods are safe for
// concurrent use.
type Provider struct {
	// ClientID and ClientSecret are the only client the provider accepts.
	ClientID     string
	ClientSecret string

	m      *mockoidc.MockOIDC
	serial sync.Mutex // held while a mockoidc handler runs
	users  []User
	page   *template.Template

	stopOnce sync.Once
	stopErr  error
}

// Start runs a provider with the sample users on addr, which must be a
// loopback address ("127.0.0.1:0" picks a free port).
func Start(addr string, users []User) (*Provider, error) {
	if err := checkLoopback(addr); err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, errors.New("devidp: no sample users")
	}
	page, err := template.New("signin").Parse(signInPage)
	if err != nil {
		return nil, fmt.Errorf("devidp: %w", err)
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("devidp: key: %w", err)
	}
	m, err := mockoidc.NewServer(key)
	if err != nil {
		return nil, fmt.Errorf("devidp: %w", err)
	}
	// KeyID caches its result without a lock: compute it before serving.
	if _, err := m.Keypair.KeyID(); err != nil {
		return nil, fmt.Errorf("devidp: %w", err)
	}
	p := &Provider{ClientID: m.ClientID, ClientSecret: m.ClientSecret, m: m, users: slices.Clone(users), page: page}
	if err := m.AddMiddleware(p.middleware); err != nil {
		return nil, fmt.Errorf("devidp: %w", err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("devidp: listen: %w", err)
	}
	if err := m.Start(ln, nil); err != nil {
		_ = ln.Close()
		return nil, fmt.Errorf("devidp: start: %w", err)
	}
	return p, nil
}

// checkLoopback refuses any address that is not a loopback IP.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("devidp: address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("devidp: address %q: only a loopback IP address is allowed", addr)
	}
	return nil
}

// Issuer returns the issuer URL, e.g. http://127.0.0.1:PORT/oidc.
func (p *Provider) Issuer() string { return p.m.Issuer() }

// SignInURL returns the address of the authorization endpoint, where the
// sign-in page is shown.
func (p *Provider) SignInURL() string { return p.m.AuthorizationEndpoint() }

// Users returns the sample users.
func (p *Provider) Users() []User { return slices.Clone(p.users) }

// Close stops the server. It is safe to call more than once.
func (p *Provider) Close() error {
	p.stopOnce.Do(func() { p.stopErr = p.m.Shutdown() })
	return p.stopErr
}

// user returns the sample user with that email.
func (p *Provider) user(email string) (User, bool) {
	i := slices.IndexFunc(p.users, func(u User) bool { return u.Email == email })
	if i < 0 {
		return User{}, false
	}
	return p.users[i], true
}

// mockUser is the mockoidc user of a sample user.
func mockUser(u User) *mockoidc.MockUser {
	return &mockoidc.MockUser{
		Subject:           "demo-" + u.Email,
		Email:             u.Email,
		EmailVerified:     true,
		PreferredUsername: u.Email,
		Groups:            slices.Clone(u.Groups),
	}
}

// serve runs a mockoidc handler under the serial lock.
func (p *Provider) serve(next http.Handler, w http.ResponseWriter, r *http.Request) {
	p.serial.Lock()
	defer p.serial.Unlock()
	next.ServeHTTP(w, r)
}
