package policy

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
	"go.yaml.in/yaml/v3"

	"github.com/thehive-portal/thehive-portal/config"
)

// policyFile is one testdata/policies/*.yaml: a configuration and the
// decisions it must give.
type policyFile struct {
	Config  string               `yaml:"config"`
	Viewers map[string]Viewer    `yaml:"viewers"`
	Objects map[string]yaml.Node `yaml:"objects"`
	Visible []struct {
		Name   string `yaml:"name"`
		Viewer string `yaml:"viewer"`
		Kind   string `yaml:"kind"`
		Object string `yaml:"object"`
		Case   string `yaml:"case"`
		Want   want   `yaml:"want"`
	} `yaml:"visible"`
	Profiles []struct {
		Groups []string `yaml:"groups"`
		Want   string   `yaml:"want"`
		Rule   string   `yaml:"rule"`
	} `yaml:"profiles"`
	Writes []struct {
		Profile string   `yaml:"profile"`
		Allowed []string `yaml:"allowed"`
	} `yaml:"writes"`
	CaseFilters []struct {
		Viewer string `yaml:"viewer"`
		Want   string `yaml:"want"`
		Exact  bool   `yaml:"exact"`
	} `yaml:"case_filters"`
}

type want struct {
	Allow  bool   `yaml:"allow"`
	Reason Reason `yaml:"reason"`
	Rule   string `yaml:"rule"`
}

// minimalEnv makes the non-policy part of a configuration valid.
func minimalEnv(k string) string {
	return map[string]string{
		"PORTAL_PUBLIC_URL": "https://portal.example.com", "PORTAL_UPSTREAM_URL": "http://thehive:9000",
		"PORTAL_UPSTREAM_API_KEY": "k", "PORTAL_OIDC_ISSUER": "https://sso.example.com",
		"PORTAL_OIDC_CLIENT_ID": "portal", "PORTAL_OIDC_CLIENT_SECRET": "s",
		"PORTAL_SESSION_SECRET": strings.Repeat("s", 32),
	}[k]
}

func TestPolicies(t *testing.T) {
	files, err := filepath.Glob("testdata/policies/*.yaml")
	if err != nil || len(files) < 2 {
		t.Fatalf("policy files: %v %v", files, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) { runPolicyFile(t, f) })
	}
}

func runPolicyFile(t *testing.T, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var pf policyFile
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&pf); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	cfg, err := config.Load(strings.NewReader(pf.Config), minimalEnv)
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	objects := map[string]gjson.Result{}
	for name, n := range pf.Objects {
		objects[name] = toJSON(t, &n)
	}
	if len(pf.Visible) == 0 {
		t.Error("a policy file must hold visible tests")
	}
	for _, tc := range pf.Visible {
		t.Run(tc.Name, func(t *testing.T) {
			obj, ok := objects[tc.Object]
			if !ok && tc.Object != "" {
				t.Fatalf("no object %q", tc.Object)
			}
			got := e.Decide(pf.Viewers[tc.Viewer], config.Kind(tc.Kind), obj, objects[tc.Case])
			if got != (Decision{Allow: tc.Want.Allow, Reason: tc.Want.Reason, Rule: tc.Want.Rule}) {
				t.Errorf("got %+v, want %+v", got, tc.Want)
			}
		})
	}
	checkProfiles(t, e, &pf)
	checkCaseFilters(t, e, &pf)
}

func checkProfiles(t *testing.T, e *Engine, pf *policyFile) {
	for _, tc := range pf.Profiles {
		name, d := e.Profile(tc.Groups)
		if name != tc.Want || d.Rule != tc.Rule || d.Allow != (tc.Want != "") {
			t.Errorf("Profile(%v) = %q %+v, want %q by %q", tc.Groups, name, d, tc.Want, tc.Rule)
		}
	}
	for _, tc := range pf.Writes {
		var got []string
		for _, w := range e.Writes(Viewer{Email: "x@y.z", Profile: tc.Profile}) {
			got = append(got, string(w))
		}
		if strings.Join(got, ",") != strings.Join(tc.Allowed, ",") {
			t.Errorf("Writes(%s) = %v, want %v", tc.Profile, got, tc.Allowed)
		}
		for _, w := range config.Writes {
			d := e.Allows(Viewer{Profile: tc.Profile}, w)
			if d.Allow != contains(tc.Allowed, string(w)) || d.Reason == "" {
				t.Errorf("Allows(%s, %s) = %+v", tc.Profile, w, d)
			}
		}
	}
}

func checkCaseFilters(t *testing.T, e *Engine, pf *policyFile) {
	for _, tc := range pf.CaseFilters {
		expr, exact := e.CaseFilter(pf.Viewers[tc.Viewer])
		if exact != tc.Exact || !sameJSON(t, string(expr), tc.Want) {
			t.Errorf("CaseFilter(%s) = %s exact=%v, want %s exact=%v", tc.Viewer, expr, exact, tc.Want, tc.Exact)
		}
	}
}

func toJSON(t *testing.T, n *yaml.Node) gjson.Result {
	t.Helper()
	var v any
	if err := n.Decode(&v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return gjson.ParseBytes(b)
}

func sameJSON(t *testing.T, a, b string) bool {
	t.Helper()
	if a == "" || b == "" {
		return a == b
	}
	var x, y any
	if err := json.Unmarshal([]byte(a), &x); err != nil {
		t.Fatalf("%s: %v", a, err)
	}
	if err := json.Unmarshal([]byte(b), &y); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return reflect.DeepEqual(x, y)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
