// Package devidp is the development OpenID Connect provider of
// `thehive-portal demo`: a sign-in page that lists sample users, where one
// click signs in as that user, with no password.
//
// It wraps github.com/oauth2-proxy/mockoidc and does not change it: a
// middleware in front of mockoidc's handlers shows the sign-in page on the
// authorization endpoint, queues the chosen user in mockoidc and then lets
// mockoidc continue the authorization request; it refuses authorization
// requests without PKCE S256 or a nonce, accepts client_secret_basic on the
// token endpoint (mockoidc advertises it but reads only form credentials),
// and runs mockoidc's handlers one at a time (its session store has no
// lock). Each provider signs with a fresh RSA key.
//
// Anyone who reaches it can sign in as any sample user: it listens on a
// loopback address only and MUST NOT be used in production.
package devidp
