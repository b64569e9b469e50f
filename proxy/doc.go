// Package proxy is the portal: an Echo server that authenticates external
// users (OIDC sign-in with server-side sessions, or bearer tokens from the
// same IdP), accepts only the TheHive API subset of DESIGN.md, rebuilds
// every request it sends to TheHive from validated parts, and cuts every
// answer down with the filter package so that only what the share model
// allows leaves.
//
// Routes are explicit; there is no catch-all and no forwarding of a
// client's path, query string, headers or query operations. Case ids are
// validated on the raw path. A case that is missing and one that is not
// shared get the same 404. Denials are never 5xx (thehive4py retries 5xx).
// Redis, TheHive or IdP failures fail closed (503/502/504), never with more
// data.
//
// Subpackages: auth (OIDC), session (server-side sessions), store (Redis or
// memory key-value store), query (strict query API parser and builder).
package proxy
