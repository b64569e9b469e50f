package thehivetest

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

type anyNode struct{}

func (anyNode) match(map[string]any) bool { return true }

type andNode []node

func (n andNode) match(o map[string]any) bool {
	return !slices.ContainsFunc(n, func(c node) bool { return !c.match(o) })
}

type orNode []node

func (n orNode) match(o map[string]any) bool {
	return slices.ContainsFunc(n, func(c node) bool { return c.match(o) })
}

type notNode struct{ n node }

func (n notNode) match(o map[string]any) bool { return !n.n.match(o) }

type idNode []string

func (n idNode) match(o map[string]any) bool {
	id, _ := o["_id"].(string)
	return slices.Contains(n, id)
}

type hasNode struct{ field string }

func (n hasNode) match(o map[string]any) bool {
	return anyValue(o, n.field, func(v any) bool { return v != nil })
}

type inNode struct {
	field  string
	values []any
}

func (n inNode) match(o map[string]any) bool {
	return anyValue(o, n.field, func(v any) bool {
		return slices.ContainsFunc(n.values, func(w any) bool { return equalValues(v, w) })
	})
}

// betweenNode matches from <= v < to.
type betweenNode struct {
	field    string
	from, to any
}

func (n betweenNode) match(o map[string]any) bool {
	return anyValue(o, n.field, func(v any) bool {
		lo, ok1 := compareScalar(v, n.from)
		hi, ok2 := compareScalar(v, n.to)
		return ok1 && ok2 && lo >= 0 && hi < 0
	})
}

// cmpNode is a binary comparison; on arrays (tags) any element may match,
// and _ne matches when no element equals the value.
type cmpNode struct {
	op    string
	field string
	value any
}

func (n cmpNode) match(o map[string]any) bool {
	if n.op == "_ne" {
		return !anyValue(o, n.field, func(v any) bool { return equalValues(v, n.value) })
	}
	return anyValue(o, n.field, n.test)
}

func (n cmpNode) test(v any) bool {
	switch n.op {
	case "_eq", "_is":
		return equalValues(v, n.value)
	case "_like", "_wildcard":
		return like(str(v), str(n.value))
	case "_match":
		return matchWords(str(v), str(n.value))
	case "_startsWith":
		return strings.HasPrefix(str(v), str(n.value))
	case "_endsWith":
		return strings.HasSuffix(str(v), str(n.value))
	}
	c, ok := compareScalar(v, n.value)
	if !ok {
		return false
	}
	switch n.op {
	case "_lt":
		return c < 0
	case "_lte":
		return c <= 0
	case "_gt":
		return c > 0
	default: // _gte
		return c >= 0
	}
}

// anyValue reports whether test holds for a value at the dotted path in
// obj. Arrays are searched element by element; an array of {name, value}
// objects (custom fields) resolves a segment by name; values are flattened,
// so `tags` tests each tag. It allocates nothing (filters run on every
// record of a list).
func anyValue(obj map[string]any, path string, test func(any) bool) bool {
	return anyAt(obj, path, test)
}

// lookup collects the values anyValue would test (for sorting).
func lookup(obj map[string]any, path string) []any {
	var out []any
	anyValue(obj, path, func(v any) bool { out = append(out, v); return false })
	return out
}

func anyAt(v any, path string, test func(any) bool) bool {
	if path == "" {
		if arr, ok := v.([]any); ok {
			return slices.ContainsFunc(arr, test)
		}
		return test(v)
	}
	seg, rest, _ := strings.Cut(path, ".")
	switch t := v.(type) {
	case map[string]any:
		c, ok := t[seg]
		return ok && anyAt(c, rest, test)
	case []any:
		for _, e := range t {
			if m, ok := e.(map[string]any); ok && m["name"] == seg {
				if anyAt(m["value"], rest, test) {
					return true
				}
				continue
			}
			if anyAt(e, path, test) {
				return true
			}
		}
	}
	return false
}

func str(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(t)
	}
	return ""
}

func num(v any) (float64, bool) {
	switch t := v.(type) {
	case float64:
		return t, true
	case string:
		f, err := strconv.ParseFloat(t, 64)
		return f, err == nil
	}
	return 0, false
}

// compareScalar orders numbers numerically (a numeric string compares with a
// number), strings lexically and false before true.
func compareScalar(a, b any) (int, bool) {
	_, aNum := a.(float64)
	_, bNum := b.(float64)
	if aNum || bNum {
		x, ok1 := num(a)
		y, ok2 := num(b)
		return cmp.Compare(x, y), ok1 && ok2
	}
	if x, ok := a.(string); ok {
		y, ok := b.(string)
		return strings.Compare(x, y), ok
	}
	if x, ok := a.(bool); ok {
		y, ok := b.(bool)
		return cmp.Compare(boolInt(x), boolInt(y)), ok
	}
	return 0, false
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func equalValues(a, b any) bool {
	if c, ok := compareScalar(a, b); ok {
		return c == 0
	}
	return a == nil && b == nil
}

// compareForSort compares the first values of two lookups; missing values sort last.
func compareForSort(a, b []any, desc bool) int {
	switch {
	case len(a) == 0 && len(b) == 0:
		return 0
	case len(a) == 0:
		return 1
	case len(b) == 0:
		return -1
	}
	c, _ := compareScalar(a[0], b[0])
	if desc {
		return -c
	}
	return c
}

// like is TheHive 5's case-insensitive _like: without `*` a substring match,
// with `*` a wildcard match of the whole value.
func like(value, pattern string) bool {
	value, pattern = strings.ToLower(value), strings.ToLower(pattern)
	if !strings.Contains(pattern, "*") {
		return strings.Contains(value, pattern)
	}
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(value, parts[0]) {
		return false
	}
	value = value[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(value, p)
		if i < 0 {
			return false
		}
		value = value[i+len(p):]
	}
	return strings.HasSuffix(value, last)
}

// matchWords reports whether every word of query is a word of value (case-insensitive).
func matchWords(value, query string) bool {
	split := func(s string) []string {
		return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	}
	words := split(value)
	q := split(query)
	return len(q) > 0 && !slices.ContainsFunc(q, func(w string) bool { return !slices.Contains(words, w) })
}
