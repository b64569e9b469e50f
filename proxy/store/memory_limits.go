package store

import (
	"errors"
	"time"
)

// entryOverhead is the bytes counted per key on top of key and value.
const entryOverhead = 64

// counterSize is the value size counted for any counter (an int64 in
// decimal), so that Incr never changes the accounted size.
const counterSize = 20

// sweepEvery is how often a write sweeps all expired keys.
const sweepEvery = time.Minute

// evictSample is how many keys with a TTL are compared per eviction.
const evictSample = 16

// errFull is returned when a write cannot fit even after eviction.
var errFull = errors.New("store: memory store full")

// entry is one key: a value (with an optional expiry) or a stream.
type entry struct {
	value   []byte
	expires time.Time // zero: never
	stream  *ring     // non-nil for a stream
	size    int64     // bytes accounted to this key
}

func (e *entry) expired(now time.Time) bool {
	return !e.expires.IsZero() && !now.Before(e.expires)
}

func entrySize(key string, valueLen int) int64 {
	return int64(len(key) + valueLen + entryOverhead)
}

// ring is a bounded stream: the newest entries, oldest overwritten first.
type ring struct {
	items []map[string]string
	next  int // once full, the index overwritten next
}

// push adds item, keeping at most limit entries, and returns the size of
// the entry it dropped (0 if none).
func (r *ring) push(item map[string]string, limit int) (freed int64) {
	if len(r.items) < limit {
		r.items = append(r.items, item)
		return 0
	}
	freed = fieldsSize(r.items[r.next])
	r.items[r.next] = item
	r.next = (r.next + 1) % len(r.items)
	return freed
}

// entries returns the stream's entries, oldest first.
func (r *ring) entries() []map[string]string {
	out := append([]map[string]string{}, r.items[r.next:]...)
	return append(out, r.items[:r.next]...)
}

func fieldsSize(f map[string]string) int64 {
	n := 0
	for k, v := range f {
		n += len(k) + len(v)
	}
	return int64(n)
}

// lookup returns the live entry at key, dropping it if expired. Callers
// hold m.mu.
func (m *Memory) lookup(key string, now time.Time) *entry {
	e := m.entries[key]
	if e != nil && e.expired(now) {
		m.remove(key)
		return nil
	}
	return e
}

func (m *Memory) insert(key string, e *entry) {
	m.entries[key] = e
	m.bytes += e.size
}

func (m *Memory) remove(key string) {
	if e, ok := m.entries[key]; ok {
		m.bytes -= e.size
		delete(m.entries, key)
	}
}

// maybeSweep drops every expired key if the last sweep is older than
// sweepEvery.
func (m *Memory) maybeSweep(now time.Time) {
	if now.Sub(m.lastSweep) >= sweepEvery {
		m.sweep(now)
	}
}

func (m *Memory) sweep(now time.Time) {
	m.lastSweep = now
	for k, e := range m.entries {
		if e.expired(now) {
			m.remove(k)
		}
	}
}

// fits reports whether one more key of size bytes fits (grow: a new key).
func (m *Memory) fits(size int64, grow bool) bool {
	n := len(m.entries)
	if grow {
		n++
	}
	return n <= m.maxEntries && m.bytes+size <= m.maxBytes
}

// makeRoom frees space for size more bytes and, if grow, one more key.
// Expired keys go first (a full sweep at most once a second), then keys
// with a TTL, soonest expiry first among a sample.
func (m *Memory) makeRoom(size int64, grow bool, now time.Time) error {
	if size > m.maxBytes {
		return errFull
	}
	if m.fits(size, grow) {
		return nil
	}
	if now.Sub(m.lastSweep) >= time.Second {
		m.sweep(now)
	}
	for !m.fits(size, grow) {
		victim, found := "", false
		var soonest time.Time
		seen := 0
		for k, e := range m.entries {
			if e.expires.IsZero() {
				continue
			}
			if !found || e.expires.Before(soonest) {
				victim, soonest, found = k, e.expires, true
			}
			if seen++; seen >= evictSample {
				break
			}
		}
		if !found {
			return errFull
		}
		m.remove(victim)
	}
	return nil
}
