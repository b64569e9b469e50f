package filter

import (
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// The walker below reads JSON that validate accepted. gjson's ForEach and
// Get decode every string value they return (about 4 µs and one allocation
// per 1 KB comment message with a newline in it); the walker instead hands
// out raw values and decodes only what a decision needs. Every function is
// bounds-checked, so invalid input gives wrong answers but never a panic.

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// skipSpace returns the index of the first non-space byte at or after i.
func skipSpace(s string, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

// stringEnd returns the index just past the JSON string whose opening quote
// is s[i] (len(s) if it is not terminated).
func stringEnd(s string, i int) int {
	if end := quickEnd(s, i); end >= 0 {
		return end
	}
	j, done, _ := shortStringEnd(s, i)
	for !done {
		k := strings.IndexByte(s[j:], '"')
		if k < 0 {
			return len(s)
		}
		j, done = closingQuote(s, i, j+k)
	}
	return j
}

// stringEndEsc is stringEnd that also reports whether the string holds an
// escape.
func stringEndEsc(s string, i int) (int, bool) {
	if end := quickEnd(s, i); end >= 0 {
		return end, false
	}
	j, done, esc := shortStringEnd(s, i)
	if done {
		return j, esc
	}
	end := stringEnd(s, i)
	return end, esc || strings.IndexByte(s[j:end], '\\') >= 0
}

// valueEnd returns the index just past the value that starts at s[i].
func valueEnd(s string, i int) int {
	if i >= len(s) {
		return len(s)
	}
	switch s[i] {
	case '"':
		return stringEnd(s, i)
	case '{', '[':
		depth := 0
		for i < len(s) {
			if structural[s[i]] == 0 {
				i++
				continue
			}
			switch s[i] {
			case '"':
				i = stringEnd(s, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return len(s)
	}
	for i < len(s) && !isSpace(s[i]) && s[i] != ',' && s[i] != ']' && s[i] != '}' {
		i++
	}
	return i
}

// trimValue returns the one value of a validated body without surrounding
// space, and its offset.
func trimValue(s string) (string, int) {
	i, end := skipSpace(s, 0), len(s)
	for end > i && isSpace(s[end-1]) {
		end--
	}
	return s[i:end], i
}

// members iterates the members of an object: members{s: obj, i: 1}.
type members struct {
	s string
	i int
}

// next returns the decoded key and the raw value of the next member. The
// key allocates only when it holds escapes.
func (m *members) next() (key, val string, ok bool) {
	s := m.s
	i := skipSpace(s, m.i)
	if i < len(s) && s[i] == ',' {
		i = skipSpace(s, i+1)
	}
	if i >= len(s) || s[i] != '"' {
		return "", "", false
	}
	ke, esc := stringEndEsc(s, i)
	if key = s[i+1 : max(ke-1, i+1)]; esc {
		key = gjson.Parse(s[i:ke]).Str
	}
	i = skipSpace(s, ke)
	if i >= len(s) || s[i] != ':' {
		return "", "", false
	}
	i = skipSpace(s, i+1)
	ve := valueEnd(s, i)
	m.i = ve
	return key, s[i:ve], i < ve
}

// elements iterates the elements of an array: elements{s: arr, i: 1}.
type elements struct {
	s string
	i int
}

// next returns the raw value of the next element.
func (e *elements) next() (val string, ok bool) {
	s := e.s
	i := skipSpace(s, e.i)
	if i < len(s) && s[i] == ',' {
		i = skipSpace(s, i+1)
	}
	if i >= len(s) || s[i] == ']' {
		return "", false
	}
	ve := valueEnd(s, i)
	e.i = ve
	return s[i:ve], i < ve
}

// isString reports whether a raw value is a JSON string.
func isString(raw string) bool { return len(raw) >= 2 && raw[0] == '"' }

// isNumber reports whether a raw value is a JSON number.
func isNumber(raw string) bool {
	return raw != "" && (raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'))
}

// content returns the raw body of a JSON string value, without quotes.
func content(raw string) string { return raw[1 : len(raw)-1] }

// decodeString returns the decoded value of a raw JSON string exactly as
// gjson decodes it (the policy decides on gjson's decoding), and whether it
// held escapes. It allocates only when there are escapes.
func decodeString(raw string) (string, bool) {
	c := content(raw)
	if strings.IndexByte(c, '\\') < 0 {
		return c, false
	}
	return gjson.Parse(raw).Str, true
}

// decodeAt decodes one character of a string body at s[i]: its UTF-8 bytes
// and the index after it. With esc false, s is already decoded and each
// byte stands for itself. Decoding matches gjson's, including surrogate
// pairs. n is 0 at the end of s or on a malformed escape.
func decodeAt(s string, i int, esc bool) (buf [utf8.UTFMax]byte, n, next int) {
	if i >= len(s) {
		return buf, 0, i
	}
	if !esc || s[i] != '\\' {
		buf[0] = s[i]
		return buf, 1, i + 1
	}
	if i+1 < len(s) && s[i+1] == 'u' {
		if _, ok := hex4(s, i+2); !ok {
			return buf, 0, i
		}
	}
	r, next := decodeEscape(s, i)
	return buf, utf8.EncodeRune(buf[:], r), next
}

// matchDecoded reports whether the decoded string body s continues at i
// with want, and returns the index after it. esc says whether s holds JSON
// escapes (a raw string body) or is already decoded.
func matchDecoded(s string, i int, want string, esc bool) (int, bool) {
	if end := i + len(want); end <= len(s) && (!esc || strings.IndexByte(s[i:end], '\\') < 0) {
		return end, s[i:end] == want
	}
	for k := 0; k < len(want); {
		buf, n, next := decodeAt(s, i, esc)
		if n == 0 || k+n > len(want) || string(buf[:n]) != want[k:k+n] {
			return i, false
		}
		k, i = k+n, next
	}
	return i, true
}

// equalDecoded reports whether the decoded string body s equals want.
func equalDecoded(s, want string, esc bool) bool {
	end, ok := matchDecoded(s, 0, want, esc)
	return ok && end == len(s)
}

// appendCompact appends a raw value without the spaces between tokens, so
// that pretty-printed input still gives compact output.
func appendCompact(dst []byte, raw string) []byte {
	if raw == "" || (raw[0] != '{' && raw[0] != '[') {
		return append(dst, raw...)
	}
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '"':
			end := stringEnd(raw, i)
			dst = append(dst, raw[i:end]...)
			i = end
		case isSpace(c):
			i++
		default:
			dst = append(dst, c)
			i++
		}
	}
	return dst
}
