package filter

import (
	"bytes"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// Sizes of the scanner's stack-allocated state. Deeper documents and more
// simultaneously open keys spill to the heap; objects with more than
// bigObject keys switch from linear comparison to a map.
const (
	stackLevels = 32
	stackKeys   = 128
	bigObject   = 64
)

// maxItems bounds the items of one list (config allows at most a million
// in limits.max_list_items); it bounds the memory of the item spans.
const maxItems = 1 << 20

// span is where one item of a list is in the body: [start, end).
type span struct{ start, end int32 }

// validate checks body once, before anything reads it: size, nesting depth,
// duplicate keys, then gjson.ValidBytes. The depth scan runs first because
// gjson.ValidBytes recurses once per nesting level: about ten million nested
// "[" (20 MB) overflow the goroutine stack, which is fatal, not a panic.
// On the way it appends to items the spans of the arrays and objects that
// open at nesting depth itemDepth (none when 0): the items of a list.
func (s *Set) validate(body []byte, itemDepth int, items []span) ([]span, error) {
	if int64(len(body)) > s.maxBytes {
		return nil, ErrTooLarge
	}
	items, at, err := scan(body, scanOpts{maxDepth: s.maxDepth, seed: s.seed, itemDepth: itemDepth}, items)
	if err == ErrTooDeep || err == ErrInvalidJSON || err == errTooManyItems {
		return nil, err
	}
	if !gjson.ValidBytes(body) {
		return nil, ErrInvalidJSON
	}
	if err != nil {
		return nil, offsetError(err, at)
	}
	return items, nil
}

// errTooManyItems: a list has more than maxItems items.
var errTooManyItems = fmt.Errorf("%w: more than %d items", ErrTooLarge, maxItems)

// scanOpts are the parameters of scan.
type scanOpts struct {
	maxDepth  int
	seed      uint64
	itemDepth int // record the spans of containers opened at this depth
}

// level is one open array or object of the scan.
type level struct {
	obj     bool
	start   uint32              // first key of this object in keys
	scratch uint32              // length of scratch when it opened
	mask    [4]uint64           // bit hash&255 is set for each key seen
	big     map[string]struct{} // decoded keys, once the object is big
}

// keyRef is one key of an open object: its hash and where its decoded bytes
// are (in the body, or in scratch when it had to be decoded).
type keyRef struct {
	hash     uint64
	off, end uint32
	decoded  bool
}

// keySet holds the keys of the open objects. It is passed and returned by
// value so that its stack-allocated arrays stay on the stack.
type keySet struct {
	keys    []keyRef
	scratch []byte
}

// scan finds nesting deeper than maxDepth and duplicate keys in one pass
// over the bytes. It is string-aware and never reads out of bounds, also on
// invalid JSON, where its answer only matters for depth: the structure it
// sees matches JSON's up to the first syntax error, so it never sees less
// nesting than gjson's validator recurses into. It returns the item spans,
// and ErrTooDeep, ErrInvalidJSON (a closing bracket with nothing open),
// errTooManyItems, or ErrDuplicateKey and its offset.
func scan(b []byte, o scanOpts, items []span) ([]span, int, error) {
	var levelBuf [stackLevels]level
	var keyBuf [stackKeys]keyRef
	levels, ks := levelBuf[:0], keySet{keys: keyBuf[:0]}
	expectKey := false
	for i := 0; i < len(b); {
		c := b[i]
		if structural[c] == 0 {
			i++
			continue
		}
		switch c {
		case '"':
			end, plain := quickEnd(b, i), true
			if !expectKey {
				if end < 0 {
					end = bytesStringEnd(b, i)
				}
				i = end
				continue
			}
			expectKey = false
			if end < 0 {
				end, plain = keyEnd(b, i)
			}
			lv := &levels[len(levels)-1]
			if plain && lv.big == nil {
				// The common case, inline: a key without escapes whose
				// hash bit is not yet set cannot be a duplicate.
				ref := keyRef{hash: keyHash(b[i+1:end-1], o.seed), off: uint32(i + 1), end: uint32(end - 1)}
				if !lv.seen(ref.hash) && len(ks.keys)-int(lv.start) < bigObject {
					lv.mark(ref.hash)
					ks.keys = append(ks.keys, ref)
					i = end
					continue
				}
			}
			var dup bool
			if ks, dup = ks.add(b, o.seed, lv, i+1, max(end-1, i+1)); dup {
				return nil, i, ErrDuplicateKey
			}
			i = end
			continue
		case '{', '[':
			if len(levels) == o.maxDepth {
				return nil, i, ErrTooDeep
			}
			levels = append(levels, level{obj: c == '{',
				start: uint32(len(ks.keys)), scratch: uint32(len(ks.scratch))})
			expectKey = c == '{'
			if len(levels) == o.itemDepth {
				if len(items) == maxItems {
					return nil, i, errTooManyItems
				}
				items = append(items, span{start: int32(i)})
			}
		case '}', ']':
			if len(levels) == 0 {
				return nil, i, ErrInvalidJSON
			}
			if len(levels) == o.itemDepth {
				items[len(items)-1].end = int32(i + 1)
			}
			top := &levels[len(levels)-1]
			ks.keys, ks.scratch = ks.keys[:top.start], ks.scratch[:top.scratch]
			levels = levels[:len(levels)-1]
			expectKey = false
		case ',':
			expectKey = len(levels) > 0 && levels[len(levels)-1].obj
		}
		i++
	}
	return items, 0, nil
}

// structural marks the bytes scan must look at.
var structural = [256]byte{'"': 1, '{': 1, '[': 1, '}': 1, ']': 1, ',': 1}

func (lv *level) seen(h uint64) bool { return lv.mask[h>>6&3]&(1<<(h&63)) != 0 }
func (lv *level) mark(h uint64)      { lv.mask[h>>6&3] |= 1 << (h & 63) }

// keyEnd returns the index just past the key string that starts at b[i],
// and whether its bytes are its decoded form (no escape, no non-ASCII).
func keyEnd(b []byte, i int) (int, bool) {
	plain := true
	for j := i + 1; ; {
		j = nextSpecial(b, j, true)
		switch {
		case j >= len(b):
			return len(b), false
		case b[j] == '"':
			return j + 1, plain
		case b[j] == '\\':
			plain, j = false, j+2
		default: // non-ASCII
			plain, j = false, j+1
		}
	}
}

// add is the general case of recording the key b[off:end] in the innermost
// object lv: decoding, comparison on a hash-bit hit, big objects. It
// reports whether lv already holds the key.
func (ks keySet) add(b []byte, seed uint64, lv *level, off, end int) (keySet, bool) {
	ref := keyRef{off: uint32(off), end: uint32(end)}
	if needsDecoding(b[off:end]) {
		start := len(ks.scratch)
		ks.scratch = appendDecodedKey(ks.scratch, b[off:end])
		ref = keyRef{off: uint32(start), end: uint32(len(ks.scratch)), decoded: true}
	}
	name := ks.bytesOf(b, ref)
	if lv.big != nil {
		_, dup := lv.big[string(name)]
		lv.big[string(name)] = struct{}{}
		if ref.decoded {
			ks.scratch = ks.scratch[:ref.off]
		}
		return ks, dup
	}
	ref.hash = keyHash(name, seed)
	if lv.seen(ref.hash) {
		for _, k := range ks.keys[lv.start:] {
			if k.hash == ref.hash && bytes.Equal(ks.bytesOf(b, k), name) {
				return ks, true
			}
		}
	}
	lv.mark(ref.hash)
	ks.keys = append(ks.keys, ref)
	if len(ks.keys)-int(lv.start) > bigObject {
		// Huge objects cost O(n) with a map, not O(n²).
		lv.big = make(map[string]struct{}, 2*bigObject)
		for _, k := range ks.keys[lv.start:] {
			lv.big[string(ks.bytesOf(b, k))] = struct{}{}
		}
		ks.keys = ks.keys[:lv.start]
	}
	return ks, false
}

func (ks keySet) bytesOf(b []byte, k keyRef) []byte {
	if k.decoded {
		return ks.scratch[k.off:k.end]
	}
	return b[k.off:k.end]
}

// bytesStringEnd is stringEnd on bytes.
func bytesStringEnd(b []byte, i int) int {
	if end := quickEnd(b, i); end >= 0 {
		return end
	}
	j, done, _ := shortStringEnd(b, i)
	for !done {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return len(b)
		}
		j, done = closingQuote(b, i, j+k)
	}
	return j
}

// needsDecoding reports whether raw key bytes differ from their decoded
// form: they hold an escape or a non-ASCII byte (which may be invalid
// UTF-8, and decoders differ on those).
func needsDecoding(raw []byte) bool {
	for _, c := range raw {
		if c == '\\' || c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// appendDecodedKey appends the decoded key to dst. Escapes decode as
// encoding/json and gjson decode them (a lone surrogate becomes U+FFFD);
// invalid UTF-8 becomes U+FFFD as in encoding/json. So two keys that any
// of these decoders would merge compare equal here. It is safe on invalid
// input.
func appendDecodedKey(dst, raw []byte) []byte {
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '\\':
			r, next := decodeEscape(raw, i)
			dst = utf8.AppendRune(dst, r)
			i = next
		case c < utf8.RuneSelf:
			dst = append(dst, c)
			i++
		default:
			r, n := utf8.DecodeRune(raw[i:])
			dst = utf8.AppendRune(dst, r)
			i += n
		}
	}
	return dst
}

// decodeEscape decodes the escape starting at the backslash raw[i] and
// returns the rune and the index after it. Malformed escapes (only possible
// in invalid JSON) decode to U+FFFD.
func decodeEscape[T ~string | ~[]byte](raw T, i int) (rune, int) {
	if i+1 >= len(raw) {
		return utf8.RuneError, len(raw)
	}
	switch raw[i+1] {
	case '"', '\\', '/':
		return rune(raw[i+1]), i + 2
	case 'b':
		return '\b', i + 2
	case 'f':
		return '\f', i + 2
	case 'n':
		return '\n', i + 2
	case 'r':
		return '\r', i + 2
	case 't':
		return '\t', i + 2
	case 'u':
		r, ok := hex4(raw, i+2)
		if !ok {
			return utf8.RuneError, min(i+2, len(raw))
		}
		next := i + 6
		if utf16.IsSurrogate(r) && r < 0xDC00 && next+6 <= len(raw) && raw[next] == '\\' && raw[next+1] == 'u' {
			if r2, ok := hex4(raw, next+2); ok && r2 >= 0xDC00 && r2 < 0xE000 {
				return utf16.DecodeRune(r, r2), next + 6
			}
		}
		if utf16.IsSurrogate(r) {
			return utf8.RuneError, next
		}
		return r, next
	}
	return utf8.RuneError, i + 2
}

// hex4 parses the four hex digits at raw[i:i+4].
func hex4[T ~string | ~[]byte](raw T, i int) (rune, bool) {
	if i+4 > len(raw) {
		return 0, false
	}
	var r rune
	for k := i; k < i+4; k++ {
		c := raw[k]
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
