package thehivetest

import "bytes"

// withoutFields copies list, the compact JSON array of objects that
// encoding/json wrote, leaving out the top-level keys in exclude of each
// object, in the original key order (as TheHive drops excludeFields). It
// is one pass over the encoded list, so that leaving fields out costs
// about what sending them costs.
func withoutFields(list []byte, excludeList []string) []byte {
	exclude := newKeySet(excludeList)
	out := make([]byte, 0, len(list))
	out = append(out, '[')
	for i := 1; i < len(list) && list[i] == '{'; {
		if len(out) > 1 {
			out = append(out, ',')
		}
		out, i = appendObjectWithout(out, list, i, exclude)
		i++ // past the ',' or the closing ']'
	}
	return append(out, ']')
}

// appendObjectWithout appends the object at b[i] without the keys in
// exclude and returns the index after it.
func appendObjectWithout(out, b []byte, i int, exclude *keySet) ([]byte, int) {
	out = append(out, '{')
	first := true
	for i++; i < len(b) && b[i] == '"'; {
		keyEnd := stringEnd(b, i)
		valEnd := valueEnd(b, keyEnd+1) // after the ':'
		// encoding/json writes these keys without escapes.
		if !exclude.has(b[i+1 : keyEnd-1]) {
			if !first {
				out = append(out, ',')
			}
			first = false
			out = append(out, b[i:valEnd]...)
		}
		i = valEnd
		if i < len(b) && b[i] == ',' {
			i++
		}
	}
	return append(out, '}'), i + 1 // past the '}'
}

// keySet holds the excluded keys by length: a key is compared only with
// the few of its length (a map lookup per key cost more than the rest).
// Names of 64 bytes or more are never excluded (no TheHive field is that
// long).
type keySet struct{ byLen [64][]string }

func newKeySet(keys []string) *keySet {
	ks := &keySet{}
	for _, k := range keys {
		if len(k) < len(ks.byLen) {
			ks.byLen[len(k)] = append(ks.byLen[len(k)], k)
		}
	}
	return ks
}

func (ks *keySet) has(key []byte) bool {
	if len(key) >= len(ks.byLen) {
		return false
	}
	for _, k := range ks.byLen[len(key)] {
		if string(key) == k {
			return true
		}
	}
	return false
}

// stringEnd returns the index after the JSON string starting at b[i].
func stringEnd(b []byte, i int) int {
	for i++; i < len(b); {
		j := bytes.IndexByte(b[i:], '"')
		if j < 0 {
			return len(b)
		}
		i += j
		// The quote ends the string unless an odd number of backslashes
		// precedes it.
		n := 0
		for k := i - 1; k >= 0 && b[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			return i + 1
		}
		i++
	}
	return len(b)
}

// valueEnd returns the index after the compact JSON value starting at b[i].
func valueEnd(b []byte, i int) int {
	depth := 0
	for i < len(b) {
		switch b[i] {
		case '"':
			i = stringEnd(b, i)
			if depth == 0 {
				return i
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return i
			}
			if depth--; depth == 0 {
				return i + 1
			}
		case ',':
			if depth == 0 {
				return i
			}
		}
		i++
	}
	return len(b)
}
