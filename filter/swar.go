package filter

import (
	"encoding/binary"
	"math/bits"
)

// Strings are scanned eight bytes at a time: a word is loaded and tested
// for quote and backslash bytes with the classic "has zero byte" trick.
// The lowest flagged byte is always a real match (borrows only propagate
// upwards), which is all the callers use.
const (
	ones    = 0x0101010101010101
	highs   = 0x8080808080808080
	quotes  = '"' * ones
	slashes = '\\' * ones
)

// zeroBytes flags (with its high bit) the lowest zero byte of x, and maybe
// higher ones.
func zeroBytes(x uint64) uint64 { return (x - ones) &^ x & highs }

// special returns the offset of the first quote or backslash in the
// 8 bytes of w (8 when there is none); nonASCII also flags bytes >= 0x80.
func special(w uint64, nonASCII bool) int {
	t := zeroBytes(w^quotes) | zeroBytes(w^slashes)
	if nonASCII {
		t |= w & highs
	}
	return bits.TrailingZeros64(t) >> 3
}

// load64 reads s[i:i+8] little-endian; the compiler makes it one load.
func load64[T ~string | ~[]byte](s T, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// nextSpecial returns the index of the first quote or backslash (or, with
// nonASCII, byte >= 0x80) at or after j, or len(s).
func nextSpecial[T ~string | ~[]byte](s T, j int, nonASCII bool) int {
	for ; j+8 <= len(s); j += 8 {
		if k := special(load64(s, j), nonASCII); k < 8 {
			return j + k
		}
	}
	for ; j < len(s); j++ {
		if c := s[j]; c == '"' || c == '\\' || nonASCII && c >= 0x80 {
			return j
		}
	}
	return len(s)
}

// shortString is how many bytes of a string are searched eight at a time
// before the search switches to IndexByte, faster on long strings.
const shortString = 64

// shortStringEnd looks for the closing quote of the string at s[i] in its
// first shortString bytes. It returns the index after it and true, or
// where to continue searching and false; esc says whether it stepped over
// an escape.
func shortStringEnd[T ~string | ~[]byte](s T, i int) (end int, done, esc bool) {
	limit := min(len(s), i+1+shortString)
	head := s[:limit]
	for j := i + 1; ; j += 2 { // step over a backslash and the byte it escapes
		j = nextSpecial(head, j, false)
		if j >= limit {
			return limit, limit == len(s), esc
		}
		if s[j] == '"' {
			return j + 1, true, esc
		}
		esc = true
	}
}

// closingQuote reports whether the quote at s[j] closes the string opened
// at s[i]: an even number of backslashes precede it. Otherwise it returns
// where to continue.
func closingQuote[T ~string | ~[]byte](s T, i, j int) (int, bool) {
	n := 0
	for p := j - 1; p > i && s[p] == '\\'; p-- {
		n++
	}
	if n%2 == 0 {
		return j + 1, true
	}
	return j + 1, false
}

// keyHash hashes a key for the duplicate check, keyed by a per-Set random
// seed. Its quality only matters for speed: the scan compares keys whose
// hash bits collide, and an object of more than bigObject keys uses a map.
func keyHash(b []byte, seed uint64) uint64 {
	n := len(b)
	h := seed ^ uint64(n)*0x9E3779B97F4A7C15
	for ; len(b) > 8; b = b[8:] {
		h = mix(h^load64(b, 0), 0xBF58476D1CE4E5B9)
	}
	var w uint64
	for i := len(b) - 1; i >= 0; i-- {
		w = w<<8 | uint64(b[i])
	}
	return mix(h^w, 0x94D049BB133111EB)
}

// mix folds the 128-bit product of a and b.
func mix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// quickEnd returns the index just past the string that starts at s[i] when
// it closes within its first sixteen bytes with no escape and no non-ASCII
// byte (most keys and many values), or -1: at most two word loads.
func quickEnd[T ~string | ~[]byte](s T, i int) int {
	for j := i + 1; j <= i+9 && j+8 <= len(s); j += 8 {
		k := special(load64(s, j), true)
		if k < 8 {
			if s[j+k] == '"' {
				return j + k + 1
			}
			return -1
		}
	}
	return -1
}

// controls holds in each byte 0x20, the first byte that JSON strings may
// hold raw.
const controls = 0x20 * ones

// stops flags (with its high bit) the lowest quote, backslash or byte
// below 0x20 of w, and maybe higher ones: the bytes where the grammar scan
// of a string must stop. Borrows only propagate upwards, as in zeroBytes.
func stops(w uint64) uint64 {
	q, s := w^quotes, w^slashes
	return ((q-ones)&^q | (s-ones)&^s | (w-controls)&^w) & highs
}

// nextStop returns the index of the first quote, backslash or control
// byte at or after j, or len(b); with extra = highs, also of the first
// byte >= 0x80.
func nextStop(b []byte, j int, extra uint64) int {
	for ; j+16 <= len(b); j += 16 {
		s := b[j : j+16 : j+16]
		w0, w1 := binary.LittleEndian.Uint64(s), binary.LittleEndian.Uint64(s[8:])
		if t := stops(w0) | w0&extra; t != 0 {
			return j + bits.TrailingZeros64(t)>>3
		}
		if t := stops(w1) | w1&extra; t != 0 {
			return j + 8 + bits.TrailingZeros64(t)>>3
		}
	}
	for ; j < len(b); j++ {
		if c := b[j]; c == '"' || c == '\\' || c < 0x20 || c >= 0x80 && extra != 0 {
			return j
		}
	}
	return len(b)
}

// quickStringEnd is quickEnd for the grammar scan: the index just past the
// string at b[i] when it closes within its first sixteen bytes with no
// escape, no non-ASCII and no control byte, or -1.
func quickStringEnd(b []byte, i int) int {
	for j := i + 1; j <= i+9 && j+8 <= len(b); j += 8 {
		w := load64(b, j)
		if t := stops(w) | w&highs; t != 0 {
			if k := j + bits.TrailingZeros64(t)>>3; b[k] == '"' {
				return k + 1
			}
			return -1
		}
	}
	return -1
}
