package filter

import "errors"

// The parser checks the JSON grammar exactly as gjson.ValidBytes does (and
// encoding/json.Valid, within its depth limit): one value with only space,
// tab, newline and carriage return around it; literals true, false, null;
// numbers -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?; strings without
// bytes below 0x20 whose escapes are \" \\ \/ \b \f \n \r \t and \u with
// four hex digits. Like gjson, it does not check UTF-8 nor surrogates.
//
// It is a loop over the values, with an explicit stack, so that no input
// makes it recurse. While checking, it also feeds the structure (depth,
// items, duplicate keys); after the first duplicate key it only checks the
// grammar, at any depth, keeping one bit per open level.

// errSyntax: the body is not valid JSON. scan turns it into
// ErrInvalidJSON, or into the structural error found before.
var errSyntax = errors.New("filter: JSON syntax error")

// errEnd: the top-level value ended and only whitespace follows.
var errEnd = errors.New("filter: end of JSON")

// parser is the state of the grammar scan.
type parser struct {
	structure
	b        []byte
	checking bool     // until the first duplicate key
	dupAt    int      // offset of the first duplicate key
	depth    int      // open arrays and objects
	kinds    []uint64 // bit d: level d is an object
}

// run checks p.b. It returns nil, or errSyntax, ErrTooDeep or
// errTooManyItems and where.
func (p *parser) run() (int, error) {
	b, i := p.b, skipWS(p.b, 0)
	for {
		var err error
		after := true // i is after a value, not at one
		switch c := byteAt(b, i); c {
		case '{', '[':
			i, after, err = p.open(i, c == '{')
		case '"':
			i, err = valueStringEnd(b, i)
		case 't':
			i, err = literalEnd(b, i, "true")
		case 'f':
			i, err = literalEnd(b, i, "false")
		case 'n':
			i, err = literalEnd(b, i, "null")
		default:
			i, err = numberEnd(b, i)
		}
		if err == nil && after {
			i, err = p.next(i)
		}
		if err == errEnd {
			return i, nil
		}
		if err != nil {
			return i, err
		}
	}
}

// open enters the array or object at b[i]. It returns where its first
// value starts (after the key, in an object), or the index after it and
// after=true when it is empty.
func (p *parser) open(i int, obj bool) (next int, after bool, err error) {
	if p.checking {
		if err := p.structure.open(i, obj); err != nil {
			return i, false, err
		}
	}
	p.push(obj)
	j := skipWS(p.b, i+1)
	switch c := byteAt(p.b, j); {
	case obj && c == '}', !obj && c == ']':
		p.close(j)
		return j + 1, true, nil
	case obj:
		j, err = p.key(j)
	}
	return j, false, err
}

// next reads what follows a value: closing brackets, then a comma and, in
// an object, the key after it. It returns where the next value starts, or
// errEnd after the top-level value.
func (p *parser) next(i int) (int, error) {
	for {
		i = skipWS(p.b, i)
		if p.depth == 0 {
			if i == len(p.b) {
				return i, errEnd
			}
			return i, errSyntax
		}
		obj := p.kinds[(p.depth-1)>>6]&(1<<((p.depth-1)&63)) != 0
		switch c := byteAt(p.b, i); {
		case c == ',' && obj:
			return p.key(skipWS(p.b, i+1))
		case c == ',':
			return skipWS(p.b, i+1), nil
		case obj && c == '}', !obj && c == ']':
			p.close(i)
			i++
		default:
			return i, errSyntax
		}
	}
}

// key reads the key at b[i], records it, and returns where its value
// starts, after the colon.
func (p *parser) key(i int) (int, error) {
	b := p.b
	if byteAt(b, i) != '"' {
		return i, errSyntax
	}
	end, plain := quickStringEnd(b, i), true
	if end < 0 {
		var err error
		if end, plain, err = keyStringEnd(b, i); err != nil {
			return end, err
		}
	}
	if p.checking && p.structure.key(b, i, end, plain) {
		p.checking, p.dupAt = false, i
	}
	j := skipWS(b, end)
	if byteAt(b, j) != ':' {
		return j, errSyntax
	}
	return skipWS(b, j+1), nil
}

// push opens a level on the bit stack.
func (p *parser) push(obj bool) {
	w, bit := p.depth>>6, uint64(1)<<(p.depth&63)
	if w == len(p.kinds) {
		if w == cap(p.kinds) {
			p.kinds = grow(p.kinds, 1)
		}
		p.kinds = p.kinds[:w+1]
	}
	if obj {
		p.kinds[w] |= bit
	} else {
		p.kinds[w] &^= bit
	}
	p.depth++
}

// close leaves the innermost level at the closing bracket b[i].
func (p *parser) close(i int) {
	p.depth--
	if p.checking {
		p.structure.close(i)
	}
}

// byteAt returns b[i], or 0 (never valid where a token is expected) past the
// end.
func byteAt(b []byte, i int) byte {
	if i < len(b) {
		return b[i]
	}
	return 0
}

// spaces marks the JSON whitespace bytes, all below 64.
const spaces uint64 = 1<<' ' | 1<<'\t' | 1<<'\n' | 1<<'\r'

// skipWS returns the index of the first non-whitespace byte at or
// after i, or len(b).
func skipWS(b []byte, i int) int {
	for i < len(b) && b[i] <= ' ' && spaces&(1<<b[i]) != 0 {
		i++
	}
	return i
}

// literalEnd returns the index after the literal lit at b[i].
func literalEnd(b []byte, i int, lit string) (int, error) {
	if len(b)-i >= len(lit) && string(b[i:i+len(lit)]) == lit {
		return i + len(lit), nil
	}
	return i, errSyntax
}

// numberEnd returns the index after the number at b[i].
func numberEnd(b []byte, i int) (int, error) {
	if byteAt(b, i) == '-' {
		i++
	}
	switch c := byteAt(b, i); {
	case c == '0':
		i++
	case c-'1' < 9:
		i = digitsEnd(b, i+1)
	default:
		return i, errSyntax
	}
	if byteAt(b, i) == '.' {
		if byteAt(b, i+1)-'0' >= 10 {
			return i, errSyntax
		}
		i = digitsEnd(b, i+2)
	}
	if byteAt(b, i)|0x20 == 'e' {
		i++
		if c := byteAt(b, i); c == '+' || c == '-' {
			i++
		}
		if byteAt(b, i)-'0' >= 10 {
			return i, errSyntax
		}
		i = digitsEnd(b, i+1)
	}
	return i, nil
}

// digitsEnd returns the index of the first non-digit at or after i.
func digitsEnd(b []byte, i int) int {
	for i < len(b) && b[i]-'0' < 10 {
		i++
	}
	return i
}

// valueStringEnd returns the index after the string value at b[i].
func valueStringEnd(b []byte, i int) (int, error) {
	for j := i + 1; ; {
		j = nextStop(b, j, 0)
		switch {
		case j == len(b):
			return j, errSyntax
		case b[j] == '"':
			return j + 1, nil
		case b[j] == '\\':
			var ok bool
			if j, ok = escapeEnd(b, j); !ok {
				return j, errSyntax
			}
		default: // a control character
			return j, errSyntax
		}
	}
}

// keyStringEnd is valueStringEnd for keys: it also reports whether the key's
// bytes are its decoded form (no escape, no non-ASCII byte).
func keyStringEnd(b []byte, i int) (end int, plain bool, err error) {
	plain = true
	for j := i + 1; ; {
		j = nextStop(b, j, highs)
		switch c := byteAt(b, j); {
		case j == len(b):
			return j, false, errSyntax
		case c == '"':
			return j + 1, plain, nil
		case c == '\\':
			var ok bool
			if j, ok = escapeEnd(b, j); !ok {
				return j, false, errSyntax
			}
			plain = false
		case c >= 0x80:
			j, plain = j+1, false
		default: // a control character
			return j, false, errSyntax
		}
	}
}

// escapeEnd returns the index after the escape at the backslash b[j], and
// whether it is valid.
func escapeEnd(b []byte, j int) (int, bool) {
	switch byteAt(b, j+1) {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return j + 2, true
	case 'u':
		_, ok := hex4(b, j+2)
		return j + 6, ok
	}
	return j + 1, false
}
