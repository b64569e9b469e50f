package filter

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/tidwall/gjson"
)

// decodeAll decodes a raw JSON string body with decodeAt.
func decodeAll(c string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(c); {
		buf, n, next := decodeAt(c, i, true)
		if n == 0 {
			return "", false
		}
		b.Write(buf[:n])
		i = next
	}
	return b.String(), true
}

// FuzzDecode checks the incremental decoder against gjson's decoding, and
// the end-of-string search (eight bytes at a time, then IndexByte) on
// every encoding of the same text.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{"", "[external] x", `a"b\c`, "\u005b\n\t\u2028 😀 \x00", strings.Repeat(`\"`, 40) + "end",
		strings.Repeat("x", 63) + `\`, "\xff\xfe invalid"} {
		f.Add(s, "tail")
	}
	f.Fuzz(func(t *testing.T, s, tail string) {
		encoded, _ := json.Marshal(s)
		for _, raw := range []string{string(encoded), string(gjson.AppendJSONString(nil, s)), `"` + escapeAll(s) + `"`} {
			if !gjson.Valid(raw) {
				t.Fatalf("test encoding is invalid: %s", raw)
			}
			want := gjson.Parse(raw).Str
			got, ok := decodeAll(content(raw))
			if !ok || got != want {
				t.Fatalf("decodeAll(%s) = %q, gjson %q", raw, got, want)
			}
			doc := raw + tail
			if e := stringEnd(doc, 0); e != len(raw) {
				t.Fatalf("stringEnd(%s) = %d, want %d", doc, e, len(raw))
			}
			if e := bytesStringEnd([]byte(doc), 0); e != len(raw) {
				t.Fatalf("bytesStringEnd(%s) = %d, want %d", doc, e, len(raw))
			}
			e, plain := keyEnd([]byte(doc), 0)
			if e != len(raw) || plain != !needsDecoding([]byte(content(raw))) {
				t.Fatalf("keyEnd(%s) = %d, %v", doc, e, plain)
			}
			if e, esc := stringEndEsc(doc, 0); e != len(raw) || esc != strings.Contains(content(raw), `\`) {
				t.Fatalf("stringEndEsc(%s) = %d, %v", doc, e, esc)
			}
			checkPrefixes(t, raw, want)
		}
	})
}

// checkPrefixes: every prefix of the decoded text matches the raw body
// with matchDecoded, and what follows decodes to the rest of the text.
func checkPrefixes(t *testing.T, raw, decoded string) {
	c := content(raw)
	for k := 0; k <= len(decoded); k++ {
		if k < len(decoded) && !utf8.RuneStart(decoded[k]) {
			continue
		}
		next, ok := matchDecoded(c, 0, decoded[:k], true)
		if !ok {
			t.Fatalf("matchDecoded(%s, %q) failed", raw, decoded[:k])
		}
		if rest, _ := decodeAll(c[next:]); rest != decoded[k:] {
			t.Fatalf("after %q in %s: %q, want %q", decoded[:k], raw, rest, decoded[k:])
		}
	}
	if _, ok := matchDecoded(c, 0, decoded+"x", true); ok {
		t.Fatalf("matchDecoded(%s) matched past the end", raw)
	}
}

func TestStringEnd(t *testing.T) {
	for _, tc := range []struct {
		doc  string
		want int
	}{
		{`"" x`, 2},
		{`"abc",1`, 5},
		{`"a\"b"x`, 6},
		{`"a\\"x`, 5},
		{`"a\\\"b"x`, 8},
		{`"` + strings.Repeat(`\\`, 40) + `"x`, 82},
		{`"` + strings.Repeat("a", 70) + `\"` + strings.Repeat("b", 70) + `"`, 144},
		{`"` + strings.Repeat("a", 63) + `\"b"x`, 68},
		{`"unterminated`, 13},
		{`"unterminated\`, 14},
		{`"`, 1},
	} {
		if got := stringEnd(tc.doc, 0); got != tc.want {
			t.Errorf("stringEnd(%.40s…) = %d, want %d", tc.doc, got, tc.want)
		}
		if got := bytesStringEnd([]byte(tc.doc), 0); got != tc.want {
			t.Errorf("bytesStringEnd(%.40s…) = %d, want %d", tc.doc, got, tc.want)
		}
	}
}

func TestAppendCompact(t *testing.T) {
	in := "{ \"a\" : [ 1 , 2 ] ,\n\t\"b\" : \" keep  spaces \\\" \" , \"c\":{ } }"
	want := `{"a":[1,2],"b":" keep  spaces \" ","c":{}}`
	if got := string(appendCompact(nil, in)); got != want {
		t.Errorf("appendCompact = %s, want %s", got, want)
	}
}

// FuzzPattern: compiled patterns answer exactly as config.MatchPattern.
func FuzzPattern(f *testing.F) {
	for _, p := range []string{"a*b", "*", "**", "portal:*", "*x*y*", "abc", "a*a", "*ab*b"} {
		f.Add(p, "portal:user=a@b.c")
		f.Add(p, "aab")
	}
	f.Fuzz(func(t *testing.T, p, s string) {
		if p == "" {
			return
		}
		if got, want := compilePatterns([]string{p})[0].match(s), config.MatchPattern(p, s); got != want {
			t.Fatalf("pattern %q on %q: %v, config.MatchPattern %v", p, s, got, want)
		}
	})
}
