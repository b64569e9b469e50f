package filter

import (
	"errors"
	"fmt"
)

// The errors One and List return. Each means that TheHive's answer cannot be
// filtered safely; the caller answers 502 and never passes the body on. Use
// errors.Is: the returned errors wrap these sentinels with a short reason and
// a byte offset, never with body content.
var (
	// ErrTooLarge: the body is larger than limits.max_response_bytes.
	ErrTooLarge = errors.New("filter: body larger than limits.max_response_bytes")
	// ErrTooDeep: arrays and objects nest deeper than limits.max_json_depth.
	ErrTooDeep = errors.New("filter: JSON nested deeper than limits.max_json_depth")
	// ErrInvalidJSON: the body is not one valid JSON value (truncated,
	// NaN, trailing data, bad escapes...).
	ErrInvalidJSON = errors.New("filter: invalid JSON")
	// ErrDuplicateKey: an object, at any depth, holds the same key twice
	// (compared after decoding escapes, so {"a":1,"\u0061":2} counts).
	ErrDuplicateKey = errors.New("filter: duplicate object key")
	// ErrShape: valid JSON that is not the TheHive shape expected, e.g. an
	// object where a list was expected, an item that is not an object, a
	// non-string _id, a paged form with extra keys.
	ErrShape = errors.New("filter: unexpected JSON shape")
	// ErrTooManyItems: a list holds more items than Scope.MaxItems. Unlike
	// the others, it is about the query, not about TheHive's answer: the
	// caller may ask the client to narrow its query.
	ErrTooManyItems = errors.New("filter: more items than the scope allows")
	// ErrUnknownKind: One or List was called with a kind that is not one
	// of config.Kinds.
	ErrUnknownKind = errors.New("filter: unknown kind")
)

// shapeError wraps ErrShape with what was wrong. what must never hold body
// content.
func shapeError(what string) error {
	return fmt.Errorf("%w: %s", ErrShape, what)
}

// offsetError wraps a sentinel with the byte offset where it was detected.
func offsetError(sentinel error, offset int) error {
	return fmt.Errorf("%w at byte %d", sentinel, offset)
}
