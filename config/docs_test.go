package config

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

// referencePath is the configuration reference that must list every key.
func referencePath() string { return filepath.Join("..", "docs", "configuration.md") }

// referenceRow matches a table row of the reference whose first cell is one
// backquoted key path or variable, e.g. "| `oidc.issuer` | string | …".
var referenceRow = regexp.MustCompile("^\\|\\s*`([A-Za-z0-9_.\\[\\]<>]+)`\\s*\\|")

// referenceKeys returns the key paths and the PORTAL_* variables that the
// reference documents in its tables.
func referenceKeys(t *testing.T) (keys, vars map[string]bool) {
	t.Helper()
	data, err := os.ReadFile(referencePath())
	if err != nil {
		t.Fatal(err)
	}
	keys, vars = map[string]bool{}, map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		m := referenceRow.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		if strings.HasPrefix(m[1], "PORTAL_") {
			vars[m[1]] = true
		} else {
			keys[m[1]] = true
		}
	}
	return keys, vars
}

// documentedKeys walks the Config type as TestExampleDocumentsEveryKey
// does (structKeys), and also into the elements of lists and maps of
// structs: a share rule's keys are written share.<kind>[].KEY (one row for
// the four kinds, whose rules have the same keys) and a profile's keys
// profiles.definitions.<name>.KEY.
func documentedKeys() []string {
	keys := map[string]bool{}
	for _, k := range structKeys(reflect.TypeOf(Config{}), "") {
		keys[k] = true
	}
	for _, k := range elementKeys(reflect.TypeOf(Config{}), "") {
		keys[k] = true
	}
	out := make([]string, 0, len(keys))
	for k := range keys {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

var shareKind = regexp.MustCompile(`^share\.(case|comment|attachment|observable)\[\]`)

// elementKeys lists the keys inside list and map elements that are structs.
func elementKeys(t reflect.Type, path string) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		p := joinPath(path, name)
		ft := f.Type
		switch {
		case ft.Kind() == reflect.Struct && ft != reflect.TypeOf(time.Duration(0)):
			out = append(out, elementKeys(ft, p)...)
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			elem := shareKind.ReplaceAllString(p+"[]", "share.<kind>[]")
			out = append(out, structKeys(ft.Elem(), elem)...)
		case ft.Kind() == reflect.Map && ft.Elem().Kind() == reflect.Struct:
			out = append(out, structKeys(ft.Elem(), p+".<name>")...)
		}
	}
	return out
}

// TestReferenceDocumentsEveryKey keeps docs/configuration.md in step with
// the Config type: every key path has a row, and every row names a key
// that exists.
func TestReferenceDocumentsEveryKey(t *testing.T) {
	documented, _ := referenceKeys(t)
	want := documentedKeys()
	exists := map[string]bool{}
	for _, k := range want {
		exists[k] = true
		if !documented[k] {
			t.Errorf("docs/configuration.md does not document %s", k)
		}
	}
	for k := range documented {
		if !exists[k] {
			t.Errorf("docs/configuration.md documents %s, which is not a key of Config", k)
		}
	}
}

// TestReferenceDocumentsEveryVariable does the same for the PORTAL_*
// variables that Load reads.
func TestReferenceDocumentsEveryVariable(t *testing.T) {
	_, documented := referenceKeys(t)
	exists := map[string]bool{}
	for _, v := range EnvVars() {
		exists[v] = true
		if !documented[v] {
			t.Errorf("docs/configuration.md does not document %s", v)
		}
	}
	for v := range documented {
		if !exists[v] {
			t.Errorf("docs/configuration.md documents %s, which Load does not read", v)
		}
	}
}

// TestReferenceWalkSeesNestedKeys guards the walk itself: if it stopped
// descending, the test above would pass on an empty reference.
func TestReferenceWalkSeesNestedKeys(t *testing.T) {
	keys := strings.Join(documentedKeys(), " ")
	for _, k := range []string{"notify.smtp.tls", "view.fields.case", "share.<kind>[].case_tag", "profiles.definitions.<name>.groups"} {
		if !strings.Contains(" "+keys+" ", " "+k+" ") {
			t.Errorf("walk misses %s", k)
		}
	}
}
