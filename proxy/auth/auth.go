package auth

import (
	"context"
	"crypto/cipher"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-jose/go-jose/v4"
	"golang.org/x/oauth2"

	"github.com/thehive-portal/thehive-portal/config"
)

// CallbackPath is where the identity provider sends the browser back. The
// redirect URL registered at the IdP is config.PublicURL + CallbackPath.
const CallbackPath = "/auth/callback"

// allowedAlgs are the signature algorithms New accepts from
// oidc.signing_algs: asymmetric only, never "none" or HMAC.
var allowedAlgs = []string{"RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "EdDSA"}

// Auth signs browsers in with the OIDC authorization code flow and verifies
// bearer tokens from the same provider. It is safe for concurrent use.
type Auth struct {
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
	keys     *keySet
	client   *http.Client

	clientID        string
	bearerAudiences []string
	emailClaim      string
	groupsClaim     string
	requireVerified bool

	aead       cipher.AEAD // seals the sign-in state cookie
	cookieName string
	secure     bool

	now func() time.Time // replaced by tests before first use

	verified verifiedCache // bearer tokens that verified (bearer_cache.go)
}

// New discovers the provider at cfg.OIDC.Issuer and returns an Auth.
//
// Every request to the IdP (discovery, key set, code exchange) goes through
// client, which must have a Timeout: the key set is fetched in the
// background with no other deadline. ctx bounds discovery only. New fails
// when the IdP is unreachable, when its discovery document names another
// issuer or lacks an endpoint, or when cfg lacks what sign-in needs. It
// does not fetch the key set: the first token does.
func New(ctx context.Context, cfg *config.Config, client *http.Client) (*Auth, error) {
	if err := checkInputs(cfg, client); err != nil {
		return nil, err
	}
	o := &cfg.OIDC
	provider, err := oidc.NewProvider(oidc.ClientContext(ctx, client), o.Issuer)
	if err != nil {
		return nil, fmt.Errorf("auth: oidc discovery: %w", err)
	}
	var meta struct {
		JWKSURI     string   `json:"jwks_uri"`
		AuthMethods []string `json:"token_endpoint_auth_methods_supported"`
	}
	if err := provider.Claims(&meta); err != nil {
		return nil, fmt.Errorf("auth: oidc discovery: %w", err)
	}
	endpoint := provider.Endpoint()
	if err := checkEndpoints(o.Issuer, endpoint.AuthURL, endpoint.TokenURL, meta.JWKSURI); err != nil {
		return nil, err
	}
	endpoint.AuthStyle = authStyle(meta.AuthMethods)
	aead, err := stateAEAD(cfg.Session.Secret.Reveal())
	if err != nil {
		return nil, err
	}
	public, _ := url.Parse(cfg.PublicURL)
	a := &Auth{
		oauth: oauth2.Config{
			ClientID:     o.ClientID,
			ClientSecret: o.ClientSecret.Reveal(),
			Endpoint:     endpoint,
			RedirectURL:  strings.TrimSuffix(cfg.PublicURL, "/") + CallbackPath,
			Scopes:       slices.Clone(o.Scopes),
		},
		client:          client,
		clientID:        o.ClientID,
		bearerAudiences: audiences(o.ClientID, o.Audiences),
		emailClaim:      o.EmailClaim,
		groupsClaim:     o.GroupsClaim,
		requireVerified: o.RequireVerifiedEmail == nil || *o.RequireVerifiedEmail,
		aead:            aead,
		secure:          public.Scheme == "https",
		now:             time.Now,
	}
	a.cookieName = "portal-auth"
	if a.secure {
		a.cookieName = "__Host-portal-auth"
	}
	var algs []jose.SignatureAlgorithm
	for _, alg := range o.SigningAlgs {
		algs = append(algs, jose.SignatureAlgorithm(alg))
	}
	a.keys = &keySet{
		url:      meta.JWKSURI,
		client:   client,
		cooldown: o.KeysRefetchCooldown,
		algs:     algs,
		now:      a.clock,
	}
	a.verifier = oidc.NewVerifier(o.Issuer, a.keys, &oidc.Config{
		// The audience is checked by verify against a list, which go-oidc
		// cannot do; every path goes through verify.
		SkipClientIDCheck:    true,
		SupportedSigningAlgs: slices.Clone(o.SigningAlgs),
		Now:                  a.clock,
	})
	return a, nil
}

func (a *Auth) clock() time.Time { return a.now() }

// checkInputs refuses what New cannot work with. config.Validate covers
// more; this guards callers that built a Config by hand.
func checkInputs(cfg *config.Config, client *http.Client) error {
	if cfg == nil {
		return errors.New("auth: nil config")
	}
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf("auth: "+format, args...)) }
	if client == nil || client.Timeout <= 0 {
		add("an *http.Client with a Timeout is required")
	}
	o := &cfg.OIDC
	if o.Issuer == "" || o.ClientID == "" || !o.ClientSecret.IsSet() {
		add("oidc.issuer, oidc.client_id and oidc.client_secret are required")
	}
	if u, err := url.Parse(cfg.PublicURL); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		add("public_url must be an absolute http(s) URL")
	}
	if len(cfg.Session.Secret.Reveal()) < 32 {
		add("session.secret must be at least 32 bytes")
	}
	if len(o.SigningAlgs) == 0 {
		add("oidc.signing_algs is empty")
	}
	for _, alg := range o.SigningAlgs {
		if !slices.Contains(allowedAlgs, alg) {
			add("oidc.signing_algs: %q is not allowed (no none, no HMAC)", alg)
		}
	}
	if o.KeysRefetchCooldown <= 0 {
		add("oidc.keys_refetch_cooldown must be positive")
	}
	if o.EmailClaim == "" || o.GroupsClaim == "" {
		add("oidc.email_claim and oidc.groups_claim are required")
	}
	if !slices.Contains(o.Scopes, "openid") {
		add("oidc.scopes must include openid")
	}
	return errors.Join(errs...)
}

// checkEndpoints requires absolute endpoint URLs, https when the issuer is.
func checkEndpoints(issuer string, urls ...string) error {
	iu, _ := url.Parse(issuer)
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil || !u.IsAbs() || u.Host == "" || (iu != nil && iu.Scheme == "https" && u.Scheme != "https") {
			return fmt.Errorf("auth: oidc discovery: endpoint %q is missing or not absolute https", raw)
		}
	}
	return nil
}

// authStyle picks how the client authenticates at the token endpoint from
// the discovery document, so the exchange never needs a probing request.
func authStyle(methods []string) oauth2.AuthStyle {
	switch {
	case len(methods) == 0 || slices.Contains(methods, "client_secret_basic"):
		return oauth2.AuthStyleInHeader // the RFC 6749 default
	case slices.Contains(methods, "client_secret_post"):
		return oauth2.AuthStyleInParams
	}
	return oauth2.AuthStyleAutoDetect
}

// audiences is clientID plus the extra ones, without blanks or repeats.
func audiences(clientID string, extra []string) []string {
	out := []string{clientID}
	for _, a := range extra {
		if a != "" && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}
