// Package auth signs external users in with OpenID Connect and verifies the
// bearer tokens of API clients. It returns an Identity (subject, issuer,
// lower-cased email, groups); it creates no session and sets no application
// cookie: package proxy does that with what Finish returns.
//
// Browser sign-in is the authorization code flow with PKCE (S256), a state
// bound to the browser and a nonce (Begin, Finish). The state, nonce, PKCE
// verifier and return path travel in one short-lived cookie sealed with
// AES-256-GCM under a key derived from session.secret; the state is checked
// before the code is exchanged, and the cookie is deleted at the callback
// whatever the outcome. The redirect URL always comes from public_url and
// return paths are restricted to safe relative paths (SafeReturnTo).
//
// ID tokens and bearer tokens are verified by go-oidc (exact issuer,
// signature with an allow-listed asymmetric algorithm, expiry) plus an
// audience check against the client id (and, for bearer tokens,
// oidc.audiences). The key set is our own oidc.KeySet with a refetch
// cooldown (keyset.go says why not go-oidc's RemoteKeySet), so forged
// tokens cannot turn into a stream of JWKS requests. All IdP traffic uses
// the *http.Client given to New.
//
// Errors are sentinels and typed errors to match with errors.Is/As; none
// of them holds a token, code, cookie or secret.
package auth
