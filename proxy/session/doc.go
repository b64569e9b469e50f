// Package session keeps browser sessions on the server, in a store.KV
// (Redis, or memory for one replica).
//
// # Design
//
// The cookie holds only an opaque session id: 32 random bytes (256 bits)
// from crypto/rand in unpadded base64url, 43 characters. Create mints a new
// id every time and never reuses one that came with a request, so a
// planted cookie cannot be promoted to a signed-in session (session
// fixation, SECURITY.md §1.4). Ids are checked strictly (exact length,
// base64url alphabet, canonical encoding) before the store is asked, so
// junk, oversized or odd cookies cost nothing and reach nothing.
//
// From the id and the session secret (config.Session.Secret, 32+ bytes)
// two values are derived, with distinct labels:
//
//	store key   = "session:" + hex(HMAC-SHA256(secret, "key:" + id))
//	session key = HMAC-SHA256(secret, "enc:" + id)   (32 bytes, AES-256)
//
// The store value is 0x01 || nonce (12 random bytes) || AES-256-GCM(session
// key, JSON of Data), with the store key as additional data. Hence:
//
//   - a dump of the store holds no usable cookie: keys are one-way
//     functions of the id under the secret;
//   - a dump holds no identity (email, subject, groups, CSRF token): each
//     value is encrypted under a key that needs both the id, which only the
//     browser has, and the secret, which only the portal has;
//   - a value copied or moved to another key does not open (different
//     session key and different additional data), and any changed byte
//     fails the GCM tag check; both give ErrNoSession;
//   - the labels keep the two derived values independent; other uses of
//     the same secret must use other labels.
//
// Changing the secret ends every session: keys and session keys change.
//
// # Expiry
//
// Data.Expires is absolute: the caller passes it in (e.g. the ID token's
// expiry) and Create caps it at now+ttl. The store TTL is the time left
// until Expires, so records disappear on their own. Load also refuses a
// session past Expires or older than the current ttl (a lowered ttl applies
// to existing sessions) and one idle for idleTTL since LastSeen. Touch
// slides LastSeen, writing at most once per min(1 minute, idleTTL/4); it
// never extends Expires. The clock is injected (NewManager's now).
//
// # Failing closed
//
// Load returns ErrNoSession only when there is no usable session. A store
// error (Redis down, timeout, closed store) is returned as such; the caller
// answers 503 and never treats it as "signed out but allowed" or as a
// session. Errors never contain the id.
//
// Touch re-reads the record before writing, so a session deleted by
// sign-out does not come back; a Touch that races a Delete within the same
// few milliseconds can still rewrite it (the store has no compare-and-set),
// in which case it lives at most until its absolute expiry, and its cookie
// has already been cleared from the browser.
//
// CSRF tokens (Data.CSRF) are 256-bit random values made by Create; compare
// them with Data.CheckCSRF, which runs in constant time.
package session
