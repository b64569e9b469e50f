package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// env returns a getenv over a fixed map.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// minimalEnv holds the PORTAL_* variables that make a valid configuration.
func minimalEnv() map[string]string {
	return map[string]string{
		"PORTAL_PUBLIC_URL":         "https://portal.example.com",
		"PORTAL_UPSTREAM_URL":       "http://thehive:9000",
		"PORTAL_UPSTREAM_API_KEY":   "service-key-value",
		"PORTAL_OIDC_ISSUER":        "https://sso.example.com",
		"PORTAL_OIDC_CLIENT_ID":     "portal",
		"PORTAL_OIDC_CLIENT_SECRET": "client-secret-value",
		"PORTAL_SESSION_SECRET":     strings.Repeat("s", 32),
	}
}

func examplePath() string { return filepath.Join("..", "testdata", "config.example.yaml") }

func TestLoadExample(t *testing.T) {
	c, err := LoadFile(examplePath(), env(nil))
	if err != nil {
		t.Fatalf("example config: %v", err)
	}
	if c.Upstream.Organisation != "acme-soc" || c.Cache.TTL != 30*time.Second {
		t.Errorf("unexpected values: org %q ttl %s", c.Upstream.Organisation, c.Cache.TTL)
	}
	if c.Upstream.APIKey.Reveal() != "example-service-key" {
		t.Errorf("fallback expansion: got %q", c.Upstream.APIKey.Reveal())
	}
	if c.Share.Observable[1].Name != "added-through-portal" || c.Share.Case[1].Name != "case.tag:portal:user={email}" {
		t.Errorf("rule names: %q, %q", c.Share.Observable[1].Name, c.Share.Case[1].Name)
	}
	if c.Limits.MaxUploadBytes != 100<<20 {
		t.Errorf("max_upload_bytes = %d", c.Limits.MaxUploadBytes)
	}
}

// TestExampleMatchesDefaults: the example documents the defaults; loading
// it must give the same rules as loading nothing.
func TestExampleMatchesDefaults(t *testing.T) {
	ex, err := LoadFile(examplePath(), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	def, err := Load(strings.NewReader(""), env(minimalEnv()))
	if err != nil {
		t.Fatal(err)
	}
	def.Share.Observable[1].Name = "added-through-portal"
	for _, pair := range []struct {
		name string
		a, b any
	}{
		{"share", ex.Share, def.Share}, {"view", ex.View, def.View}, {"markers", ex.Markers, def.Markers},
		{"profiles", ex.Profiles, def.Profiles}, {"inputs", ex.Inputs, def.Inputs}, {"limits", ex.Limits, def.Limits},
	} {
		if fmt.Sprintf("%v", pair.a) != fmt.Sprintf("%v", pair.b) {
			t.Errorf("%s: example differs from defaults:\n%+v\n%+v", pair.name, pair.a, pair.b)
		}
	}
}

// TestExampleDocumentsEveryKey walks the Config type and checks that every
// key path appears in the example with a comment line above it.
func TestExampleDocumentsEveryKey(t *testing.T) {
	data, err := os.ReadFile(examplePath())
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	found := map[string]*yaml.Node{}
	collectKeys(doc.Content[0], "", found)
	for _, path := range structKeys(reflect.TypeOf(Config{}), "") {
		key, ok := found[path]
		if !ok {
			t.Errorf("example does not document %s", path)
			continue
		}
		if key.HeadComment == "" && !strings.Contains(path, "definitions.") && !strings.Contains(path, "share.") {
			t.Errorf("%s has no comment above it", path)
		}
	}
}

func collectKeys(n *yaml.Node, path string, found map[string]*yaml.Node) {
	if n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		p := joinPath(path, n.Content[i].Value)
		found[p] = n.Content[i]
		collectKeys(n.Content[i+1], p, found)
	}
}

func structKeys(t reflect.Type, path string) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		p := joinPath(path, name)
		out = append(out, p)
		ft := f.Type
		if ft.Kind() == reflect.Struct && ft != reflect.TypeOf(time.Duration(0)) {
			out = append(out, structKeys(ft, p)...)
		}
	}
	return out
}

func TestEnvAloneIsEnough(t *testing.T) {
	c, err := Load(strings.NewReader(""), env(minimalEnv()))
	if err != nil {
		t.Fatalf("env only: %v", err)
	}
	if c.Listen != ":8080" || c.Profiles.Default != "reporter" || len(c.Share.Case) != 5 {
		t.Errorf("defaults not applied: %+v", c)
	}
}

func TestEnvOverridesFile(t *testing.T) {
	e := minimalEnv()
	e["PORTAL_CACHE_TTL"] = "5s"
	e["PORTAL_LISTEN"] = "127.0.0.1:9999"
	c, err := Load(strings.NewReader("listen: ':7000'\ncache:\n  ttl: 1m\n"), env(e))
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:9999" || c.Cache.TTL != 5*time.Second {
		t.Errorf("env did not override: listen %q ttl %s", c.Listen, c.Cache.TTL)
	}
}

func TestEnvExpansionStaysInsideValues(t *testing.T) {
	e := minimalEnv()
	e["ORG"] = "acme\nlisten: ':1'"
	e["DEPTH"] = "48"
	c, err := Load(strings.NewReader("upstream:\n  organisation: ${ORG}\nlimits:\n  max_json_depth: ${DEPTH}\n"), env(e))
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("want the control character refused, got %v (%+v)", err, c)
	}
	if len(ce.Problems) != 1 || ce.Problems[0].Path != "upstream.organisation" {
		t.Errorf("want one problem at upstream.organisation, got %v", ce.Problems)
	}
	delete(e, "ORG")
	_, err = Load(strings.NewReader("upstream:\n  organisation: ${ORG}\nlimits:\n  max_json_depth: ${DEPTH}\n"), env(e))
	if err == nil || !strings.Contains(err.Error(), "upstream.organisation: environment variable ORG is not set (line 2)") {
		t.Errorf("unset variable: %v", err)
	}
}

func TestExplicitEmptyListSharesNothing(t *testing.T) {
	c, err := Load(strings.NewReader("share:\n  comment: []\n"), env(minimalEnv()))
	if err == nil {
		t.Fatalf("comment prefix marker without a rule must be refused, got %+v", c.Share.Comment)
	}
	c, err = Load(strings.NewReader("upstream:\n  native_external: true\nshare:\n  comment: []\n"), env(minimalEnv()))
	if err != nil {
		t.Fatal(err)
	}
	if c.Share.Comment == nil || len(c.Share.Comment) != 0 {
		t.Errorf("explicit [] replaced by defaults: %+v", c.Share.Comment)
	}
}
