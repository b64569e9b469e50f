// Package oidctest runs an in-process OpenID Connect provider for tests.
//
// It is built on github.com/oauth2-proxy/mockoidc and only wraps it: a
// middleware in front of mockoidc's handlers counts requests per endpoint,
// records authorization requests, serializes the handlers (mockoidc's session
// store has no lock), lets client_secret_basic work (mockoidc advertises it
// but only reads client credentials from the form), refuses authorization
// requests without PKCE S256 or a nonce, injects failures and can rewrite the
// next ID token.
//
// Start binds 127.0.0.1 only and registers a Cleanup that shuts the server
// down. Token and its variants mint signed JWTs with the provider's key for
// bearer-token tests, including deliberately broken ones (alg none, HS256
// with the public key as secret, unknown kid, another key, oversized).
//
// The default signing key is mockoidc's built-in RSA key, which is public:
// this package is for tests only and must never be imported by production
// code.
package oidctest
