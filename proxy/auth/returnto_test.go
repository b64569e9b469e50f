package auth

import (
	"strings"
	"testing"
)

func TestSafeReturnTo(t *testing.T) {
	long := "/" + strings.Repeat("a", MaxReturnToBytes-1)
	tests := []struct {
		given string
		safe  bool // true: returned unchanged; false: "/"
	}{
		// allowed
		{"/", true},
		{"/ok?x=1", true},
		{"/cases/~100", true},
		{"/cases/~100?tab=comments&page=2#top", true},
		{"/caf%C3%A9", true},
		{"/a/.hidden", true},
		{"/x?next=//evil.com", true},
		{"/@evil.com", true},
		{"/javascript:alert(1)", true},
		{long, true},
		// refused
		{"", false},
		{"//evil.com", false},
		{"///evil.com", false},
		{"/\\evil.com", false},
		{"\\\\evil.com", false},
		{"\\/evil.com", false},
		{"/a\\b", false},
		{"https://evil.com", false},
		{"http:evil.com", false},
		{"javascript:alert(1)", false},
		{"evil.com", false},
		{"ok", false},
		{"/%2F%2Fevil.com", false},
		{"/search?q=a%2Fb", false}, // encoded slash refused even in the query
		{"/%2f%2fevil.com", false},
		{"/%5Cevil.com", false},
		{"/%5cevil.com", false},
		{"/%2e%2e/admin", false},
		{"/%252F%252Fevil.com", false},
		{"/%09/evil.com", false},
		{"/%0d%0aSet-Cookie:x=1", false},
		{"/%7f", false},
		{"/%", false},
		{"/%zz", false},
		{"/%2", false},
		{"/a/../b", false},
		{"/a/./b", false},
		{"/..", false},
		{"/.", false},
		{"/a//b", false},
		{"/\t/evil.com", false},
		{"/\n/evil.com", false},
		{"/ /evil.com", false},
		{"/a b", false},
		{"/\x00", false},
		{"/\x7f", false},
		{"/ｅvil", false},           // non-ASCII
		{"/\u2215evil.com", false}, // division slash
		{long + "a", false},
	}
	for _, tc := range tests {
		want := "/"
		if tc.safe {
			want = tc.given
		}
		if got := SafeReturnTo(tc.given); got != want {
			t.Errorf("SafeReturnTo(%q) = %q, want %q", tc.given, got, want)
		}
	}
}

func FuzzSafeReturnTo(f *testing.F) {
	for _, s := range []string{"/", "//evil", "/ok?x=1", "/%2F", "/a/../b", "/\\x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := SafeReturnTo(s)
		if got != "/" && got != s {
			t.Fatalf("SafeReturnTo(%q) rewrote to %q", s, got)
		}
		if len(got) > 1 && (got[0] != '/' || got[1] == '/' || strings.ContainsAny(got, "\\ \t\r\n")) {
			t.Fatalf("SafeReturnTo(%q) = %q is not a same-origin path", s, got)
		}
	})
}
