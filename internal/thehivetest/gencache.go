package thehivetest

import (
	"strings"
	"sync"
)

// lock takes the store's write lock and marks every cached generic form
// stale: whatever the writer changes, no query sees an old form.
func (st *store) lock() {
	st.mu.Lock()
	st.version++
}

// genCache keeps the generic JSON form of rendered records between
// queries, so that filtering and sorting a large list does not re-encode
// every record each time. It is emptied whenever the store changed.
type genCache struct {
	mu      sync.Mutex
	version uint64
	m       map[genKey]map[string]any
}

type genKey struct {
	rec   any
	perms string
}

// get returns the cached form of rec for perms (a permsKey) at the store's
// version, computing it with build when absent. The caller holds the
// store's read lock, so the version cannot change meanwhile. Forms are only
// read.
func (c *genCache) get(version uint64, rec any, perms string, build func() map[string]any) map[string]any {
	k := genKey{rec: rec, perms: perms}
	c.mu.Lock()
	if c.m == nil || c.version != version {
		c.m, c.version = map[genKey]map[string]any{}, version
	}
	m, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return m
	}
	m = build()
	c.mu.Lock()
	if c.version == version {
		c.m[k] = m
	}
	c.mu.Unlock()
	return m
}

// permsKey is the cache key of a caller's permissions.
func permsKey(perms []string) string { return strings.Join(perms, ",") }
