package policy

import (
	"strings"

	"github.com/thehive-portal/thehive-portal/config"
)

// token is a piece of a compiled tag pattern: literal text, a "*", or a
// placeholder such as {email}.
type token struct {
	kind  tokenKind
	value string // literal text or placeholder name
}

type tokenKind uint8

const (
	tokLiteral tokenKind = iota
	tokStar
	tokPlaceholder
)

// pattern is a tag pattern compiled into tokens.
type pattern struct {
	tokens []token
	// uses reports which placeholders occur.
	usesEmail, usesGroup, usesDomain, usesID bool
}

// compilePattern splits a validated pattern into tokens.
func compilePattern(p string) pattern {
	var c pattern
	for p != "" {
		switch {
		case p[0] == '*':
			c.tokens = append(c.tokens, token{kind: tokStar})
			p = p[1:]
		case p[0] == '{' && strings.IndexByte(p, '}') > 0:
			end := strings.IndexByte(p, '}') + 1
			c.addPlaceholder(p[:end])
			p = p[end:]
		default:
			end := strings.IndexAny(p[1:], "*{")
			if end < 0 {
				end = len(p) - 1
			}
			c.tokens = append(c.tokens, token{kind: tokLiteral, value: p[:end+1]})
			p = p[end+1:]
		}
	}
	return c
}

func (c *pattern) addPlaceholder(name string) {
	c.tokens = append(c.tokens, token{kind: tokPlaceholder, value: name})
	switch name {
	case config.PlaceholderEmail:
		c.usesEmail = true
	case config.PlaceholderGroup:
		c.usesGroup = true
	case config.PlaceholderDomain:
		c.usesDomain = true
	case config.PlaceholderID:
		c.usesID = true
	}
}

// values are what the placeholders stand for in one expansion.
type values struct {
	email, group, domain, id string
}

func (v values) of(name string) string {
	switch name {
	case config.PlaceholderEmail:
		return v.email
	case config.PlaceholderGroup:
		return v.group
	case config.PlaceholderDomain:
		return v.domain
	case config.PlaceholderID:
		return v.id
	}
	return ""
}

// expand turns the pattern into glob parts: the literal runs between stars,
// with placeholders replaced by their values as literal text. ok is false
// when a placeholder the pattern uses has no value (it then matches
// nothing). A pattern without stars gives exactly one part.
func (c *pattern) expand(v values) (parts []string, ok bool) {
	var cur strings.Builder
	for _, t := range c.tokens {
		switch t.kind {
		case tokLiteral:
			cur.WriteString(t.value)
		case tokPlaceholder:
			val := v.of(t.value)
			if val == "" {
				return nil, false
			}
			cur.WriteString(val)
		case tokStar:
			parts = append(parts, cur.String())
			cur.Reset()
		}
	}
	return append(parts, cur.String()), true
}

// globMatch matches s against parts, which were separated by stars.
func globMatch(parts []string, s string) bool {
	if len(parts) == 1 {
		return parts[0] == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return strings.HasSuffix(s, parts[len(parts)-1])
}
