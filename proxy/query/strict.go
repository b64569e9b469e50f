package query

import (
	"strconv"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// checkJSON makes sure body is one valid JSON document of valid UTF-8,
// within the size and depth limits, whose objects all have distinct decoded
// keys. The depth is checked before anything recursive runs.
func checkJSON(body []byte, lim *Limits) (gjson.Result, error) {
	if len(body) > lim.MaxBodyBytes {
		return gjson.Result{}, bad("body too large")
	}
	if !utf8.Valid(body) {
		return gjson.Result{}, bad("body is not valid UTF-8")
	}
	if !depthWithin(body, lim.MaxDepth) {
		return gjson.Result{}, bad("body nested too deeply")
	}
	if !gjson.ValidBytes(body) {
		return gjson.Result{}, bad("body is not valid JSON")
	}
	doc := gjson.ParseBytes(body)
	if !uniqueKeys(doc) {
		return gjson.Result{}, bad("duplicate key in body")
	}
	return doc, nil
}

// depthWithin reports whether the nesting of arrays and objects in body
// never exceeds max. It scans bytes without recursion and skips strings, so
// it is safe on any input; syntax is checked afterwards.
func depthWithin(body []byte, max int) bool {
	depth, inString, escaped := 0, false, false
	for _, c := range body {
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case inString:
			inString = c != '"'
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
			if depth > max {
				return false
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return true
}

// uniqueKeys reports whether no object in r repeats a key. Keys are compared
// decoded, so "_name" and "\u005fname" are the same key. The caller bounds
// the depth first.
func uniqueKeys(r gjson.Result) bool {
	ok := true
	switch {
	case r.IsObject():
		seen := map[string]bool{}
		r.ForEach(func(k, v gjson.Result) bool {
			if seen[k.Str] || !uniqueKeys(v) {
				ok = false
			}
			seen[k.Str] = true
			return ok
		})
	case r.IsArray():
		r.ForEach(func(_, v gjson.Result) bool {
			ok = uniqueKeys(v)
			return ok
		})
	}
	return ok
}

// object returns the members of r by decoded key, or ok false when r is not
// an object. checkJSON has already ruled out duplicate keys.
func object(r gjson.Result) (m map[string]gjson.Result, ok bool) {
	if !r.IsObject() {
		return nil, false
	}
	m = map[string]gjson.Result{}
	r.ForEach(func(k, v gjson.Result) bool {
		m[k.Str] = v
		return true
	})
	return m, true
}

// only reports whether every key of m is one of keys.
func only(m map[string]gjson.Result, keys ...string) bool {
	n := 0
	for _, k := range keys {
		if _, ok := m[k]; ok {
			n++
		}
	}
	return n == len(m)
}

// str returns r's decoded value when r is a JSON string.
func str(r gjson.Result) (string, bool) {
	if r.Type != gjson.String {
		return "", false
	}
	return r.Str, true
}

// index parses r as a plain non-negative JSON integer (no sign, fraction,
// exponent or leading zero) of at most maxIndex.
func index(r gjson.Result) (int, bool) {
	if r.Type != gjson.Number || !digits(r.Raw, 1, 9) || (len(r.Raw) > 1 && r.Raw[0] == '0') {
		return 0, false
	}
	n, err := strconv.Atoi(r.Raw)
	return n, err == nil && n <= maxIndex
}

// digits reports whether s is between lo and hi ASCII digits.
func digits(s string, lo, hi int) bool {
	if len(s) < lo || len(s) > hi {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
