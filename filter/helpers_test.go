package filter

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/tidwall/gjson"
)

// testLogin is the service login of the test scope.
const testLogin = "svc-portal@example.org"

// testConfig is the configuration of the golden tests: defaults, plus case
// tags and custom fields shown, and a second comment marker.
func testConfig() *config.Config {
	cfg := config.Default()
	cfg.View.CaseTags = []string{"phishing", "customer-*", "portal:*", "Portal:*", "PORTAL:*"}
	cfg.View.CaseCustomFields = []string{"business-unit", "reporters"}
	cfg.Share.Comment = append(cfg.Share.Comment, config.Rule{Name: "comment.shared", MessagePrefix: "[shared]"})
	return cfg
}

func mustNew(tb testing.TB, cfg *config.Config) *Set {
	tb.Helper()
	s, err := New(cfg)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	return s
}

// Test-side visibility rules. They stand in for the policy package, which
// the filter must not import.

func byID(ids ...string) func(gjson.Result) bool {
	return func(item gjson.Result) bool { return slices.Contains(ids, item.Get("_id").String()) }
}

func everything(gjson.Result) bool { return true }

func externalFlag(item gjson.Result) bool { return item.Get("external").Type == gjson.True }

// commentRule: native external flag, or a message starting with one of the
// markers of testConfig (decoded by gjson, as the policy would).
func commentRule(item gjson.Result) bool {
	msg := item.Get("message").String()
	return externalFlag(item) || strings.HasPrefix(msg, "[external]") || strings.HasPrefix(msg, "[shared]")
}

// observableRule: native external flag, or a tag portal:by=*.
func observableRule(item gjson.Result) bool {
	found := false
	item.Get("tags").ForEach(func(_, tag gjson.Result) bool {
		found = strings.HasPrefix(tag.String(), "portal:by=")
		return !found
	})
	return found || externalFlag(item)
}

// allowedKeys returns the keys an output item of kind may hold.
func allowedKeys(cfg *config.Config, kind config.Kind) []string {
	return append(slices.Clone(cfg.View.Fields.Of(kind)), builtKeys[kind]...)
}

// checkOutput asserts what every successful output must be: valid,
// compact JSON without duplicate keys whose items hold only allowed keys.
func checkOutput(t testing.TB, cfg *config.Config, kind config.Kind, out []byte) {
	t.Helper()
	if !json.Valid(out) || !gjson.ValidBytes(out) {
		t.Fatalf("output is not valid JSON: %s", out)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, out); err != nil || !bytes.Equal(compact.Bytes(), out) {
		t.Fatalf("output is not compact: %s", out)
	}
	if err := duplicateKeys(out); err != nil {
		t.Fatalf("output: %v: %s", err, out)
	}
	var items []gjson.Result
	switch r := gjson.ParseBytes(out); {
	case r.IsArray():
		items = r.Array()
	case r.Get("result").IsArray():
		items = r.Get("result").Array()
		assertKeys(t, r, []string{"result", "total"})
	default:
		items = []gjson.Result{r}
	}
	for _, it := range items {
		assertKeys(t, it, allowedKeys(cfg, kind))
		it.Get("customFields").ForEach(func(_, cf gjson.Result) bool {
			assertKeys(t, cf, []string{"name", "type", "value", "order"})
			return true
		})
	}
}

func assertKeys(t testing.TB, obj gjson.Result, allowed []string) {
	t.Helper()
	if !obj.IsObject() {
		t.Fatalf("not an object: %s", obj.Raw)
	}
	obj.ForEach(func(k, _ gjson.Result) bool {
		if !slices.Contains(allowed, k.String()) {
			t.Fatalf("key %q is not allowed: %s", k.String(), obj.Raw)
		}
		return true
	})
}

// duplicateKeys walks data with encoding/json's tokenizer, an
// implementation independent of the filter's scanner, and reports the first
// object that holds a key twice.
func duplicateKeys(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		keys   map[string]bool
		object bool
		key    bool // next string token is a key
	}
	var stack []frame
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				if top != nil && top.object {
					top.key = true
				}
				stack = append(stack, frame{keys: map[string]bool{}, object: d == '{', key: d == '{'})
			default:
				stack = stack[:len(stack)-1]
			}
			continue
		}
		if top != nil && top.object {
			if top.key {
				k := tok.(string)
				if top.keys[k] {
					return fmt.Errorf("duplicate key %q", k)
				}
				top.keys[k] = true
			}
			top.key = !top.key
		}
	}
}

// decodedStrings returns every string, key or value, of a JSON document,
// decoded.
func decodedStrings(data []byte) []string {
	var out []string
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			return out
		}
		if s, ok := tok.(string); ok {
			out = append(out, s)
		}
	}
}

// assertNoCanary fails when out holds a canary, raw or decoded.
func assertNoCanary(t testing.TB, out []byte) {
	t.Helper()
	if bytes.Contains(out, []byte("CANARY-")) {
		t.Fatalf("output holds a canary: %s", out)
	}
	for _, s := range decodedStrings(out) {
		if strings.Contains(s, "CANARY-") {
			t.Fatalf("output holds an escaped canary %q: %s", s, out)
		}
	}
}
