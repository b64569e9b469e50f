package thehivetest

import (
	"encoding/json"
	"slices"
)

// appendWithout appends v's JSON object without the top-level keys in
// exclude, in the original key order (as TheHive drops excludeFields). It
// costs about what encoding v costs, as leaving fields out should: one
// encoding, then one pass over its compact output.
func appendWithout(out []byte, v any, exclude []string) []byte {
	raw, err := json.Marshal(v)
	if err != nil || len(raw) < 2 || raw[0] != '{' {
		return append(out, "null"...)
	}
	out = append(out, '{')
	first := true
	for i := 1; i < len(raw) && raw[i] == '"'; {
		keyEnd := stringEnd(raw, i)
		valEnd := valueEnd(raw, keyEnd+1) // after the ':'
		// encoding/json writes keys without escapes for these names.
		if !slices.Contains(exclude, string(raw[i+1:keyEnd-1])) {
			if !first {
				out = append(out, ',')
			}
			first = false
			out = append(out, raw[i:valEnd]...)
		}
		i = valEnd + 1 // past the ',' (or the closing '}')
	}
	return append(out, '}')
}

// stringEnd returns the index after the JSON string starting at b[i].
func stringEnd(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
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
