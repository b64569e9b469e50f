package filter

import (
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

func TestFormatComment(t *testing.T) {
	got := FormatComment("[external]", "Jane.Doe@Partner.Example.com", "Hello\n\nworld")
	want := "[external] _Posted by jane.doe@partner.example.com through the external portal._\n\nHello\n\nworld"
	if got != want {
		t.Errorf("FormatComment = %q, want %q", got, want)
	}
	if got := FormatComment("", "a@b.example", "x"); got != "_Posted by a@b.example through the external portal._\n\nx" {
		t.Errorf("without prefix: %q", got)
	}
}

func TestParseComment(t *testing.T) {
	tests := []struct {
		name, prefix, message string
		email, text           string
	}{
		{"round trip", "[external]", FormatComment("[external]", "jane@partner.example.com", "hi"), "jane@partner.example.com", "hi"},
		{"no prefix", "", FormatComment("", "jane@partner.example.com", "hi"), "jane@partner.example.com", "hi"},
		{"spaces after prefix", "[external]", "[external]    _Posted by a@b.example through the external portal._\n\nx", "a@b.example", "x"},
		{"empty text", "[external]", "[external] _Posted by a@b.example through the external portal._\n\n", "a@b.example", ""},
		{"only the first line counts", "", "_Posted by a@b.example through the external portal._\n\n_Posted by c@d.example through the external portal._\n\n", "a@b.example", "_Posted by c@d.example through the external portal._\n\n"},
		{"plus and dots", "", "_Posted by jane.doe+soc@mail.partner-x.example through the external portal._\n\nx", "jane.doe+soc@mail.partner-x.example", "x"},
		{"missing prefix", "[external]", "_Posted by a@b.example through the external portal._\n\nx", "", ""},
		{"prefix not at start", "[external]", " [external] _Posted by a@b.example through the external portal._\n\nx", "", ""},
		{"upper case", "", "_Posted by A@b.example through the external portal._\n\nx", "", ""},
		{"no blank line", "", "_Posted by a@b.example through the external portal._\nx", "", ""},
		{"CRLF", "", "_Posted by a@b.example through the external portal._\r\n\r\nx", "", ""},
		{"two spaces", "", "_Posted by  a@b.example through the external portal._\n\nx", "", ""},
		{"tail changed", "", "_Posted by a@b.example through the external portal_\n\nx", "", ""},
		{"no domain dot", "", "_Posted by a@localhost through the external portal._\n\nx", "", ""},
		{"double dot", "", "_Posted by a..b@c.example through the external portal._\n\nx", "", ""},
		{"leading dot", "", "_Posted by .a@c.example through the external portal._\n\nx", "", ""},
		{"hyphen label", "", "_Posted by a@-c.example through the external portal._\n\nx", "", ""},
		{"trailing dot domain", "", "_Posted by a@c.example. through the external portal._\n\nx", "", ""},
		{"quote in local part", "", "_Posted by a\"b@c.example through the external portal._\n\nx", "", ""},
		{"non-ASCII", "", "_Posted by jané@c.example through the external portal._\n\nx", "", ""},
		{"two at signs", "", "_Posted by a@b@c.example through the external portal._\n\nx", "", ""},
		{"empty", "", "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			email, text, ok := ParseComment(tc.prefix, tc.message)
			if ok != (tc.email != "") || email != tc.email || text != tc.text {
				t.Errorf("ParseComment = %q, %q, %v; want %q, %q", email, text, ok, tc.email, tc.text)
			}
		})
	}
}

func TestValidEmailLength(t *testing.T) {
	local := strings.Repeat("a", 64)
	if !validEmail(local + "@b.example") {
		t.Error("64-byte local part refused")
	}
	if validEmail(local + "a@b.example") {
		t.Error("65-byte local part accepted")
	}
	label := strings.Repeat("b", 63)
	if !validEmail("a@" + label + ".example") {
		t.Error("63-byte label refused")
	}
	if validEmail("a@" + label + "b.example") {
		t.Error("64-byte label accepted")
	}
	long := "a@" + strings.Repeat(label+".", 4) + "example"
	if validEmail(long) {
		t.Errorf("%d-byte address accepted", len(long))
	}
}

// escapeAll writes s as a JSON string body where every character is a
// \u escape (surrogate pairs above the BMP): the most obfuscated encoding.
func escapeAll(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r > 0xFFFF {
			r -= 0x10000
			writeU(&b, 0xD800+(r>>10))
			writeU(&b, 0xDC00+(r&0x3FF))
			continue
		}
		writeU(&b, r)
	}
	return b.String()
}

func writeU(b *strings.Builder, r rune) {
	const hex = "0123456789abcdef"
	b.WriteString(`\u`)
	for shift := 12; shift >= 0; shift -= 4 {
		b.WriteByte(hex[(r>>shift)&0xF])
	}
}

// FuzzAttribution checks that FormatComment and ParseComment are inverse,
// and that the filter's parsing of a raw JSON message (plainly encoded or
// fully escaped) decides exactly as ParseComment on the decoded message.
func FuzzAttribution(f *testing.F) {
	f.Add("[external]", "jane.doe@partner.example.com", "Hello\n\nfrom Jane \"quoted\" ✓")
	f.Add("", "a@b.example", "")
	f.Add("[shared]", "UPPER@Example.org", "x")
	f.Add("[external]", "bad email@x.example", "text")
	s := mustNew(f, testConfig())
	f.Fuzz(func(t *testing.T, prefix, email, text string) {
		msg := FormatComment(prefix, email, text)
		wantEmail, wantText, wantOK := ParseComment(prefix, msg)
		if lower := strings.ToLower(email); validEmail(lower) && strings.TrimLeft(prefix, " ") == prefix {
			if !wantOK || wantEmail != lower || wantText != text {
				t.Fatalf("round trip of %q: %q %q %v", msg, wantEmail, wantText, wantOK)
			}
		}
		if !strings.HasPrefix(prefix, "[external]") && !strings.HasPrefix(prefix, "[shared]") {
			return // the Set below strips only its configured markers
		}
		p := projector{Set: s, scope: &Scope{ServiceLogin: testLogin}}
		login := `"` + testLogin + `"`
		for _, raw := range []string{string(gjson.AppendJSONString(nil, msg)), `"` + escapeAll(msg) + `"`} {
			if !gjson.Valid(raw) {
				continue // msg is not valid UTF-8
			}
			body, gotEmail, err := p.comment(readValues{message: raw, createdBy: login})
			if err != nil {
				t.Fatal(err)
			}
			shown := gjson.Parse(`"` + body + `"`).String()
			decoded := gjson.Parse(raw).String() // msg, with invalid UTF-8 replaced
			marker := "[external]"
			if !strings.HasPrefix(decoded, marker) {
				marker = "[shared]"
			}
			e, txt, ok := ParseComment(marker, decoded)
			if ok != (gotEmail != "") || gotEmail != e || ok && shown != txt {
				t.Fatalf("raw %s: got %q %q, ParseComment %q %q %v", raw, gotEmail, shown, e, txt, ok)
			}
		}
	})
}
