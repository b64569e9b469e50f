package store

import (
	"context"
	"fmt"
	"maps"
	"math"
	"strconv"
	"sync"
	"time"
)

// Defaults of NewMemory.
const (
	// DefaultMemoryMaxEntries bounds the number of keys.
	DefaultMemoryMaxEntries = 100_000
	// DefaultMemoryMaxBytes bounds the bytes of keys, values and stream
	// entries (approximate: a fixed overhead is counted per key).
	DefaultMemoryMaxBytes = 256 << 20
	// DefaultMemoryStreamLen is how many entries one stream keeps.
	DefaultMemoryStreamLen = 10_000
)

// MemoryOption changes a default of NewMemory.
type MemoryOption func(*Memory)

// WithMaxEntries sets the maximum number of keys (n > 0).
func WithMaxEntries(n int) MemoryOption {
	return func(m *Memory) {
		if n > 0 {
			m.maxEntries = n
		}
	}
}

// WithMaxBytes sets the maximum number of bytes held (n > 0).
func WithMaxBytes(n int64) MemoryOption {
	return func(m *Memory) {
		if n > 0 {
			m.maxBytes = n
		}
	}
}

// WithStreamLen sets how many entries each stream keeps (n > 0).
func WithStreamLen(n int) MemoryOption {
	return func(m *Memory) {
		if n > 0 {
			m.streamLen = n
		}
	}
}

// Memory is an in-process KV for one replica and for tests. It is safe for
// concurrent use.
//
// Expired keys are dropped when read and by a sweep that runs at most once
// a minute during writes. When a write would exceed the entry or byte
// limit, expired keys are swept and then keys with a TTL are evicted,
// soonest expiry first (sampled, like Redis' volatile-ttl policy).
// Counters and streams have no expiry and are never evicted: when only
// they fill the store, writes fail with an error rather than resetting a
// counter.
type Memory struct {
	mu         sync.Mutex
	entries    map[string]*entry
	bytes      int64
	maxEntries int
	maxBytes   int64
	streamLen  int
	now        func() time.Time
	lastSweep  time.Time
	closed     bool
}

var _ KV = (*Memory)(nil)

// NewMemory returns an empty Memory with the defaults above, changed by
// opts.
func NewMemory(opts ...MemoryOption) *Memory {
	m := &Memory{
		entries:    make(map[string]*entry),
		maxEntries: DefaultMemoryMaxEntries,
		maxBytes:   DefaultMemoryMaxBytes,
		streamLen:  DefaultMemoryStreamLen,
		now:        time.Now,
	}
	for _, o := range opts {
		o(m)
	}
	m.lastSweep = m.now()
	return m
}

// enter locks m for one operation, unless ctx is done or m is closed.
func (m *Memory) enter(ctx context.Context, op string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("store: memory %s: %w", op, err)
	}
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return fmt.Errorf("store: memory %s: %w", op, ErrClosed)
	}
	return nil
}

// Get implements KV; it returns a copy of the value.
func (m *Memory) Get(ctx context.Context, key string) ([]byte, error) {
	if err := checkKeys(key); err != nil {
		return nil, err
	}
	if err := m.enter(ctx, "get"); err != nil {
		return nil, err
	}
	defer m.mu.Unlock()
	e := m.lookup(key, m.now())
	switch {
	case e == nil:
		return nil, ErrNotFound
	case e.stream != nil:
		return nil, errWrongType
	}
	return append([]byte{}, e.value...), nil
}

// Set implements KV; it stores a copy of value.
func (m *Memory) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	_, err := m.set(ctx, key, value, ttl, setAlways)
	return err
}

// Replace implements KV: Set, only for a live key.
func (m *Memory) Replace(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error) {
	return m.set(ctx, key, value, ttl, setIfLive)
}

// Add implements KV: Set, only for an absent or expired key.
func (m *Memory) Add(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error) {
	return m.set(ctx, key, value, ttl, setIfAbsent)
}

// setMode is the condition of a write.
type setMode int

const (
	setAlways setMode = iota
	setIfLive
	setIfAbsent
)

// set stores a copy of value when mode allows it, and reports whether it
// did.
func (m *Memory) set(ctx context.Context, key string, value []byte, ttl time.Duration, mode setMode) (bool, error) {
	if err := checkKeys(key); err != nil {
		return false, err
	}
	if ttl <= 0 {
		return false, errBadTTL
	}
	if err := m.enter(ctx, "set"); err != nil {
		return false, err
	}
	defer m.mu.Unlock()
	now := m.now()
	cur := m.lookup(key, now)
	if mode == setIfLive && (cur == nil || cur.stream != nil) || mode == setIfAbsent && cur != nil {
		return false, nil
	}
	m.maybeSweep(now)
	m.remove(key)
	e := &entry{value: append([]byte{}, value...), expires: now.Add(ttl)}
	e.size = entrySize(key, len(value))
	if err := m.makeRoom(e.size, true, now); err != nil {
		return false, err
	}
	m.insert(key, e)
	return true, nil
}

// Delete implements KV.
func (m *Memory) Delete(ctx context.Context, keys ...string) error {
	if err := checkKeys(keys...); err != nil {
		return err
	}
	if err := m.enter(ctx, "del"); err != nil {
		return err
	}
	defer m.mu.Unlock()
	for _, k := range keys {
		m.remove(k)
	}
	return nil
}

// Incr implements KV. Like Redis, it keeps the expiry of an existing key
// and fails on a value that is not a decimal int64 or would overflow.
func (m *Memory) Incr(ctx context.Context, key string) (int64, error) {
	if err := checkKeys(key); err != nil {
		return 0, err
	}
	if err := m.enter(ctx, "incr"); err != nil {
		return 0, err
	}
	defer m.mu.Unlock()
	now := m.now()
	m.maybeSweep(now)
	e := m.lookup(key, now)
	if e == nil {
		e = &entry{value: []byte("1"), size: entrySize(key, counterSize)}
		if err := m.makeRoom(e.size, true, now); err != nil {
			return 0, err
		}
		m.insert(key, e)
		return 1, nil
	}
	if e.stream != nil {
		return 0, errWrongType
	}
	n, err := strconv.ParseInt(string(e.value), 10, 64)
	if err != nil {
		return 0, errNotInteger
	}
	if n == math.MaxInt64 {
		return 0, fmt.Errorf("store: memory incr: %w", errNotInteger)
	}
	n++
	old := len(e.value)
	e.value = strconv.AppendInt(e.value[:0], n, 10)
	if !e.expires.IsZero() { // a value from Set: account its exact length
		delta := int64(len(e.value) - old)
		e.size += delta
		m.bytes += delta
	}
	return n, nil
}

// Append implements KV. Each stream keeps the last WithStreamLen entries.
func (m *Memory) Append(ctx context.Context, stream string, fields map[string]string) error {
	if err := checkKeys(stream); err != nil {
		return err
	}
	if len(fields) == 0 {
		return errNoFields
	}
	if err := m.enter(ctx, "xadd"); err != nil {
		return err
	}
	defer m.mu.Unlock()
	now := m.now()
	m.maybeSweep(now)
	item := maps.Clone(fields)
	size := fieldsSize(item)
	e := m.lookup(stream, now)
	if e != nil && e.stream == nil {
		return errWrongType
	}
	if e == nil {
		e = &entry{stream: &ring{}, size: entrySize(stream, 0)}
		if err := m.makeRoom(e.size+size, true, now); err != nil {
			return err
		}
		m.insert(stream, e)
	} else if err := m.makeRoom(size, false, now); err != nil {
		return err
	}
	freed := e.stream.push(item, m.streamLen)
	e.size += size - freed
	m.bytes += size - freed
	return nil
}

// Ping implements KV: it fails only when the store is closed.
func (m *Memory) Ping(ctx context.Context) error {
	if err := m.enter(ctx, "ping"); err != nil {
		return err
	}
	defer m.mu.Unlock()
	return nil
}

// Close implements KV and frees the data.
func (m *Memory) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	m.entries = nil
	m.bytes = 0
	return nil
}
