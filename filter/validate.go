package filter

import (
	"bytes"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// Sizes of the scanner's stack-allocated state. Deeper documents and more
// simultaneously open keys spill to the heap; objects with more than
// bigObject keys switch from linear comparison to a map.
const (
	stackLevels = 32
	stackKeys   = 128
	stackKinds  = 4 // words of the parser's bit stack: 256 levels
	bigObject   = 64
)

// maxItems bounds the items of one list (config allows at most a million
// in limits.max_list_items); it bounds the memory of the item spans.
const maxItems = 1 << 20

// span is where one item of a list is in the body: [start, end).
type span struct{ start, end int32 }

// validate checks body once, before anything reads it: size, then scan,
// which checks the JSON grammar, nesting depth and duplicate keys in one
// non-recursive pass. On the way it appends to items the spans of the
// arrays and objects that open at nesting depth itemDepth (none when 0):
// the items of a list.
func (s *Set) validate(body []byte, itemDepth int, items []span) ([]span, error) {
	if int64(len(body)) > s.maxBytes {
		return nil, ErrTooLarge
	}
	items, at, err := scan(body, scanOpts{maxDepth: s.maxDepth, seed: s.seed, itemDepth: itemDepth}, items)
	if err == ErrDuplicateKey {
		return nil, offsetError(err, at)
	}
	if err != nil {
		return nil, err
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
	big     bool      // its decoded keys are in structure.bigs
	start   uint32    // first key of this object in keys
	scratch uint32    // length of scratch when it opened
	mask    [4]uint64 // bit hash&255 is set for each key seen
}

// keyRef is one key of an open object: its hash and where its decoded bytes
// are (in the body, or in scratch when it had to be decoded).
type keyRef struct {
	hash     uint64
	off, end uint32
	decoded  bool
}

// structure is the state both scans share: the open levels, the keys of
// the open objects, and the item spans. levels and keys start on the
// caller's stack. To keep them there despite escape analysis, which does
// not tell fields apart: the methods never append but grow a full slice
// into a new array and reslice it in place; no slice element holds a
// pointer (so level does not hold its big map); and the spans, which scan
// returns, are kept out of the struct.
type structure struct {
	o       scanOpts
	levels  []level
	keys    []keyRef
	scratch []byte                      // decoded keys
	bigs    map[int]map[string]struct{} // the keys of the big objects, by level
	items   *spanList
}

// spanList holds the item spans.
type spanList struct{ s []span }

func (l *spanList) push(sp span) {
	if len(l.s) == cap(l.s) {
		l.s = grow(l.s, 1)
	}
	l.s = l.s[:len(l.s)+1]
	l.s[len(l.s)-1] = sp
}

// open records the array or object opening at b[i]: ErrTooDeep beyond
// maxDepth, errTooManyItems beyond maxItems.
func (st *structure) open(i int, obj bool) error {
	if len(st.levels) == st.o.maxDepth {
		return ErrTooDeep
	}
	if len(st.levels) == cap(st.levels) {
		st.levels = grow(st.levels, 1)
	}
	st.levels = st.levels[:len(st.levels)+1]
	st.levels[len(st.levels)-1] = level{obj: obj, start: uint32(len(st.keys)), scratch: uint32(len(st.scratch))}
	if len(st.levels) == st.o.itemDepth {
		if len(st.items.s) == maxItems {
			return errTooManyItems
		}
		st.items.push(span{start: int32(i)})
	}
	return nil
}

// close records the closing bracket at b[i]; a level must be open.
func (st *structure) close(i int) {
	if len(st.levels) == st.o.itemDepth {
		st.items.s[len(st.items.s)-1].end = int32(i + 1)
	}
	top := st.levels[len(st.levels)-1]
	if top.big {
		delete(st.bigs, len(st.levels)-1)
	}
	st.levels = st.levels[:len(st.levels)-1]
	st.keys = st.keys[:top.start]
	st.scratch = st.scratch[:top.scratch]
}

// key records the key string b[i:end] (quotes included) in the innermost
// object and reports whether that object already holds it. plain says
// that its bytes are its decoded form (no escape, no non-ASCII).
func (st *structure) key(b []byte, i, end int, plain bool) bool {
	lv := &st.levels[len(st.levels)-1]
	if plain && !lv.big {
		// The common case, inline: a key without escapes whose hash
		// bit is not yet set cannot be a duplicate.
		ref := keyRef{hash: keyHash(b[i+1:end-1], st.o.seed), off: uint32(i + 1), end: uint32(end - 1)}
		if !lv.seen(ref.hash) && len(st.keys)-int(lv.start) < bigObject {
			lv.mark(ref.hash)
			st.pushKey(ref)
			return false
		}
	}
	return st.add(b, lv, i+1, max(end-1, i+1))
}

// pushKey appends k to the keys.
func (st *structure) pushKey(k keyRef) {
	if len(st.keys) == cap(st.keys) {
		st.keys = grow(st.keys, 1)
	}
	st.keys = st.keys[:len(st.keys)+1]
	st.keys[len(st.keys)-1] = k
}

// grow returns a copy of s with room for n more elements, on the heap.
func grow[T any](s []T, n int) []T {
	t := make([]T, len(s), max(2*cap(s), len(s)+n, 16))
	copy(t, s)
	return t
}

// scan checks that b is one valid JSON value, as gjson.ValidBytes would,
// nested at most maxDepth deep and without duplicate keys, in one
// non-recursive pass (see parser). It returns the item spans, or
// ErrTooDeep, ErrInvalidJSON, errTooManyItems, or ErrDuplicateKey and its
// offset. The errors come in the order of the checks it replaces: the
// structural scan first (depth, items, the first duplicate key), then the
// grammar. So on a syntax error scanStructure decides between ErrTooDeep,
// errTooManyItems and ErrInvalidJSON; the structure it sees matches the
// parser's up to the first syntax error.
func scan(b []byte, o scanOpts, items []span) ([]span, int, error) {
	var levelBuf [stackLevels]level
	var keyBuf [stackKeys]keyRef
	var kindBuf [stackKinds]uint64
	spans := spanList{s: items}
	p := parser{b: b, checking: true, kinds: kindBuf[:0],
		structure: structure{o: o, levels: levelBuf[:0], keys: keyBuf[:0], items: &spans}}
	at, err := p.run()
	switch {
	case err == errSyntax:
		_, at, err = scanStructure(b, o, items[:0])
		if err == ErrTooDeep || err == errTooManyItems {
			return nil, at, err
		}
		return nil, at, ErrInvalidJSON
	case err != nil:
		return nil, at, err
	case !p.checking:
		return nil, p.dupAt, ErrDuplicateKey
	}
	return spans.s, 0, nil
}

// scanStructure is the structural part of scan alone, for invalid JSON:
// it finds nesting deeper than maxDepth, too many items and duplicate keys
// in one pass over the bytes. It is string-aware and never reads out of
// bounds, also on invalid JSON: the structure it sees matches JSON's up to
// the first syntax error. It returns the item spans, and ErrTooDeep,
// ErrInvalidJSON (a closing bracket with nothing open), errTooManyItems,
// or ErrDuplicateKey and its offset.
func scanStructure(b []byte, o scanOpts, items []span) ([]span, int, error) {
	var levelBuf [stackLevels]level
	var keyBuf [stackKeys]keyRef
	spans := spanList{s: items}
	st := structure{o: o, levels: levelBuf[:0], keys: keyBuf[:0], items: &spans}
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
			if st.key(b, i, end, plain) {
				return nil, i, ErrDuplicateKey
			}
			i = end
			continue
		case '{', '[':
			if err := st.open(i, c == '{'); err != nil {
				return nil, i, err
			}
			expectKey = c == '{'
		case '}', ']':
			if len(st.levels) == 0 {
				return nil, i, ErrInvalidJSON
			}
			st.close(i)
			expectKey = false
		case ',':
			expectKey = len(st.levels) > 0 && st.levels[len(st.levels)-1].obj
		}
		i++
	}
	return spans.s, 0, nil
}

// structural marks the bytes scanStructure must look at.
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
func (st *structure) add(b []byte, lv *level, off, end int) bool {
	ref := keyRef{off: uint32(off), end: uint32(end)}
	if needsDecoding(b[off:end]) {
		ref = st.decodeKey(b[off:end])
	}
	name := st.bytesOf(b, ref)
	if lv.big {
		big := st.bigs[len(st.levels)-1]
		_, dup := big[string(name)]
		big[string(name)] = struct{}{}
		if ref.decoded {
			st.scratch = st.scratch[:ref.off]
		}
		return dup
	}
	ref.hash = keyHash(name, st.o.seed)
	if lv.seen(ref.hash) {
		for _, k := range st.keys[lv.start:] {
			if k.hash == ref.hash && bytes.Equal(st.bytesOf(b, k), name) {
				return true
			}
		}
	}
	lv.mark(ref.hash)
	st.pushKey(ref)
	if len(st.keys)-int(lv.start) > bigObject {
		// Huge objects cost O(n) with a map, not O(n²).
		big := make(map[string]struct{}, 2*bigObject)
		for _, k := range st.keys[lv.start:] {
			big[string(st.bytesOf(b, k))] = struct{}{}
		}
		if st.bigs == nil {
			st.bigs = make(map[int]map[string]struct{})
		}
		st.bigs[len(st.levels)-1], lv.big = big, true
		st.keys = st.keys[:lv.start]
	}
	return false
}

// decodeKey decodes raw at the end of scratch.
func (st *structure) decodeKey(raw []byte) keyRef {
	start, room := len(st.scratch), utf8.UTFMax*len(raw)
	if cap(st.scratch)-start < room {
		st.scratch = grow(st.scratch, room)
	}
	n := decodeKey(st.scratch[start:start+room], raw)
	st.scratch = st.scratch[:start+n]
	return keyRef{off: uint32(start), end: uint32(start + n), decoded: true}
}

func (st *structure) bytesOf(b []byte, k keyRef) []byte {
	if k.decoded {
		return st.scratch[k.off:k.end]
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

// decodeKey writes the decoded key raw to dst, which has room for
// utf8.UTFMax bytes per raw byte, and returns its length. Escapes decode
// as encoding/json and gjson decode them (a lone surrogate becomes
// U+FFFD); invalid UTF-8 becomes U+FFFD as in encoding/json. So two keys
// that any of these decoders would merge compare equal here. It is safe
// on invalid input.
func decodeKey(dst, raw []byte) int {
	n := 0
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '\\':
			r, next := decodeEscape(raw, i)
			n += utf8.EncodeRune(dst[n:], r)
			i = next
		case c < utf8.RuneSelf:
			dst[n] = c
			n, i = n+1, i+1
		default:
			r, size := utf8.DecodeRune(raw[i:])
			n += utf8.EncodeRune(dst[n:], r)
			i += size
		}
	}
	return n
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
