package config

import "strings"

// MatchPattern reports whether s matches pattern, where "*" matches any run
// of characters (including none) and every other character matches itself.
// Matching is case-sensitive; callers lower-case both sides when they want
// otherwise. It runs in O(len(pattern)*len(s)) at worst, never
// exponentially.
func MatchPattern(pattern, s string) bool {
	if !strings.Contains(pattern, "*") {
		return pattern == s
	}
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return strings.HasSuffix(s, last)
}

// placeholders returns the {name} placeholders in a pattern, and whether
// braces are balanced.
func placeholders(pattern string) ([]string, bool) {
	var out []string
	for {
		i := strings.IndexAny(pattern, "{}")
		if i < 0 {
			return out, true
		}
		if pattern[i] == '}' {
			return out, false
		}
		j := strings.IndexAny(pattern[i+1:], "{}")
		if j < 0 || pattern[i+1+j] != '}' {
			return out, false
		}
		out = append(out, pattern[i:i+j+2])
		pattern = pattern[i+j+2:]
	}
}
