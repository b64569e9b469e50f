package policy

import (
	"strings"
	"testing"
)

// all is every member.
const all = memberSet(1<<numMembers - 1)

func TestReadMembers(t *testing.T) {
	long := strings.Repeat(`a \"quoted\" [bracket] {brace} \\`, 8)
	tests := []struct {
		name  string
		given string
		want  members // raw values by member
		ok    bool
	}{
		{name: "empty object", given: `{}`, ok: true},
		{name: "empty object with spaces", given: " \t\n{ \r\n} ", ok: true},
		{name: "every member", ok: true,
			given: `{"_type":"Case","_id":"~1","access":{"_kind":"AllExternalAccessKind"},"external":true,"message":"m","tags":["a"]}`,
			want:  members{`"Case"`, `"~1"`, `{"_kind":"AllExternalAccessKind"}`, `true`, `"m"`, `["a"]`}},
		{name: "white space between tokens", ok: true,
			given: "{ \"_id\" :\n\"x\" ,\t\"external\"\r: false , \"tags\" : [ ] }",
			want:  members{memID: `"x"`, memExternal: `false`, memTags: `[ ]`}},
		{name: "escaped keys are decoded", ok: true,
			given: `{"\u006dessage":"hi","_\u0069d":"x","\u005F\u0074ype":"Comment","t\u0061gs":[]}`,
			want:  members{memType: `"Comment"`, memID: `"x"`, memMessage: `"hi"`, memTags: `[]`}},
		{name: "escaped quote in a key is no member", ok: true,
			given: `{"mes\"sage":1,"message\\":2,"\"message":3,"message":4}`,
			want:  members{memMessage: `4`}},
		{name: "keys differ in case or spaces", ok: true,
			given: `{"Message":1,"message ":2,"_ID":3,"tag":4}`},
		{name: "keys nested in objects and arrays are skipped", ok: true,
			given: `{"a":{"message":"no","tags":["x"],"b":{"_id":"n"}},"c":[{"_id":"n"},["message"]],"_id":"top"}`,
			want:  members{memID: `"top"`}},
		{name: "strings with brackets and quotes inside nested values", ok: true,
			given: `{"a":["]","}","\"[","\\",{"k":"{\"message\":1}"}],"b":{"x":"]]}}"},"message":"yes"}`,
			want:  members{memMessage: `"yes"`}},
		{name: "strings ending in backslashes", ok: true,
			given: `{"a":"x\\","b":"\\\\","c":"\\\"","message":"\\"}`,
			want:  members{memMessage: `"\\"`}},
		{name: "long strings with escapes", ok: true,
			given: `{"description":"` + long + `","message":"` + long + `","tags":["` + long + `"]}`,
			want:  members{memMessage: `"` + long + `"`, memTags: `["` + long + `"]`}},
		{name: "numbers and literals", ok: true,
			given: `{"a":-1.5e+10,"b":null,"c":false,"external":true,"_id":0}`,
			want:  members{memID: `0`, memExternal: `true`}},
		{name: "first of repeated keys wins", ok: true,
			given: `{"message":"first","m\u0065ssage":"second","message":"third"}`,
			want:  members{memMessage: `"first"`}},
		{name: "trailing text after the object is ignored", ok: true,
			given: `{"_id":"x"} {"_id":"y"}`, want: members{memID: `"x"`}},
		{name: "array", given: `[{"_id":"x"}]`},
		{name: "string", given: `"{}"`},
		{name: "empty", given: ``},
		{name: "null", given: `null`},
		{name: "unterminated object", given: `{"_id":"x"`, want: members{memID: `"x"`}},
		{name: "unterminated string", given: `{"_id":"x`},
		{name: "unterminated nested", given: `{"a":{"b":[1,2}`},
		{name: "missing colon", given: `{"_id" "x"}`},
		{name: "missing value", given: `{"_id":}`},
		{name: "trailing comma", given: `{"_id":"x",}`, want: members{memID: `"x"`}},
		{name: "key not a string", given: `{_id:"x"}`},
		{name: "garbage after a value", given: `{"_id":"x" "y"}`, want: members{memID: `"x"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := readMembers(tc.given, all)
			if got != tc.want || ok != tc.ok {
				t.Errorf("readMembers(%s) =\n%q %v, want\n%q %v", tc.given, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestReadMembersStopsWhenAllFound(t *testing.T) {
	t.Parallel()
	given := `{"_type":"Comment","_id":"~1","external":true, this is not JSON`
	got, ok := readMembers(given, memType.bit()|memID.bit()|memExternal.bit())
	want := members{memType: `"Comment"`, memID: `"~1"`, memExternal: `true`}
	if got != want || !ok {
		t.Errorf("got %q %v, want %q true", got, ok, want)
	}
	if _, ok := readMembers(given, all); ok {
		t.Error("reading every member must reach the malformed tail")
	}
}

func TestHasPrefix(t *testing.T) {
	tests := []struct {
		name   string
		raw    string
		prefix string
		want   bool
	}{
		{name: "plain", raw: `"[EXTERNAL] hello"`, prefix: "[EXTERNAL]", want: true},
		{name: "plain, escape after the prefix", raw: `"[EXTERNAL]\n\"hi\""`, prefix: "[EXTERNAL]", want: true},
		{name: "escaped bracket", raw: `"\u005BEXTERNAL] hello"`, prefix: "[EXTERNAL]", want: true},
		{name: "escaped letter", raw: `"[EXT\u0045RNAL]"`, prefix: "[EXTERNAL]", want: true},
		{name: "escaped slash", raw: `"a\/b"`, prefix: "a/b", want: true},
		{name: "escape makes it differ", raw: `"\u005Bexternal] hello"`, prefix: "[EXTERNAL]"},
		{name: "other letter case", raw: `"[external] hello"`, prefix: "[EXTERNAL]"},
		{name: "leading space", raw: `" [EXTERNAL]"`, prefix: "[EXTERNAL]"},
		{name: "shorter message", raw: `"[EXT"`, prefix: "[EXTERNAL]"},
		{name: "shorter message with escape", raw: `"[EXT\u0045"`, prefix: "[EXTERNAL]"},
		{name: "exactly the prefix", raw: `"[EXTERNAL]"`, prefix: "[EXTERNAL]", want: true},
		{name: "empty message", raw: `""`, prefix: "[EXTERNAL]"},
		{name: "prefix with a quote", raw: `"say \"hi\" there"`, prefix: `say "hi"`, want: true},
		{name: "prefix with a quote, raw has none", raw: `"say hi"`, prefix: `say "`},
		{name: "prefix with a backslash", raw: `"a\\b"`, prefix: `a\b`, want: true},
		{name: "prefix with a backslash, raw text only", raw: `"a\\b"`, prefix: `a\\b`},
		{name: "prefix with a control character", raw: `"a\tb"`, prefix: "a\tb", want: true},
		{name: "non-ASCII", raw: `"\u00e9t\u00e9"`, prefix: "été", want: true},
		{name: "surrogate pair", raw: `"\ud83d\ude00!"`, prefix: "😀", want: true},
		{name: "empty prefix", raw: `"x"`, prefix: "", want: true},
		{name: "not a string", raw: `123`, prefix: "1"},
		{name: "array of the prefix", raw: `["[EXTERNAL]"]`, prefix: "[EXTERNAL]"},
		{name: "absent", raw: ``, prefix: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := hasPrefix(tc.raw, tc.prefix, plainPrefix(tc.prefix)); got != tc.want {
				t.Errorf("hasPrefix(%s, %q) = %v, want %v", tc.raw, tc.prefix, got, tc.want)
			}
			// Decoding always gives the same answer.
			if got := hasPrefix(tc.raw, tc.prefix, false); got != tc.want {
				t.Errorf("hasPrefix(%s, %q) decoding = %v, want %v", tc.raw, tc.prefix, got, tc.want)
			}
		})
	}
}

func TestDecodeString(t *testing.T) {
	tests := []struct {
		given string
		want  string
		ok    bool
	}{
		{`"Case"`, "Case", true},
		{`"C\u0061se"`, "Case", true},
		{`""`, "", true},
		{`"\""`, `"`, true},
		{`1`, "", false},
		{`null`, "", false},
		{`"`, "", false},
		{``, "", false},
	}
	for _, tc := range tests {
		if got, ok := decodeString(tc.given); got != tc.want || ok != tc.ok {
			t.Errorf("decodeString(%s) = %q %v, want %q %v", tc.given, got, ok, tc.want, tc.ok)
		}
	}
}

func TestPlainPrefix(t *testing.T) {
	for p, want := range map[string]bool{"[external]": true, "été": true, "": true,
		`say "hi"`: false, `a\b`: false, "a\tb": false, "\x00": false, "\x7f": true} {
		if got := plainPrefix(p); got != want {
			t.Errorf("plainPrefix(%q) = %v, want %v", p, got, want)
		}
	}
}
