package filter

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

// grammarCases are JSON grammar edge cases, all shallow and without
// duplicate keys: scan accepts exactly those that gjson.ValidBytes accepts.
var grammarCases = []struct {
	body  string
	valid bool
}{
	// Top level, whitespace.
	{"", false}, {" ", false}, {" \t\n\r", false}, {"1", true}, {" 1 ", true},
	{"\t\n\r1\r\n\t", true}, {"\f1", false}, {"\v1", false}, {"1\f", false},
	{"\u00a01", false}, {"\ufeff1", false}, {"1\x00", false}, {"\x00", false},
	{"[] []", false}, {"[]x", false}, {"{}{}", false}, {`"a""b"`, false},
	{"1 2", false}, {"[]  ", true}, {" \"x\"\n", true},
	// Literals.
	{"true", true}, {"false", true}, {"null", true}, {"tru", false}, {"t", false},
	{"nul", false}, {"fals", false}, {"nulll", false}, {"falsee", false},
	{"True", false}, {"NULL", false}, {"[true]", true}, {"[truefalse]", false},
	{"[true,false,null]", true}, {"[true ,\tfalse\n,null ]", true}, {"[nul]", false},
	{"NaN", false}, {"Infinity", false}, {"-Infinity", false}, {"undefined", false},
	// Numbers.
	{"0", true}, {"-0", true}, {"01", false}, {"-01", false}, {"00", false},
	{"1.0", true}, {"1.", false}, {".5", false}, {"-.5", false}, {"1.e5", false},
	{"1e5", true}, {"1E5", true}, {"1e+5", true}, {"1e-5", true}, {"1E-05", true},
	{"1e", false}, {"1e+", false}, {"1e-", false}, {"1ee5", false}, {"1e5.5", false},
	{"-", false}, {"--1", false}, {"+1", false}, {"-+1", false}, {"0x10", false},
	{"1.5e3.2", false}, {"123456789012345678901234567890", true}, {"0.0e0", true},
	{"-0.0", true}, {"1_000", false}, {"2e308", true}, {"0e", false}, {"0.e1", false},
	{"[01]", false}, {"[1.]", false}, {"[-]", false}, {`{"a":-}`, false},
	{"[-0,0.5,-1.25e-3,1E+2]", true}, {"[1 2]", false}, {"[1,2]", true}, {"1.2.3", false},
	{"[0e1,0E-1]", true}, {"[1x]", false}, {"[1e5x]", false}, {"[1.5 ]", true},
	// Strings.
	{`""`, true}, {`"abc"`, true}, {`"a\"b"`, true}, {`"\\"`, true}, {`"\/"`, true},
	{`"\b\f\n\r\t"`, true}, {`"\u0041"`, true}, {`"\u00e9\u00E9"`, true},
	{`"\uD83D\uDE00"`, true}, {`"\uD800"`, true}, {`"\uDC00\uD800"`, true},
	{`"\u12"`, false}, {`"\u12G4"`, false}, {`"\u"`, false}, {`"\u004"`, false},
	{`"\x41"`, false}, {`"\a"`, false}, {`"\'"`, false}, {`"\0"`, false}, {`"\U0041"`, false},
	{`"\`, false}, {`"\"`, false}, {`"abc`, false}, {`"abc\\"`, true}, {`"abc\\\"`, false},
	{"\"a\x00b\"", false}, {"\"\x01\"", false}, {"\"\x1f\"", false}, {"\"a\tb\"", false},
	{"\"a\nb\"", false}, {"\"\x7f\"", true}, {"\"\xff\"", true}, {"\"\xc3\"", true},
	{"\"\xc0\xaf\"", true}, {"\"\xed\xa0\x80\"", true}, {"\"é✓😀\"", true},
	{"\"\\\x00\"", false}, {"\"\\\n\"", false}, {`'a'`, false}, {`"a"b"`, false},
	// Structure.
	{"[]", true}, {"{}", true}, {"[ ]", true}, {"{ }", true}, {"[,]", false},
	{"[1,]", false}, {"[,1]", false}, {"[1,,2]", false}, {"{,}", false},
	{`{"a"}`, false}, {`{"a":}`, false}, {`{"a" : 1 , "b" : 2}`, true},
	{`{"a":1,}`, false}, {`{1:2}`, false}, {`{"a":1 "b":2}`, false}, {`{"a"::1}`, false},
	{`{"a":1:2}`, false}, {`{true:1}`, false}, {`{'a':1}`, false}, {`{"a",1}`, false},
	{"[[]", false}, {"[]]", false}, {"{]", false}, {"[}", false}, {`{"a":[}]`, false},
	{`{"a":[]}`, true}, {":", false}, {",", false}, {"]", false}, {"}", false},
	{"[", false}, {"{", false}, {`{"a"`, false}, {`{"a":`, false}, {`{"a":1`, false},
	{"[1", false}, {"[1,", false}, {`{"a":1,`, false}, {`{"a":1,"b"`, false},
	{`[{"a":[1,{"b":null}],"c":{}},[],[[]],""]`, true}, {`[{"a":1}{"b":2}]`, false},
	{`{"a":{"b":{"c":[1,2,{"d":"e"}]}}}`, true}, {`{"a":{"b":1}}}`, false},
	{"[\n  {\n    \"a\" : 1\n  }\n]\n", true}, {`[{}, {}]`, true}, {`[{},]`, false},
	// Keys go through their own path.
	{"{\"a\x01\":1}", false}, {`{"\u00e9":1}`, true}, {`{"é":1}`, true},
	{`{"a\x":1}`, false}, {`{"\u12":1}`, false}, {`{"\"":1,"\\":2}`, true},
	{"{\"\xff\":1}", true}, {`{"abcdefghijklmnopqrstuvwxyz":1}`, true},
	{"{\"abcdefghijklmnopqrst\x02\":1}", false}, {`{"abcdefghijklmnop\u0041":1}`, true},
	{`{"abcdefghijklmnop\u00Z1":1}`, false}, {`{"abcdefgh\/ijklmnop":1}`, true},
	{`{"abc`, false}, {`{"abcdefghijklmnopqrstuvwxyz`, false}, {`{"a\`, false},
}

// TestGrammar: scan accepts the grammar cases exactly when gjson does, and
// when encoding/json agrees, as it does on these.
func TestGrammar(t *testing.T) {
	o := scanOpts{maxDepth: 32, itemDepth: 1}
	for _, c := range grammarCases {
		for _, body := range []string{c.body, padded(c.body)} {
			want := gjson.Valid(body)
			if want != c.valid {
				t.Errorf("%q: gjson says %v, the table %v", body, want, c.valid)
			}
			if std := json.Valid([]byte(body)); std != want {
				t.Errorf("%q: encoding/json says %v, gjson %v", body, std, want)
			}
			_, _, err := scan([]byte(body), o, nil)
			if got := err == nil; got != want || err != nil && err != ErrInvalidJSON {
				t.Errorf("%q: scan error %v, want valid %v", body, err, want)
			}
		}
	}
}

// padded puts a case inside a long string-holding array, so that its
// strings cross the word boundaries of the SWAR loops differently.
func padded(body string) string {
	if body == "" {
		return body
	}
	return `["` + strings.Repeat("x", 13) + `",` + body + `]`
}

// TestGrammarStringBytes: every byte at every offset of a string of up to
// 40 bytes, as a value and as a key, is accepted exactly as gjson does.
func TestGrammarStringBytes(t *testing.T) {
	o := scanOpts{maxDepth: 32}
	for n := 1; n <= 40; n++ {
		for pos := range n {
			for c := range 256 {
				s := []byte(strings.Repeat("a", n))
				s[pos] = byte(c)
				for _, body := range []string{`"` + string(s) + `"`, `{"` + string(s) + `":0}`} {
					_, _, err := scan([]byte(body), o, nil)
					if want := gjson.Valid(body); (err == nil) != want {
						t.Fatalf("%q: scan error %v, gjson valid %v", body, err, want)
					}
				}
			}
		}
	}
}

// TestErrorOrder: the structural errors come before the grammar in the
// order of the old checks, and a duplicate key stops them.
func TestErrorOrder(t *testing.T) {
	deep := strings.Repeat("[", 40)
	for _, c := range []struct {
		name, body string
		want       error
	}{
		{"invalid then too deep", `[1 2,` + deep, ErrTooDeep},
		{"too deep then invalid", deep + `1 2`, ErrTooDeep},
		{"duplicate then too deep", `{"a":1,"a":2,"b":` + deep + strings.Repeat("]", 40) + `}`, ErrDuplicateKey},
		{"duplicate then too deep and invalid", `{"a":1,"a":2,"b":` + deep, ErrInvalidJSON},
		{"invalid then duplicate", `{"a":1 "a":2}`, ErrInvalidJSON},
		{"duplicate then invalid", `{"a":1,"a":2,}`, ErrInvalidJSON},
		{"unbalanced close then too deep", `]` + deep, ErrInvalidJSON},
		{"duplicate in a big object then invalid", bigObjectBody + `,"k3":0,}`, ErrInvalidJSON},
	} {
		_, err := oldValidate([]byte(c.body), scanOpts{maxDepth: 32})
		if !errors.Is(err, c.want) {
			t.Errorf("%s: the old checks say %v, want %v", c.name, err, c.want)
		}
		assertSameValidation(t, []byte(c.body), scanOpts{maxDepth: 32})
	}
}

// TestDuplicateThenVeryDeep: after a duplicate key, which stops the depth
// check, the grammar is still checked without recursion (gjson.ValidBytes,
// called there before, overflowed the stack on such input).
func TestDuplicateThenVeryDeep(t *testing.T) {
	const n = 10_000_000
	deep := `{"a":1,"a":2,"b":` + strings.Repeat("[", n) + strings.Repeat("]", n)
	o := scanOpts{maxDepth: 32}
	if _, err := newValidate([]byte(deep+"}"), o); !errors.Is(err, ErrDuplicateKey) {
		t.Errorf("valid: %v, want ErrDuplicateKey", err)
	}
	if _, err := newValidate([]byte(deep+"]}"), o); !errors.Is(err, ErrInvalidJSON) {
		t.Errorf("invalid: %v, want ErrInvalidJSON", err)
	}
}

// oldValidate is validate as it was before scan checked the grammar: the
// structural scan, then gjson.ValidBytes. It is the fuzzing oracle.
func oldValidate(body []byte, o scanOpts) ([]span, error) {
	items, at, err := scanStructure(body, o, nil)
	if err == ErrTooDeep || err == ErrInvalidJSON || err == errTooManyItems {
		return nil, err
	}
	if !gjson.ValidBytes(body) {
		return nil, ErrInvalidJSON
	}
	if err != nil {
		return nil, offsetError(err, at)
	}
	return items, nil
}

// newValidate is validate on scanOpts.
func newValidate(body []byte, o scanOpts) ([]span, error) {
	s := &Set{maxBytes: int64(len(body)), maxDepth: o.maxDepth, seed: o.seed}
	return s.validate(body, o.itemDepth, nil)
}

func assertSameValidation(t *testing.T, body []byte, o scanOpts) {
	t.Helper()
	want, wantErr := oldValidate(body, o)
	got, err := newValidate(body, o)
	if !sameError(err, wantErr) || !slices.Equal(got, want) {
		t.Fatalf("%q %+v:\nvalidate  %v %v\nold check %v %v", body, o, got, err, want, wantErr)
	}
}

func sameError(a, b error) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Error() == b.Error()
}

// FuzzValidateGrammar: validate gives the same answer as the old checks
// (oldValidate): the same spans, or the same error at the same offset.
func FuzzValidateGrammar(f *testing.F) {
	for _, c := range grammarCases {
		f.Add([]byte(c.body), uint8(32), uint8(1))
	}
	for _, c := range errorCases {
		f.Add([]byte(c.body), uint8(4), uint8(2))
	}
	files, err := filepath.Glob("testdata/*.json")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		body, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body, uint8(4), uint8(1))
	}
	f.Fuzz(func(t *testing.T, body []byte, depth, itemDepth uint8) {
		o := scanOpts{maxDepth: 2 + int(depth%40), seed: 1, itemDepth: int(itemDepth % 4)}
		assertSameValidation(t, body, o)
	})
}

// BenchmarkValidate measures validate alone on the list benchmark bodies.
func BenchmarkValidate(b *testing.B) {
	s := mustNew(b, testConfig())
	for _, c := range []struct {
		name string
		body []byte
	}{{"comments", benchComments(1000)}, {"cases", benchCases(200)}} {
		var buf [1024]span
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			for b.Loop() {
				if _, err := s.validate(c.body, 1, buf[:0]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
