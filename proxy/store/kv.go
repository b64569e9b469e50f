package store

import (
	"context"
	"errors"
	"time"
)

// KV is a key-value store with expiry. Keys are plain strings chosen by the
// caller; implementations add their own namespace (see RedisOptions.Prefix).
// All methods are safe for concurrent use.
type KV interface {
	// Get returns the value stored at key, or ErrNotFound when the key is
	// absent or expired. Any other error means the store could not answer.
	Get(ctx context.Context, key string) ([]byte, error)
	// Set stores value at key, replacing whatever was there, for ttl (which
	// must be positive).
	Set(ctx context.Context, key string, value []byte, ttl time.Duration) error
	// Replace sets key like Set, but only when it exists (and has not
	// expired); it reports whether it did. A record deleted meanwhile
	// (a signed-out session) is never written back.
	Replace(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error)
	// Add sets key like Set, but only when it is absent (or expired); it
	// reports whether it did (SET NX). Of several callers racing on one
	// key, exactly one gets true: notifications use it so that replicas
	// agree on who sends a mail.
	Add(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error)
	// Delete removes the keys; keys that do not exist are ignored.
	Delete(ctx context.Context, keys ...string) error
	// Incr atomically adds one to the integer at key and returns the new
	// value. A missing key starts at 0 and gets no expiry; a key that
	// holds something other than an integer gives an error.
	Incr(ctx context.Context, key string) (int64, error)
	// Append adds one entry with fields (at least one) to the stream at
	// key. The stream keeps about the last StreamMaxLen entries (Redis) or
	// a bounded ring (Memory).
	Append(ctx context.Context, stream string, fields map[string]string) error
	// Ping checks that the store can answer.
	Ping(ctx context.Context) error
	// Close releases the store. Later calls fail with ErrClosed; a second
	// Close returns nil.
	Close() error
}

// ErrNotFound is returned by Get when a key is absent or expired. Check it
// with errors.Is. No other condition produces it.
var ErrNotFound = errors.New("store: not found")

// ErrClosed is returned (wrapped) by every call on a closed store.
var ErrClosed = errors.New("store: closed")

// StreamMaxLen is the approximate number of entries a Redis stream keeps
// (XADD MAXLEN ~).
const StreamMaxLen = 100_000

// errEmptyKey is returned for an empty key or stream name.
var errEmptyKey = errors.New("store: empty key")

// errBadTTL is returned by Set for a ttl that is not positive.
var errBadTTL = errors.New("store: ttl must be positive")

// errNoFields is returned by Append without fields.
var errNoFields = errors.New("store: stream entry without fields")

// errWrongType mirrors Redis' WRONGTYPE error in Memory.
var errWrongType = errors.New("store: key holds a value of another type")

// errNotInteger mirrors Redis' "not an integer" error in Memory.
var errNotInteger = errors.New("store: value is not an integer")

// checkKeys rejects empty keys.
func checkKeys(keys ...string) error {
	for _, k := range keys {
		if k == "" {
			return errEmptyKey
		}
	}
	return nil
}
