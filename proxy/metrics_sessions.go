package proxy

import (
	"crypto/sha256"
	"sync"
	"time"
)

// maxTrackedSessions bounds the session tracker's memory.
const maxTrackedSessions = 100_000

// sessionTracker estimates the active browser sessions for the
// thehive_portal_active_sessions gauge.
//
// Why not count in the store: the KV interface has no scan, and counting
// keys with SCAN on a shared Redis costs in proportion to everything in it.
// Why not a plain created − deleted counter: sessions mostly end by
// expiry, which nothing reports, so it would only grow. So each replica
// remembers the sessions it created or served (by a hash of the id, never
// the id), forgets one at sign-out, and lets it expire after the idle
// timeout since it was last used here, or the absolute lifetime. With one
// replica, or sticky load balancing, the gauge is the number of live
// sessions; without stickiness, summing replicas counts a session once per
// replica that served it within the idle timeout (take the max instead).
type sessionTracker struct {
	mu       sync.Mutex
	ttl      time.Duration
	idle     time.Duration
	now      func() time.Time
	sessions map[[16]byte]trackedSession
}

type trackedSession struct{ first, last time.Time }

func newSessionTracker(ttl, idle time.Duration, now func() time.Time) *sessionTracker {
	return &sessionTracker{ttl: ttl, idle: idle, now: now, sessions: map[[16]byte]trackedSession{}}
}

func sessionKey(id string) [16]byte {
	sum := sha256.Sum256([]byte(id))
	var k [16]byte
	copy(k[:], sum[:16])
	return k
}

// seen records that the session id was created or used now.
func (t *sessionTracker) seen(id string) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	k := sessionKey(id)
	s, ok := t.sessions[k]
	if !ok {
		if len(t.sessions) >= maxTrackedSessions {
			t.sweep(now)
		}
		if len(t.sessions) >= maxTrackedSessions {
			return
		}
		s.first = now
	}
	s.last = now
	t.sessions[k] = s
}

// ended records a sign-out (or a session the store no longer has).
func (t *sessionTracker) ended(id string) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.sessions, sessionKey(id))
}

// count returns the sessions not yet expired.
func (t *sessionTracker) count() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.sweep(t.now())
	return len(t.sessions)
}

// sweep drops expired sessions; callers hold mu.
func (t *sessionTracker) sweep(now time.Time) {
	for k, s := range t.sessions {
		if !now.Before(s.first.Add(t.ttl)) || !now.Before(s.last.Add(t.idle)) {
			delete(t.sessions, k)
		}
	}
}
