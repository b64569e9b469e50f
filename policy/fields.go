package policy

import (
	"strings"

	"github.com/tidwall/gjson"
)

// member names a top-level member of a TheHive object that Decide reads.
type member uint8

const (
	memType member = iota
	memID
	memAccess
	memExternal
	memMessage
	memTags
	numMembers
	memOther = numMembers // any other key
)

// memberSet is a set of members, one bit each.
type memberSet uint8

func (m member) bit() memberSet { return 1 << m }

// memberOf maps a decoded key to its member.
func memberOf(key string) member {
	switch key {
	case "_type":
		return memType
	case "_id":
		return memID
	case "access":
		return memAccess
	case "external":
		return memExternal
	case "message":
		return memMessage
	case "tags":
		return memTags
	}
	return memOther
}

// members holds the raw JSON text of the members found, "" for those
// absent. The texts are slices of the object, not copies.
type members [numMembers]string

// readMembers walks the top-level members of the JSON object raw once and
// keeps the raw values of the members in want; it returns as soon as all of
// them are found. Other values are skipped without being decoded. A key
// repeated at the top level keeps its first value, as gjson's Get does;
// keys at deeper levels are never taken. ok is false when raw is not an
// object or is malformed before the walk ends. It never panics.
func readMembers(raw string, want memberSet) (m members, ok bool) {
	var found memberSet
	it := newObjectIter(raw)
	for key, esc, v, more := it.next(); more; key, esc, v, more = it.next() {
		if k := keyMember(key, esc); k < numMembers && found&k.bit() == 0 {
			m[k], found = v, found|k.bit()
			if found&want == want {
				return m, true
			}
		}
	}
	return m, !it.bad
}

// objectIter walks the top-level members of the raw text of a JSON object,
// skipping values without decoding them.
type objectIter struct {
	s   string
	i   int  // the next member's key, or the closing brace
	bad bool // raw is not an object, or is malformed before the end
	end bool
}

func newObjectIter(raw string) objectIter {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return objectIter{bad: true, end: true}
	}
	it := objectIter{s: raw, i: skipSpace(raw, i+1)}
	it.end = it.i < len(raw) && raw[it.i] == '}'
	return it
}

// next returns the next member: its raw key (quotes included), whether the
// key holds an escape, and its raw value. more is false at the end of the
// object or at the first malformed byte (then bad is set).
func (it *objectIter) next() (key string, esc bool, value string, more bool) {
	if it.end {
		return "", false, "", false
	}
	s, i := it.s, it.i
	end, esc := skipKey(s, i)
	if end < 0 {
		return it.fail()
	}
	key = s[i:end]
	if i = skipSpace(s, end); i >= len(s) || s[i] != ':' {
		return it.fail()
	}
	i = skipSpace(s, i+1)
	next := skipValue(s, i)
	if next < 0 {
		return it.fail()
	}
	value = s[i:next]
	switch it.i = skipSpace(s, next); {
	case it.i < len(s) && s[it.i] == ',':
		it.i = skipSpace(s, it.i+1)
	case it.i < len(s) && s[it.i] == '}':
		it.end = true
	default:
		it.bad = true
		it.end = true
	}
	return key, esc, value, true
}

func (it *objectIter) fail() (string, bool, string, bool) {
	it.bad, it.end = true, true
	return "", false, "", false
}

// skipKey is skipString for keys, which are short: it reads byte by byte
// and reports whether the key holds a backslash (an escape).
func skipKey(s string, i int) (end int, esc bool) {
	if i >= len(s) || s[i] != '"' {
		return -1, false
	}
	for i++; i < len(s); i++ {
		switch c := s[i]; {
		case c > '\\':
		case c == '"':
			return i + 1, esc
		case c == '\\':
			i, esc = i+1, true // skip the escaped byte
		}
	}
	return -1, esc
}

// keyMember maps a raw key, quotes included, to its member. A key with
// escapes is decoded first (by gjson, as Get compares keys).
func keyMember(raw string, esc bool) member {
	if esc {
		return memberOf(gjson.Parse(raw).Str)
	}
	return memberOf(raw[1 : len(raw)-1])
}

// skipSpace returns the index of the first byte at or after i that is not
// JSON white space.
func skipSpace(s string, i int) int {
	for i < len(s) && s[i] <= ' ' && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the index after the JSON value at s[i], or -1.
func skipValue(s string, i int) int {
	if i >= len(s) {
		return -1
	}
	switch s[i] {
	case '"':
		return skipString(s, i)
	case '{', '[':
		return skipNested(s, i)
	}
	return skipScalar(s, i)
}

// shortString is how many bytes of a string skipString reads byte by byte
// before it searches with strings.IndexByte, whose call costs more on the
// short strings that most keys and values are.
const shortString = 32

// skipString returns the index after the closing quote of the string whose
// opening quote is at s[i], or -1. A quote ends the string unless an odd
// number of backslashes precedes it.
func skipString(s string, i int) int {
	if i >= len(s) || s[i] != '"' {
		return -1
	}
	start := i + 1
	short := s[start:min(len(s), start+shortString)]
	for j := 0; j < len(short); j++ {
		switch c := short[j]; {
		case c > '\\':
		case c == '"':
			return start + j + 1
		case c == '\\':
			j++ // the escaped byte
		}
	}
	for i = min(start+shortString, len(s)); ; {
		j := strings.IndexByte(s[i:], '"')
		if j < 0 {
			return -1
		}
		end := i + j
		k := end
		for k > start && s[k-1] == '\\' {
			k--
		}
		if i = end + 1; (end-k)%2 == 0 {
			return i
		}
	}
}

// nestStop marks the bytes skipNested must look at.
var nestStop = [256]bool{'"': true, '{': true, '}': true, '[': true, ']': true}

// skipNested returns the index after the object or array starting at s[i],
// or -1. It counts depth and skips the strings inside, which may hold
// brackets, byte by byte: nested strings are mostly short.
func skipNested(s string, i int) int {
	depth := 0
	for ; i < len(s); i++ {
		c := s[i]
		if !nestStop[c] {
			continue
		}
		switch c {
		case '"':
			i = skipShortString(s, i+1)
		case '{', '[':
			depth++
		default:
			if depth--; depth == 0 {
				return i + 1
			}
		}
	}
	return -1
}

// skipShortString returns the index of the closing quote of the string
// whose text starts at s[i], or len(s).
func skipShortString(s string, i int) int {
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c > '\\':
		case c == '"':
			return i
		case c == '\\':
			i++ // the escaped byte
		}
	}
	return len(s)
}

// skipScalar returns the index after the number or literal (true, false,
// null) at s[i], or -1 when there is none.
func skipScalar(s string, i int) int {
	start := i
	for ; i < len(s); i++ {
		if scalarStop[s[i]] {
			if i == start {
				return -1
			}
			return i
		}
	}
	return -1
}

// scalarStop marks the bytes that end a number or literal.
var scalarStop = [256]bool{',': true, '}': true, ']': true, ':': true, '"': true, '{': true, '[': true,
	' ': true, '\t': true, '\n': true, '\r': true}

// decodeString decodes raw as a JSON string. ok is false when raw is no
// string.
func decodeString(raw string) (s string, ok bool) {
	if len(raw) < 2 || raw[0] != '"' {
		return "", false
	}
	s = raw[1 : len(raw)-1]
	if strings.IndexByte(s, '\\') >= 0 {
		s = gjson.Parse(raw).Str
	}
	return s, true
}

// hasPrefix reports whether raw is a JSON string whose decoded text starts
// with prefix. When raw holds no backslash over the compared length, the
// raw bytes are the decoded bytes there, so rawOK prefixes (no '"', '\\'
// or control characters) compare without decoding the whole message.
func hasPrefix(raw, prefix string, rawOK bool) bool {
	if len(raw) < 2 || raw[0] != '"' {
		return false
	}
	body := raw[1 : len(raw)-1]
	if rawOK && strings.IndexByte(body[:min(len(prefix), len(body))], '\\') < 0 {
		return strings.HasPrefix(body, prefix)
	}
	return strings.HasPrefix(gjson.Parse(raw).Str, prefix)
}

// plainPrefix reports whether prefix can be compared with raw JSON string
// text: it holds no quote, backslash or control character.
func plainPrefix(prefix string) bool {
	for i := 0; i < len(prefix); i++ {
		if c := prefix[i]; c < 0x20 || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}
