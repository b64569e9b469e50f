package policy

import (
	"strings"
	"testing"

	"github.com/thehive-portal/thehive-portal/config"
)

func TestPatternExpand(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		v       values
		want    string // parts joined by "|", "!" when a value is missing
	}{
		{"portal:user={email}", values{email: "a@b.c"}, "portal:user=a@b.c"},
		{"portal:user={email}", values{email: "*@b.c"}, "portal:user=*@b.c"},
		{"portal:by=*", values{}, "portal:by=|"},
		{"t:{domain}:*:x", values{domain: "b.c"}, "t:b.c:|:x"},
		{"{group}-{domain}", values{group: "g"}, "!"},
		{"portal:attachment={id}", values{id: "~1"}, "portal:attachment=~1"},
	} {
		p := compilePattern(tc.pattern)
		parts, ok := p.expand(tc.v)
		got := strings.Join(parts, "|")
		if !ok {
			got = "!"
		}
		if got != tc.want {
			t.Errorf("expand(%q) = %q, want %q", tc.pattern, got, tc.want)
		}
	}
}

func TestGlobMatch(t *testing.T) {
	for _, tc := range []struct {
		parts []string
		s     string
		want  bool
	}{
		{[]string{"a*b"}, "a*b", true},
		{[]string{"a*b"}, "axb", false},
		{[]string{"a", "b"}, "axxb", true},
		{[]string{"a", "b"}, "ab", true},
		{[]string{"ab", "ba"}, "aba", false},
		{[]string{"", "x", ""}, "yyxyy", true},
	} {
		if got := globMatch(tc.parts, tc.s); got != tc.want {
			t.Errorf("globMatch(%q, %q) = %v", tc.parts, tc.s, got)
		}
	}
}

func TestNewRefusesInvalidConfig(t *testing.T) {
	c := config.Default()
	if _, err := New(c); err == nil || !strings.Contains(err.Error(), "upstream.url") {
		t.Errorf("New accepted an invalid configuration: %v", err)
	}
}
