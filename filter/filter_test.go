package filter

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/tidwall/gjson"
)

func TestNewDefaults(t *testing.T) {
	if _, err := New(config.Default()); err != nil {
		t.Fatalf("New(config.Default()): %v", err)
	}
}

func TestNewRefuses(t *testing.T) {
	tests := []struct {
		name   string
		change func(*config.Config)
		want   string
	}{
		{"response limit", func(c *config.Config) { c.Limits.MaxResponseBytes = 0 }, "max_response_bytes"},
		{"response limit too big", func(c *config.Config) { c.Limits.MaxResponseBytes = 2 << 30 }, "max_response_bytes"},
		{"depth", func(c *config.Config) { c.Limits.MaxJSONDepth = 1 }, "max_json_depth"},
		{"alias", func(c *config.Config) { c.View.AnalystAlias = "" }, "analyst_alias"},
		{"built key", func(c *config.Config) { c.View.Fields.Comment = append(c.View.Fields.Comment, "createdBy") }, "built by the portal"},
		{"built key in another case", func(c *config.Config) { c.View.Fields.Case = append(c.View.Fields.Case, "Tags") }, "built by the portal"},
		{"extraData", func(c *config.Config) { c.View.Fields.Attachment = append(c.View.Fields.Attachment, "extraData") }, "built by the portal"},
		{"read key", func(c *config.Config) { c.View.Fields.Observable = append(c.View.Fields.Observable, "tags") }, "read by the portal"},
		{"author key", func(c *config.Config) { c.View.Fields.Observable = append(c.View.Fields.Observable, "_createdBy") }, "read by the portal"},
		{"twice", func(c *config.Config) { c.View.Fields.Case = append(c.View.Fields.Case, "TITLE") }, "listed twice"},
		{"no _id", func(c *config.Config) { c.View.Fields.Attachment = []string{"name"} }, "must include _id"},
		{"path syntax", func(c *config.Config) { c.View.Fields.Case = append(c.View.Fields.Case, "access.users") }, "plain field name"},
		{"quote", func(c *config.Config) { c.View.Fields.Case = append(c.View.Fields.Case, `a"b`) }, "plain field name"},
		{"author marker", func(c *config.Config) { c.Markers.ObservableAuthor = "portal:by" }, "observable_author"},
		{"author marker twice", func(c *config.Config) { c.Markers.ObservableAuthor = "portal:by={email}{email}" }, "observable_author"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := config.Default()
			tc.change(cfg)
			_, err := New(cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("New: %v, want an error about %s", err, tc.want)
			}
		})
	}
	if _, err := New(nil); err == nil {
		t.Error("New(nil) succeeded")
	}
}

func TestUnknownKind(t *testing.T) {
	s := mustNew(t, testConfig())
	if _, _, err := s.One("task", []byte(`{"_id":"~1"}`), Scope{Visible: everything}); !errors.Is(err, ErrUnknownKind) {
		t.Errorf("One: %v", err)
	}
	if _, _, err := s.List("alert", []byte(`[]`), Scope{Visible: everything}, Window{}); !errors.Is(err, ErrUnknownKind) {
		t.Errorf("List: %v", err)
	}
}

// TestVisibleSeesItems: Visible gets each item as an object whose Index is
// its offset in the body, and a nil Visible shows nothing.
func TestVisibleSeesItems(t *testing.T) {
	s := mustNew(t, testConfig())
	body := []byte(` {"result": [ {"_id":"~1"} , {"_id":"~2"}], "total": 2} `)
	var seen []string
	visible := func(item gjson.Result) bool {
		if !item.IsObject() || string(body[item.Index:item.Index+len(item.Raw)]) != item.Raw {
			t.Errorf("item %q at %d", item.Raw, item.Index)
		}
		seen = append(seen, item.Get("_id").String())
		return true
	}
	if _, total, err := s.List(config.KindAttachment, body, Scope{Visible: visible}, Window{}); err != nil || total != 2 {
		t.Fatalf("total %d, error %v", total, err)
	}
	if strings.Join(seen, ",") != "~1,~2" {
		t.Errorf("Visible saw %v", seen)
	}
	out, visibleOne, err := s.One(config.KindAttachment, []byte(`{"_id":"~1"}`), Scope{})
	if out != nil || visibleOne || err != nil {
		t.Errorf("nil Visible: %s %v %v", out, visibleOne, err)
	}
}

// TestMaxItems: a list with more items than Scope.MaxItems is
// ErrTooManyItems, in both list forms, whatever is visible; at the bound
// it passes.
func TestMaxItems(t *testing.T) {
	s := mustNew(t, testConfig())
	none := func(gjson.Result) bool { return false }
	for _, body := range []string{`[{"_id":"~1"},{"_id":"~2"},{"_id":"~3"}]`, `{"result":[{"_id":"~1"},{"_id":"~2"},{"_id":"~3"}],"total":3}`} {
		if _, _, err := s.List(config.KindAttachment, []byte(body), Scope{Visible: none, MaxItems: 2}, Window{}); !errors.Is(err, ErrTooManyItems) {
			t.Errorf("%s with MaxItems 2: %v", body, err)
		}
		if _, _, err := s.List(config.KindAttachment, []byte(body), Scope{Visible: none, MaxItems: 3}, Window{}); err != nil {
			t.Errorf("%s with MaxItems 3: %v", body, err)
		}
	}
}

// TestAppendList: AppendList writes after dst's bytes, never over them, and
// gives what List gives.
func TestAppendList(t *testing.T) {
	s := mustNew(t, testConfig())
	body := []byte(`[{"_id":"~1","_type":"Attachment","name":"a.pdf"},{"_id":"~2","_type":"Attachment","name":"b.pdf"}]`)
	all := func(gjson.Result) bool { return true }
	want, _, err := s.List(config.KindAttachment, body, Scope{Visible: all}, Window{})
	if err != nil {
		t.Fatal(err)
	}
	dst := make([]byte, 0, 4096)
	dst = append(dst, "prefix"...)
	out, total, err := s.AppendList(dst, config.KindAttachment, body, Scope{Visible: all}, Window{})
	if err != nil || total != 2 || string(out) != "prefix"+string(want) {
		t.Errorf("AppendList = %s, %d, %v; want prefix%s", out, total, err, want)
	}
}

// TestConcurrentUse runs every golden from several goroutines on one Set;
// run with -race.
func TestConcurrentUse(t *testing.T) {
	s := mustNew(t, testConfig())
	type result struct {
		g    golden
		body []byte
		want []byte
	}
	var runs []result
	for _, g := range goldens {
		body, err := os.ReadFile(g.input())
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, result{g, body, g.run(t, s, body)})
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for _, r := range runs {
				if got, _, err := r.g.output(s, r.body); err != nil || !bytes.Equal(got, r.want) {
					t.Errorf("%s: concurrent output differs (%v)", r.g.name, err)
				}
			}
		})
	}
	wg.Wait()
}
