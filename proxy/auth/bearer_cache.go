package auth

import (
	"crypto/sha256"
	"slices"
	"sync"
	"time"
)

// Verified bearer tokens are remembered so that a client sending the same
// token on every request pays for the signature check once per
// verifiedTTL instead of on each request (an RSA verification was half of
// the portal's CPU time on a small read in the bench). An entry never
// outlives the token's expiry, so the cache accepts nothing the verifier
// would not; like the key set's cache, it means a key removed from the
// IdP's key set stops tokens already seen within verifiedTTL, not at once.
const (
	verifiedTTL = time.Minute
	// verifiedMax bounds the entries; when full the cache starts over.
	verifiedMax = 10000
)

// verifiedCache maps the SHA-256 of a raw token to what it verified to.
type verifiedCache struct {
	mu sync.Mutex
	m  map[[sha256.Size]byte]verifiedEntry
}

type verifiedEntry struct {
	id    Identity
	until time.Time
}

// get returns the identity of a token verified before, while now is
// before its entry's end.
func (c *verifiedCache) get(raw string, now time.Time) (Identity, bool) {
	k := sha256.Sum256([]byte(raw))
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	if !ok {
		return Identity{}, false
	}
	if !now.Before(e.until) {
		delete(c.m, k)
		return Identity{}, false
	}
	id := e.id
	id.Groups = slices.Clone(id.Groups)
	return id, true
}

// put remembers a verified token until verifiedTTL from now or its expiry,
// whichever comes first. A token without an expiry is not remembered.
func (c *verifiedCache) put(raw string, id Identity, now time.Time) {
	until := now.Add(verifiedTTL)
	if id.Expiry.IsZero() {
		return
	}
	if id.Expiry.Before(until) {
		until = id.Expiry
	}
	k := sha256.Sum256([]byte(raw))
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= verifiedMax {
		c.m = make(map[[sha256.Size]byte]verifiedEntry)
	}
	id.Groups = slices.Clone(id.Groups)
	c.m[k] = verifiedEntry{id: id, until: until}
}
