package filter

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/tidwall/gjson"
)

var update = flag.Bool("update", false, "rewrite testdata/*.want.json from the current output")

// golden is one golden test: testdata/<in or name>.in.json filtered as
// said here must give testdata/<name>.want.json (indented for review; the
// real output is compact and checked to be). A One call that hides the
// object wants "null".
type golden struct {
	name    string
	in      string // input file base name; default name
	kind    config.Kind
	one     bool
	window  Window
	visible func(gjson.Result) bool
	noLogin bool // Scope.ServiceLogin empty
	total   int  // List only
}

var goldens = []golden{
	{name: "case", kind: config.KindCase, one: true, visible: byID("~41001")},
	{name: "case-hidden", in: "case", kind: config.KindCase, one: true, visible: byID("~41088")},
	{name: "cases-query", kind: config.KindCase, visible: byID("~41001"), total: 1},
	{name: "cases-paged", kind: config.KindCase, window: Window{1, 3}, visible: byID("~1", "~3", "~4", "~5"), total: 4},
	{name: "cases-paged-all", in: "cases-paged", kind: config.KindCase, visible: byID("~1", "~3", "~4", "~5"), total: 4},
	{name: "cases-paged-beyond", in: "cases-paged", kind: config.KindCase, window: Window{10, 20}, visible: byID("~1", "~3", "~4", "~5"), total: 4},
	{name: "cases-window-to-end", in: "cases-window", kind: config.KindCase, window: Window{2, 0}, visible: byID("~1", "~3", "~4", "~5"), total: 4},
	{name: "cases-window-negative", in: "cases-window", kind: config.KindCase, window: Window{-3, 2}, visible: byID("~1", "~3", "~4", "~5"), total: 4},
	{name: "cases-window-empty", in: "cases-window", kind: config.KindCase, window: Window{3, 2}, visible: byID("~1", "~3", "~4", "~5"), total: 4},
	{name: "empty-list", kind: config.KindComment, visible: everything},
	{name: "empty-paged", kind: config.KindComment, visible: everything},
	{name: "nothing-visible", in: "comments-query", kind: config.KindComment},
	{name: "comments-query", kind: config.KindComment, visible: commentRule, total: 2},
	{name: "comment-created", kind: config.KindComment, one: true, visible: commentRule},
	{name: "comment-created-portal", kind: config.KindComment, one: true, visible: commentRule},
	{name: "comments-markers", kind: config.KindComment, visible: commentRule, total: 11},
	{name: "comments-attribution", kind: config.KindComment, visible: commentRule, total: 13},
	{name: "comments-attribution-no-login", in: "comments-attribution", kind: config.KindComment, visible: commentRule, noLogin: true, total: 13},
	{name: "attachments-query", kind: config.KindAttachment, visible: externalFlag, total: 1},
	{name: "observables-query", kind: config.KindObservable, visible: observableRule, total: 8},
	{name: "hostile-case", kind: config.KindCase, one: true, visible: everything},
	{name: "hostile-comments", kind: config.KindComment, visible: commentRule, total: 3},
}

func (g golden) input() string {
	if g.in != "" {
		return filepath.Join("testdata", g.in+".in.json")
	}
	return filepath.Join("testdata", g.name+".in.json")
}

func (g golden) scope() Scope {
	sc := Scope{Visible: g.visible, ServiceLogin: testLogin}
	if g.noLogin {
		sc.ServiceLogin = ""
	}
	return sc
}

// output filters the golden's input and returns the output ("null" for a
// hidden One) and the total (One: 1 if visible).
func (g golden) output(s *Set, body []byte) ([]byte, int, error) {
	if g.one {
		out, visible, err := s.One(g.kind, body, g.scope())
		if err != nil || visible {
			return out, 1, err
		}
		if out != nil {
			return nil, 0, errors.New("hidden object, but output")
		}
		return []byte("null"), 0, nil
	}
	return s.List(g.kind, body, g.scope(), g.window)
}

// run is output for tests: errors and a wrong total fail t.
func (g golden) run(t *testing.T, s *Set, body []byte) []byte {
	t.Helper()
	out, total, err := g.output(s, body)
	if err != nil {
		t.Fatalf("%s: %v", g.name, err)
	}
	if !g.one && total != g.total {
		t.Errorf("total = %d, want %d", total, g.total)
	}
	return out
}

func TestGolden(t *testing.T) {
	cfg := testConfig()
	s := mustNew(t, cfg)
	for _, g := range goldens {
		t.Run(g.name, func(t *testing.T) {
			body, err := os.ReadFile(g.input())
			if err != nil {
				t.Fatal(err)
			}
			out := g.run(t, s, body)
			if string(out) != "null" {
				checkOutput(t, cfg, g.kind, out)
			}
			assertNoCanary(t, out)
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, out, "", "  "); err != nil {
				t.Fatal(err)
			}
			pretty.WriteByte('\n')
			wantFile := filepath.Join("testdata", g.name+".want.json")
			if *update {
				if err := os.WriteFile(wantFile, pretty.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(wantFile)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGolden -update to create it)", err)
			}
			if !bytes.Equal(pretty.Bytes(), want) {
				t.Errorf("output differs from %s\n got: %s\nwant: %s", wantFile, pretty.Bytes(), want)
			}
		})
	}
}

// TestGoldenInputsHoldCanaries guards the canary test itself: each input
// that hides something must plant a canary, or the test proves nothing.
func TestGoldenInputsHoldCanaries(t *testing.T) {
	for _, g := range goldens {
		body, err := os.ReadFile(g.input())
		if err != nil {
			t.Fatal(err)
		}
		hidesNothing := string(bytes.TrimSpace(body)) == "[]" || g.in == "" && g.name == "empty-paged"
		if !hidesNothing && !bytes.Contains(body, []byte("CANARY-")) {
			t.Errorf("%s: input holds no canary", g.input())
		}
	}
}
