package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/explain")

// explainEnv is the environment of a portal in front of sim (explain
// never contacts the IdP).
func explainEnv(sim *thehivetest.Server) map[string]string {
	return map[string]string{
		"PORTAL_PUBLIC_URL": "https://portal.example.com", "PORTAL_UPSTREAM_URL": sim.URL,
		"PORTAL_UPSTREAM_API_KEY": thehivetest.ServiceKey, "PORTAL_OIDC_ISSUER": "https://sso.example.com",
		"PORTAL_OIDC_CLIENT_ID": "portal", "PORTAL_OIDC_CLIENT_SECRET": "secret",
		"PORTAL_SESSION_SECRET": strings.Repeat("k", 32),
	}
}

// TestExplainGolden compares the explain output for seeded cases of the
// simulator with testdata/explain/<name>.golden (text) and
// <name>.json.golden. Run with -update to rewrite them.
func TestExplainGolden(t *testing.T) {
	sim := thehivetest.NewServer(t, thehivetest.WithSeed())
	env := explainEnv(sim)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"case-42-jane", []string{"--user", thehivetest.JaneEmail, "--case", "42"}},
		{"case-43-alice", []string{"--user", thehivetest.AliceEmail, "--group", "client-readers", "--case", thehivetest.CaseUserTagID}},
		{"case-50-alice", []string{"--user", thehivetest.AliceEmail, "--case", "50"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, format := range []string{"", ".json"} {
				args := append([]string{"explain"}, tc.args...)
				if format != "" {
					args = append(args, "--json")
				}
				out, errOut, err := runCmd(t, env, args...)
				if err != nil {
					t.Fatalf("%v: %v\n%s", args, err, errOut)
				}
				golden(t, filepath.Join("..", "..", "testdata", "explain", tc.name+format+".golden"), out)
			}
		})
	}
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("%s differs from the output; run with -update after checking it.\n--- got:\n%s", path, got)
	}
}

// TestExplainAgreesWithScenario checks the JSON report against the
// simulator's own description of what each viewer may see.
func TestExplainAgreesWithScenario(t *testing.T) {
	sim := thehivetest.NewServer(t, thehivetest.WithSeed())
	env := explainEnv(sim)
	seeded := thehivetest.Scenario()
	for _, sc := range seeded.Cases {
		for _, p := range thehivetest.Personas() {
			args := []string{"explain", "--json", "--user", p.Email, "--case", sc.ID}
			for _, g := range p.Groups {
				args = append(args, "--group", g)
			}
			out, _, err := runCmd(t, env, args...)
			if err != nil {
				t.Fatalf("%v: %v", args, err)
			}
			var r struct {
				Case                               struct{ Shown bool }
				Comments, Attachments, Observables []struct {
					ID    string
					Shown bool
				}
			}
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatal(err)
			}
			visible := contains(sc.VisibleTo, p.Email)
			if r.Case.Shown != visible {
				t.Errorf("case %s for %s: shown %v, scenario says %v", sc.ID, p.Email, r.Case.Shown, visible)
			}
			for _, it := range append(append(r.Comments, r.Attachments...), r.Observables...) {
				want := visible && (contains(sc.VisibleComments, it.ID) || contains(sc.VisibleAttachments, it.ID) || contains(sc.VisibleObservables, it.ID))
				if it.Shown != want {
					t.Errorf("case %s item %s for %s: shown %v, want %v", sc.ID, it.ID, p.Email, it.Shown, want)
				}
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestExplainErrors(t *testing.T) {
	sim := thehivetest.NewServer(t, thehivetest.WithSeed())
	env := explainEnv(sim)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"explain", "--case", "42"}, 2, "usage"},
		{[]string{"explain", "--user", "not-an-email", "--case", "42"}, 2, "not an email"},
		{[]string{"explain", "--user", thehivetest.JaneEmail, "--case", "#42"}, 2, "case number"},
		{[]string{"explain", "--user", thehivetest.JaneEmail, "--case", "999"}, 1, "not found"},
	} {
		_, _, err := runCmd(t, env, tc.args...)
		if err == nil || exitCode(err) != tc.code || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v (exit %d), want exit %d and %q", tc.args, err, exitCode(err), tc.code, tc.want)
		}
	}
	bad := explainEnv(sim)
	bad["PORTAL_UPSTREAM_API_KEY"] = "wrong"
	if _, _, err := runCmd(t, bad, "explain", "--user", thehivetest.JaneEmail, "--case", "42"); err == nil || exitCode(err) != 1 {
		t.Errorf("a refused service key: %v", err)
	}
}

// TestExplainNoContentOfHiddenItems: the report names hidden items, never
// their text.
func TestExplainNoContentOfHiddenItems(t *testing.T) {
	sim := thehivetest.NewServer(t, thehivetest.WithSeed())
	out, _, err := runCmd(t, explainEnv(sim), "explain", "--json", "--user", thehivetest.JaneEmail, "--case", "42")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range thehivetest.Scenario().Canaries {
		if c.ID != thehivetest.Case42ID && c.Field != "tags" && bytes.Contains([]byte(out), []byte(c.Value)) {
			t.Errorf("the report holds hidden content %s.%s", c.ID, c.Field)
		}
	}
}
