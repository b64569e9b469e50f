package filter

import "strings"

// pattern is a view.case_tags pattern split once at "*". match gives the
// same answers as config.MatchPattern (a differential fuzz test checks
// it), without MatchPattern's allocation per call.
type pattern []string

func compilePatterns(in []string) []pattern {
	var out []pattern
	for _, p := range in {
		if p != "" {
			out = append(out, strings.Split(p, "*"))
		}
	}
	return out
}

func (p pattern) match(s string) bool {
	if len(p) == 1 {
		return p[0] == s
	}
	if !strings.HasPrefix(s, p[0]) {
		return false
	}
	s = s[len(p[0]):]
	for _, part := range p[1 : len(p)-1] {
		i := strings.Index(s, part)
		if i < 0 {
			return false
		}
		s = s[i+len(part):]
	}
	return strings.HasSuffix(s, p[len(p)-1])
}
