package archtest

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/thehive-portal/thehive-portal/"

// allowed maps a package directory (prefix match on the first segments) to
// the project packages its non-test files may import. Every project package
// must be covered by one entry.
var allowed = map[string][]string{
	"config":                {},
	"policy":                {"config"},
	"filter":                {"config"},
	"proxy":                 {"config", "policy", "filter", "proxy", "notify", "explain"},
	"explain":               {"config", "policy", "filter"},
	"notify":                {"config"},
	"proxy/store":           {},
	"proxy/store/storetest": {"proxy/store"},
	"proxy/session":         {"config", "proxy/store"},
	"proxy/auth":            {"config"},
	"proxy/query":           {"config"},
	"proxy/ui":              {"config"},
	"internal/oidctest":     {"internal/idpshim"},
	"internal/idpshim":      {},
	"internal/smtptest":     {},
	"internal/devidp":       {"internal/idpshim"},
	"internal/thehivetest":  {"internal/thehivetest"},
	"internal/archtest":     {},
	"cmd":                   {"config", "policy", "filter", "proxy", "notify", "explain", "internal/thehivetest", "internal/devidp", "cmd"},
}

// testOnly may also be imported by _test.go files anywhere.
var testOnly = []string{"internal/thehivetest", "internal/oidctest", "internal/smtptest", "proxy/store/storetest"}

func TestImportsFlowOneWay(t *testing.T) {
	root := filepath.Join("..", "..")
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		checked++
		for _, v := range violations(root, path) {
			t.Error(v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 10 {
		t.Fatalf("only %d Go files found: wrong root?", checked)
	}
}

// violations lists the forbidden project imports of one file.
func violations(root, path string) []string {
	rel, _ := filepath.Rel(root, path)
	dir := filepath.ToSlash(filepath.Dir(rel))
	rules, ok := rulesFor(dir)
	if !ok {
		return []string{rel + ": package " + dir + " has no import rule in archtest"}
	}
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
	if err != nil {
		return []string{rel + ": " + err.Error()}
	}
	isTest := strings.HasSuffix(path, "_test.go")
	var out []string
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		if !strings.HasPrefix(p, module) {
			continue
		}
		target := strings.TrimPrefix(p, module)
		if target == dir || permitted(rules, target) || isTest && permitted(testOnly, target) {
			continue
		}
		out = append(out, rel+" imports "+target+": "+dir+" may import only "+strings.Join(rules, ", "))
	}
	return out
}

func rulesFor(dir string) ([]string, bool) {
	best, found := "", false
	for prefix := range allowed {
		if (dir == prefix || strings.HasPrefix(dir, prefix+"/")) && len(prefix) >= len(best) {
			best, found = prefix, true
		}
	}
	return allowed[best], found
}

func permitted(rules []string, target string) bool {
	for _, r := range rules {
		if target == r || strings.HasPrefix(target, r+"/") {
			return true
		}
	}
	return false
}

// TestRuleCatchesAStrayImport proves the checker can fail: a synthetic file
// in a temporary tree imports policy from filter.
func TestRuleCatchesAStrayImport(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "filter"), 0o755); err != nil {
		t.Fatal(err)
	}
	src := "package filter\nimport _ \"" + module + "policy\"\n"
	path := filepath.Join(dir, "filter", "x.go")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if v := violations(dir, path); len(v) != 1 || !strings.Contains(v[0], "filter/x.go imports policy") {
		t.Errorf("filter importing policy was not reported: %v", v)
	}
}
