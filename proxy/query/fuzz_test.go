package query

import (
	"errors"
	"slices"
	"testing"

	"github.com/tidwall/gjson"
)

// upstreamOps are the only operations the portal ever sends.
var upstreamOps = []string{"listCase", "getCase", "comments", "attachments", "observables", "filter", "sort", "page"}

// canonicalKeys are the only keys of a canonical filter expression.
var canonicalKeys = []string{"_and", "_or", "_not", "_eq", "_ne", "_lt", "_gt", "_lte", "_gte",
	"_startsWith", "_endsWith", "_like", "_match", "_in", "_between", "_has"}

// checkUpstream asserts the properties of an accepted query and its built
// upstream body: valid JSON, allowed operations only, canonical filter on
// allow-listed fields only, and a canonical filter that re-parses to the
// same bytes.
func checkUpstream(tb testing.TB, q *Query, up []byte, lim Limits) {
	tb.Helper()
	lim = lim.normal()
	if !gjson.ValidBytes(up) {
		tb.Fatalf("upstream body is not valid JSON: %q", up)
	}
	for _, op := range gjson.GetBytes(up, "query").Array() {
		if name := op.Get("_name").String(); !slices.Contains(upstreamOps, name) {
			tb.Fatalf("upstream op %q not allowed: %s", name, up)
		}
		if op.Get("_name").Str == "page" && op.Raw != `{"_name":"page","from":0,"to":1000}` {
			tb.Fatalf("client page leaked upstream: %s", up)
		}
	}
	clean := up // without the policy's restriction, whose fields are not the user's
	if q.Root == RootListCase {
		clean = ListCases(nil, q, upLimit)
	}
	allowed := lim.Fields[q.Kind()]
	for _, op := range gjson.GetBytes(clean, "query").Array() {
		switch op.Get("_name").String() {
		case "filter":
			for _, e := range op.Get("_and").Array() {
				checkExpr(tb, e, allowed)
			}
		case "sort":
			for _, f := range op.Get("_fields").Array() {
				f.ForEach(func(k, _ gjson.Result) bool {
					if !slices.Contains(allowed, k.Str) {
						tb.Fatalf("sort field %q not allowed", k.Str)
					}
					return true
				})
			}
		case "getCase":
			if _, ok := caseRef(op.Get("idOrName").Str); !ok {
				tb.Fatalf("bad upstream idOrName in %s", clean)
			}
		}
	}
	if q.Filter == nil {
		return
	}
	m, ok := object(gjson.ParseBytes(q.Filter))
	again, err := parseFilter(m, q.Kind(), &lim)
	if !ok || err != nil || string(again) != string(q.Filter) {
		tb.Fatalf("canonical filter does not re-parse to itself:\n%s\n%s (%v)", q.Filter, again, err)
	}
}

// checkExpr asserts that e is a canonical expression over allowed fields.
func checkExpr(tb testing.TB, e gjson.Result, allowed []string) {
	tb.Helper()
	e.ForEach(func(k, v gjson.Result) bool {
		if !slices.Contains(canonicalKeys, k.Str) {
			tb.Fatalf("non-canonical filter key %q", k.Str)
		}
		switch k.Str {
		case "_and", "_or":
			for _, s := range v.Array() {
				checkExpr(tb, s, allowed)
			}
		case "_not":
			checkExpr(tb, v, allowed)
		case "_has":
			if !slices.Contains(allowed, v.Str) {
				tb.Fatalf("_has field %q not allowed", v.Str)
			}
		default:
			if f := v.Get("_field"); f.Type != gjson.String || !slices.Contains(allowed, f.Str) {
				tb.Fatalf("filter field %s not allowed", f.Raw)
			}
		}
		return true
	})
}

// maxSeed leaves the huge table inputs (size and depth limits) out of the
// fuzz corpus.
const maxSeed = 8 << 10

// fuzzLimits are small so that long inputs fail the size check at once and
// never count as new coverage: the fuzzer minimises every new input in
// O(n²) runs, which stalls it for up to a minute on inputs of some KiB.
// The terms limit stays reachable within the size limit.
func fuzzLimits() Limits {
	return Limits{MaxBodyBytes: 512, MaxDepth: 12, MaxFilterTerms: 8, Fields: DefaultFields()}
}

func FuzzParse(f *testing.F) {
	for _, tc := range append(slices.Clone(rejectCases), accepted()...) {
		if len(tc.body) <= maxSeed {
			f.Add(tc.body, tc.query)
		}
	}
	f.Fuzz(func(t *testing.T, body, rawQuery string) {
		lim := fuzzLimits()
		q, err := Parse([]byte(body), rawQuery, lim)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Status != 400 || e.Type != "BadRequest" || len(e.Message) > 120 {
				t.Fatalf("bad error %#v", err)
			}
			return
		}
		if q.Root == RootGetCase && q.Child == "" && (q.Filter != nil || q.Sort != nil || q.Page != nil || q.Count) {
			t.Fatalf("getCase alone with more: %+v", q)
		}
		if q.Page != nil && (q.Page.From > q.Page.To || q.Page.To-q.Page.From > DefaultMaxPageSize) {
			t.Fatalf("bad page %+v", q.Page)
		}
		up := upstreamFor(q)
		if up == nil {
			t.Fatalf("no upstream body for %+v", q)
		}
		checkUpstream(t, q, up, lim)
	})
}

// accepted returns the accepted table inputs as rejectCase values.
func accepted() []rejectCase {
	out := make([]rejectCase, len(acceptCases))
	for i, tc := range acceptCases {
		out[i] = rejectCase{name: tc.name, query: tc.query, body: tc.body}
	}
	return out
}
