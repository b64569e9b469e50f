package filter

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/thehive-portal/thehive-portal/config"
)

// errorCase is one body that must be refused, by One and List alike
// unless only is set.
type errorCase struct {
	name string
	kind config.Kind
	body string
	want error
	only string // "one" or "list": the error applies to that call only
}

// nested returns n arrays nested around an object with an _id.
func nested(n int) string {
	return strings.Repeat("[", n) + `{"_id":"~1"}` + strings.Repeat("]", n)
}

var errorCases = []errorCase{
	{name: "empty body", body: "", want: ErrInvalidJSON},
	{name: "only spaces", body: " \n\t", want: ErrInvalidJSON},
	{name: "syntax error", body: `{"_id":}`, want: ErrInvalidJSON},
	{name: "trailing comma in array", body: `[{"_id":"~1"},]`, want: ErrInvalidJSON},
	{name: "trailing comma in object", body: `{"_id":"~1",}`, want: ErrInvalidJSON},
	{name: "trailing data", body: `[] []`, want: ErrInvalidJSON},
	{name: "truncated list", body: `[{"_id":"~1","message":"[external] ok"},{"_id":"~2","message":"CANARY-internal secret"`, want: ErrInvalidJSON},
	{name: "truncated string", body: `{"_id":"~1","title":"abc`, want: ErrInvalidJSON},
	{name: "truncated escape", body: `{"_id":"~1","title":"abc\u00`, want: ErrInvalidJSON},
	{name: "bad escape", body: `{"_id":"~1","title":"\x41"}`, want: ErrInvalidJSON},
	{name: "raw control character", body: "{\"_id\":\"~1\",\"title\":\"a\nb\"}", want: ErrInvalidJSON},
	{name: "NaN", body: `{"_id":"~1","severity":NaN}`, want: ErrInvalidJSON},
	{name: "NaN in a list", body: `[{"_id":"~1","severity":NaN}]`, want: ErrInvalidJSON},
	{name: "Infinity", body: `[{"_id":"~1","severity":-Infinity}]`, want: ErrInvalidJSON},
	{name: "single quotes", body: `{'_id':'~1'}`, want: ErrInvalidJSON},
	{name: "unbalanced close", body: `]`, want: ErrInvalidJSON},
	{name: "mismatched brackets", body: `[{"_id":"~1"]}`, want: ErrInvalidJSON},

	{name: "duplicate top-level key", body: `{"_id":"~1","title":"a","title":"CANARY-b"}`, want: ErrDuplicateKey},
	{name: "duplicate key in an item", body: `[{"_id":"~1","_id":"~2"}]`, want: ErrDuplicateKey},
	{name: "duplicate key nested in a copied field", body: `[{"_id":"~1","description":{"x":1,"x":2}}]`, want: ErrDuplicateKey},
	{name: "duplicate key deep in a hidden field", body: `[{"_id":"~1","extraData":{"a":[{"b":{"c":1,"c":2}}]}}]`, want: ErrDuplicateKey},
	{name: "duplicate key via escape", body: `{"_id":"~1","a":1,"\u0061":2}`, want: ErrDuplicateKey},
	{name: "duplicate _id via escape", body: `[{"_id":"~1","\u005fid":"~2"}]`, want: ErrDuplicateKey},
	{name: "duplicate key via escaped slash", body: `{"_id":"~1","a/b":1,"a\/b":2}`, want: ErrDuplicateKey},
	{name: "duplicate key via surrogate pair", body: `{"_id":"~1","😀":1,"\ud83d\ude00":2}`, want: ErrDuplicateKey},
	{name: "lone surrogates decode alike", body: `{"_id":"~1","\ud800":1,"\udfff":2}`, want: ErrDuplicateKey},
	{name: "invalid UTF-8 decodes alike", body: "{\"_id\":\"~1\",\"\xff\":1,\"\xfe\":2}", want: ErrDuplicateKey},
	{name: "invalid UTF-8 and U+FFFD", body: "{\"_id\":\"~1\",\"\xff\":1,\"\\ufffd\":2}", want: ErrDuplicateKey},
	{name: "duplicate paged key", body: `{"result":[],"result":[{"_id":"~1"}],"total":0}`, want: ErrDuplicateKey, only: "list"},
	{name: "duplicate in a big object", body: bigObjectBody + `,"k3":0}`, want: ErrDuplicateKey},
	{name: "duplicate late in a big object", body: bigObjectBody + `,"k99":0,"\u006b99":1}`, want: ErrDuplicateKey},

	{name: "too deep", body: "[" + nested(32) + "]", want: ErrTooDeep, only: "list"},
	{name: "too deep in an object", body: `{"_id":"~1","x":` + nested(40) + `}`, want: ErrTooDeep},
	{name: "too deep and invalid", body: strings.Repeat("[", 100), want: ErrTooDeep},
	{name: "brackets in strings do not nest", body: `[{"_id":"~1","title":"` + strings.Repeat("[", 100) + `"}`, want: ErrInvalidJSON},

	{name: "object where a list is expected", body: `{"_id":"~1"}`, want: ErrShape, only: "list"},
	{name: "array where an object is expected", body: `[{"_id":"~1"}]`, want: ErrShape, only: "one"},
	{name: "string body", body: `"x"`, want: ErrShape},
	{name: "number body", body: `3`, want: ErrShape},
	{name: "null body", body: `null`, want: ErrShape},
	{name: "item that is a number", body: `[{"_id":"~1"},1]`, want: ErrShape, only: "list"},
	{name: "item that is a string", body: `["~1"]`, want: ErrShape, only: "list"},
	{name: "item that is null", body: `[null]`, want: ErrShape, only: "list"},
	{name: "item that is an array", body: `[[{"_id":"~1"}]]`, want: ErrShape, only: "list"},
	{name: "paged total is a string", body: `{"result":[],"total":"0"}`, want: ErrShape, only: "list"},
	{name: "paged extra key", body: `{"result":[],"total":0,"CANARY-x":1}`, want: ErrShape, only: "list"},
	{name: "paged without total", body: `{"result":[]}`, want: ErrShape, only: "list"},
	{name: "paged result is an object", body: `{"result":{},"total":0}`, want: ErrShape, only: "list"},
	{name: "paged item is not an object", body: `{"result":[1],"total":1}`, want: ErrShape, only: "list"},
	{name: "non-string _id", body: `{"_id":41001}`, want: ErrShape},
	{name: "null _id", body: `{"_id":null}`, want: ErrShape},
	{name: "missing _id", body: `{"title":"x"}`, want: ErrShape},
	{name: "case tags not an array", kind: config.KindCase, body: `{"_id":"~1","tags":"phishing"}`, want: ErrShape},
	{name: "case tag not a string", kind: config.KindCase, body: `{"_id":"~1","tags":["phishing",1]}`, want: ErrShape},
	{name: "customFields not an array", kind: config.KindCase, body: `{"_id":"~1","customFields":{"name":"x"}}`, want: ErrShape},
	{name: "customFields entry not an object", kind: config.KindCase, body: `{"_id":"~1","customFields":["business-unit"]}`, want: ErrShape},
	{name: "comment message not a string", kind: config.KindComment, body: `{"_id":"~1","message":["[external]"]}`, want: ErrShape},
	{name: "comment message null", kind: config.KindComment, body: `{"_id":"~1","message":null}`, want: ErrShape},
	{name: "observable tags not an array", kind: config.KindObservable, body: `{"_id":"~1","tags":{"portal:by":"x"}}`, want: ErrShape},
}

// bigObjectBody is an object of 100 distinct keys, without its closing brace.
var bigObjectBody = func() string {
	var b strings.Builder
	b.WriteString(`{"_id":"~1"`)
	for i := range 100 {
		fmt.Fprintf(&b, `,"k%d":%d`, i, i)
	}
	return b.String()
}()

func TestErrors(t *testing.T) {
	s := mustNew(t, testConfig())
	sc := Scope{Visible: everything, ServiceLogin: testLogin}
	for _, c := range errorCases {
		t.Run(c.name, func(t *testing.T) {
			kind := c.kind
			if kind == "" {
				kind = config.KindCase
			}
			if c.only != "list" {
				out, visible, err := s.One(kind, []byte(c.body), sc)
				assertError(t, "One", err, c.want, out)
				if visible {
					t.Error("One: visible with an error")
				}
			}
			if c.only != "one" {
				out, total, err := s.List(kind, []byte(c.body), sc, Window{})
				assertError(t, "List", err, c.want, out)
				if total != 0 {
					t.Errorf("List: total %d with an error", total)
				}
			}
		})
	}
}

func assertError(t *testing.T, call string, err, want error, out []byte) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: error %v, want %v", call, err, want)
	}
	if out != nil {
		t.Errorf("%s: output %q with an error", call, out)
	}
	if err != nil && strings.Contains(err.Error(), "CANARY") {
		t.Errorf("%s: error message holds body content: %v", call, err)
	}
}

// TestErrorsInHiddenItems: validation covers the whole body, also items
// nobody may see.
func TestErrorsInHiddenItems(t *testing.T) {
	s := mustNew(t, testConfig())
	body := []byte(`[{"_id":"~1"},{"_id":"~2","secret":{"a":1,"a":2}}]`)
	_, _, err := s.List(config.KindCase, body, Scope{Visible: byID("~1")}, Window{})
	if !errors.Is(err, ErrDuplicateKey) {
		t.Fatalf("error %v, want ErrDuplicateKey", err)
	}
}

func TestTooLarge(t *testing.T) {
	cfg := testConfig()
	cfg.Limits.MaxResponseBytes = 64
	s := mustNew(t, cfg)
	ok := []byte(`{"_id":"~1","title":"` + strings.Repeat("x", 64-23) + `"}`)
	if len(ok) != 64 {
		t.Fatalf("test body is %d bytes", len(ok))
	}
	if _, _, err := s.One(config.KindCase, ok, Scope{Visible: everything}); err != nil {
		t.Fatalf("body at the limit: %v", err)
	}
	big := append([]byte(`[`), append(ok, ']')...)
	out, _, err := s.List(config.KindCase, big, Scope{Visible: everything}, Window{})
	assertError(t, "List", err, ErrTooLarge, out)

	s = mustNew(t, testConfig())
	many := []byte("[" + strings.Repeat(`{},`, maxItems) + `{}]`)
	out, _, err = s.List(config.KindCase, many, Scope{}, Window{})
	assertError(t, "List", err, ErrTooLarge, out)
	many = []byte("[" + strings.Repeat(`{},`, maxItems-1) + `{}]`)
	if _, total, err := s.List(config.KindCase, many, Scope{}, Window{}); err != nil || total != 0 {
		t.Fatalf("%d items: total %d, %v", maxItems, total, err)
	}
}

// TestDepthLimit: the deepest allowed document passes, one level more
// fails, and a very deep one fails fast instead of overflowing the stack
// in gjson's recursive validator.
func TestDepthLimit(t *testing.T) {
	s := mustNew(t, testConfig()) // max_json_depth 32
	depth := func(n int) []byte { // an object holding n-1 nested arrays
		return []byte(`{"_id":"~1","x":` + strings.Repeat("[", n-1) + strings.Repeat("]", n-1) + `}`)
	}
	if _, _, err := s.One(config.KindCase, depth(32), Scope{Visible: everything}); err != nil {
		t.Fatalf("depth 32: %v", err)
	}
	if _, _, err := s.One(config.KindCase, depth(33), Scope{Visible: everything}); !errors.Is(err, ErrTooDeep) {
		t.Fatalf("depth 33: %v, want ErrTooDeep", err)
	}
	deep := bytes.Repeat([]byte("["), 10_000_000)
	deep = append(deep, bytes.Repeat([]byte("]"), 10_000_000)...)
	if _, _, err := s.List(config.KindCase, deep, Scope{Visible: everything}, Window{}); !errors.Is(err, ErrTooDeep) {
		t.Fatalf("ten million levels: %v, want ErrTooDeep", err)
	}
}

// TestDistinctKeysPass: equal keys in different objects, keys that differ
// only in case, and big objects without duplicates are fine.
func TestDistinctKeysPass(t *testing.T) {
	s := mustNew(t, testConfig())
	for _, body := range []string{
		`[{"_id":"~1","a":{"_id":"x","a":1}},{"_id":"~2","a":[{"a":1},{"a":2}]}]`,
		`[{"_id":"~1","title":"a","Title":"b","TITLE":"c"}]`,
		`[` + bigObjectBody + `,"nested":` + bigObjectBody + `}}]`,
		`[{"_id":"~1","a\u0062":1,"ab\"":2,"ab\\":3}]`,
	} {
		if _, _, err := s.List(config.KindCase, []byte(body), Scope{Visible: everything}, Window{}); err != nil {
			t.Errorf("%s: %v", body, err)
		}
	}
}

// TestValidateAllocations: validating a typical list allocates nothing.
func TestValidateAllocations(t *testing.T) {
	s := mustNew(t, testConfig())
	body := benchCases(50)
	var buf [256]span
	if _, err := s.validate(body, 2, buf[:0]); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(20, func() { _, _ = s.validate(body, 2, buf[:0]) }); n != 0 {
		t.Errorf("validate allocates %.0f times per call", n)
	}
}
