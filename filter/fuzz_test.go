package filter

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/tidwall/gjson"
)

// fuzzVisible is the fuzz decider: any rule of the goldens, or an _id
// ending in 1, so that the fuzzer can flip visibility in every kind.
func fuzzVisible(item gjson.Result) bool {
	return commentRule(item) || observableRule(item) || strings.HasSuffix(item.Get("_id").String(), "1")
}

// FuzzFilter feeds every golden input and error case, mutated, to One and
// List, and checks properties that hold for any input:
//   - no panic; an error is one of the sentinels and comes without output;
//   - the output is valid, compact JSON without duplicate keys, whose items
//     hold only the keys allowed for the kind;
//   - the output items are the visible input items in the window, in
//     order (compared by _id), and total counts the visible ones;
//   - a "CANARY-" string in the output is part of a string that a visible
//     input item holds in a place the projection may show (a listed field,
//     a shown tag or custom field, the message);
//   - an author other than the alias appears only on items the service
//     login created, and is taken from their message or tags;
//   - a comment message shown is the end of the input message.
func FuzzFilter(f *testing.F) {
	kinds := map[config.Kind]uint8{config.KindCase: 0, config.KindComment: 1, config.KindAttachment: 2, config.KindObservable: 3}
	for _, g := range goldens {
		body, err := os.ReadFile(g.input())
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body, kinds[g.kind], int8(g.window.From), int8(g.window.To), g.one)
	}
	for _, c := range errorCases {
		f.Add([]byte(c.body), uint8(1), int8(0), int8(0), c.only == "one")
	}
	cfg := testConfig()
	s := mustNew(f, cfg)
	f.Fuzz(func(t *testing.T, body []byte, kind uint8, from, to int8, one bool) {
		k := config.Kinds[int(kind)%len(config.Kinds)]
		sc := Scope{Visible: fuzzVisible, ServiceLogin: testLogin}
		if one {
			out, visible, err := s.One(k, body, sc)
			if checkError(t, err, out) || !visible {
				if out != nil {
					t.Fatalf("hidden, but output %s", out)
				}
				return
			}
			checkOutput(t, cfg, k, out)
			checkFuzzItems(t, cfg, k, []gjson.Result{gjson.ParseBytes(body)}, []gjson.Result{gjson.ParseBytes(out)}, Window{})
			return
		}
		w := Window{From: int(from), To: int(to)}
		out, total, err := s.List(k, body, sc, w)
		if checkError(t, err, out) {
			return
		}
		checkOutput(t, cfg, k, out)
		in, got := listItems(body), listItems(out)
		visible := checkFuzzItems(t, cfg, k, in, got, w)
		if total != visible {
			t.Fatalf("total %d, %d visible items", total, visible)
		}
	})
}

// checkError reports whether err is set, and fails unless it is one of the
// sentinels with no output.
func checkError(t *testing.T, err error, out []byte) bool {
	if err == nil {
		return false
	}
	for _, sentinel := range []error{ErrTooLarge, ErrTooDeep, ErrInvalidJSON, ErrDuplicateKey, ErrShape} {
		if errors.Is(err, sentinel) {
			if out != nil {
				t.Fatalf("error %v with output %s", err, out)
			}
			return true
		}
	}
	t.Fatalf("unexpected error %v", err)
	return true
}

func listItems(doc []byte) []gjson.Result {
	r := gjson.ParseBytes(doc)
	if r.IsObject() {
		r = r.Get("result")
	}
	return r.Array()
}

// checkFuzzItems checks the output items against the visible input items and
// returns how many input items are visible.
func checkFuzzItems(t *testing.T, cfg *config.Config, kind config.Kind, in, out []gjson.Result, w Window) int {
	var visible []gjson.Result
	for _, it := range in {
		if fuzzVisible(it) {
			visible = append(visible, it)
		}
	}
	from, to := max(w.From, 0), len(visible)
	if w.To > 0 {
		to = min(w.To, to)
	}
	shown := visible[min(from, to):to]
	if len(out) != len(shown) {
		t.Fatalf("%d items out, want %d of %d visible", len(out), len(shown), len(visible))
	}
	permitted := permittedStrings(cfg, kind, visible)
	for i, o := range out {
		if o.Get("_id").String() != shown[i].Get("_id").String() {
			t.Fatalf("item %d: _id %q, want %q", i, o.Get("_id").String(), shown[i].Get("_id").String())
		}
		checkCanaries(t, o, permitted)
		checkAuthor(t, cfg, kind, o, shown[i])
	}
	return len(visible)
}

// permittedStrings returns the decoded strings that the projection may
// show of the visible items.
func permittedStrings(cfg *config.Config, kind config.Kind, visible []gjson.Result) []string {
	var out []string
	for _, it := range visible {
		it.ForEach(func(k, v gjson.Result) bool {
			if slices.Contains(cfg.View.Fields.Of(kind), k.String()) {
				out = append(out, decodedStrings([]byte(v.Raw))...)
			}
			return true
		})
		if kind != config.KindCase {
			continue
		}
		it.Get("tags").ForEach(func(_, tag gjson.Result) bool {
			if baselineShowTag(cfg, tag.String()) {
				out = append(out, tag.String())
			}
			return true
		})
		it.Get("customFields").ForEach(func(_, cf gjson.Result) bool {
			if slices.Contains(cfg.View.CaseCustomFields, cf.Get("name").String()) && cf.Get("name").Type == gjson.String {
				out = append(out, decodedStrings([]byte(cf.Raw))...)
			}
			return true
		})
	}
	return out
}

func checkCanaries(t *testing.T, item gjson.Result, permitted []string) {
	for _, s := range decodedStrings([]byte(item.Raw)) {
		if !strings.Contains(s, "CANARY-") {
			continue
		}
		if !slices.ContainsFunc(permitted, func(p string) bool { return strings.Contains(p, s) }) {
			t.Fatalf("canary %q in %s comes from no visible allowed field", s, item.Raw)
		}
	}
}

// checkAuthor: a trusted author only on what the service login created,
// taken from the message (comments) or a tag (observables); the message
// shown is the end of the input message.
func checkAuthor(t *testing.T, cfg *config.Config, kind config.Kind, out, in gjson.Result) {
	author := out.Get("createdBy").String()
	switch kind {
	case config.KindComment:
		msg := in.Get("message").String()
		if m := out.Get("message"); m.Exists() && !strings.HasSuffix(msg, m.String()) {
			t.Fatalf("message %q is not the end of %q", m.String(), msg)
		}
		if author != cfg.View.AnalystAlias && (in.Get("createdBy").String() != testLogin || !strings.Contains(msg, author)) {
			t.Fatalf("author %q trusted on %s", author, in.Raw)
		}
	case config.KindObservable:
		tags := strings.Join(decodedStrings([]byte(in.Get("tags").Raw)), " ")
		if author != cfg.View.AnalystAlias && (in.Get("_createdBy").String() != testLogin || !strings.Contains(tags, author)) {
			t.Fatalf("author %q trusted on %s", author, in.Raw)
		}
	}
}
