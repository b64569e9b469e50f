package query

import (
	"encoding/json"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"github.com/thehive-portal/thehive-portal/config"
)

// Root is the initial operation of a query.
type Root string

// The accepted initial operations.
const (
	RootListCase Root = "listCase"
	RootGetCase  Root = "getCase"
)

// childOps maps the accepted chained operations after getCase to the kind
// they list.
var childOps = map[string]config.Kind{
	"comments":    config.KindComment,
	"attachments": config.KindAttachment,
	"observables": config.KindObservable,
}

// Query is a parsed, validated query.
type Query struct {
	// Root is RootListCase or RootGetCase.
	Root Root
	// Case is the case of getCase; zero for listCase.
	Case CaseRef
	// Child is "" (the cases themselves) or KindComment, KindAttachment or
	// KindObservable for getCase → comments|attachments|observables.
	Child config.Kind
	// Filter is the canonical filter expression, nil when there is none or
	// it matches everything.
	Filter json.RawMessage
	// Sort lists the sort keys in order; nil when none.
	Sort []SortField
	// Page is the client's page, nil when none. The portal applies it to
	// the visible items; it is never sent upstream.
	Page *Page
	// Count reports that the client asked for a count (of visible items).
	Count bool
}

// SortField is one sort key; Field is allow-listed.
type SortField struct {
	Field string
	Desc  bool
}

// Page is the client's [From, To) window. Total reports extraData
// ["total"]: the portal then sets X-Total to the number of visible items.
type Page struct {
	From, To int
	Total    bool
}

// Kind returns the kind of the items the query lists: the child kind, or
// KindCase.
func (q *Query) Kind() config.Kind {
	if q.Child != "" {
		return q.Child
	}
	return config.KindCase
}

// Parse checks the raw URL query string and the body of a POST
// /api/v1/query and returns the query, or an *Error. See the package
// documentation for the grammar; lim.Fields holds the allow-lists.
func Parse(body []byte, rawQuery string, lim Limits) (*Query, error) {
	lim = lim.normal()
	if err := checkRawQuery(rawQuery); err != nil {
		return nil, err
	}
	doc, err := checkJSON(body, &lim)
	if err != nil {
		return nil, err
	}
	top, ok := object(doc)
	if !ok || !only(top, "query", "excludeFields") {
		return nil, bad("body must be an object with query and optional excludeFields")
	}
	if ex, ok := top["excludeFields"]; ok && !stringArray(ex) {
		return nil, bad("excludeFields must be an array of strings")
	}
	qv, ok := top["query"]
	if !ok || !qv.IsArray() {
		return nil, bad("query must be an array of operations")
	}
	items := qv.Array()
	if len(items) < 1 || len(items) > maxOps {
		return nil, bad("query must hold 1 to %d operations", maxOps)
	}
	var ops []map[string]gjson.Result
	var names []string
	for i, r := range items {
		m, ok := object(r)
		name, named := str(m["_name"])
		if !ok || !named {
			return nil, bad("query[%d]: operation must be an object with a string _name", i)
		}
		ops, names = append(ops, m), append(names, name)
	}
	return parseChain(ops, names, &lim)
}

// parseChain walks the operations in the only accepted order.
func parseChain(ops []map[string]gjson.Result, names []string, lim *Limits) (*Query, error) {
	q := &Query{}
	i := 1
	switch names[0] {
	case string(RootListCase):
		if !only(ops[0], "_name") {
			return nil, bad("query[0]: unknown parameter")
		}
		q.Root = RootListCase
	case string(RootGetCase):
		if !only(ops[0], "_name", "idOrName") {
			return nil, bad("query[0]: unknown parameter")
		}
		ref, ok := idOrName(ops[0]["idOrName"])
		if !ok {
			return nil, bad("query[0]: invalid idOrName")
		}
		q.Root, q.Case = RootGetCase, ref
		if len(ops) == 1 {
			return q, nil
		}
		kind, ok := childOps[names[1]]
		if !ok || !only(ops[1], "_name") {
			return nil, bad("query[1]: operation not allowed here")
		}
		q.Child, i = kind, 2
	default:
		return nil, bad("query[0]: operation not allowed here")
	}
	if i < len(ops) && names[i] == "filter" {
		m := ops[i]
		delete(m, "_name")
		f, err := parseFilter(m, q.Kind(), lim)
		if err != nil {
			return nil, err
		}
		q.Filter, i = f, i+1
	}
	if i < len(ops) && names[i] == "sort" {
		s, err := parseSort(ops[i], q.Kind(), lim)
		if err != nil {
			return nil, bad("query[%d]: %s", i, err.Message)
		}
		q.Sort, i = s, i+1
	}
	if i < len(ops) && names[i] == "page" {
		p, err := parsePage(ops[i], lim)
		if err != nil {
			return nil, bad("query[%d]: %s", i, err.Message)
		}
		q.Page, i = p, i+1
	} else if i < len(ops) && names[i] == "count" {
		if !only(ops[i], "_name") {
			return nil, bad("query[%d]: unknown parameter", i)
		}
		q.Count, i = true, i+1
	}
	if i < len(ops) {
		return nil, bad("query[%d]: operation not allowed here", i)
	}
	return q, nil
}

// parseSort parses {"_fields":[{field:"asc"|"desc"}, …]} with 1..5 distinct
// allow-listed fields.
func parseSort(m map[string]gjson.Result, kind config.Kind, lim *Limits) ([]SortField, *Error) {
	if !only(m, "_name", "_fields") || !m["_fields"].IsArray() {
		return nil, bad("sort takes _fields")
	}
	items := m["_fields"].Array()
	if len(items) < 1 || len(items) > maxSortFields {
		return nil, bad("sort takes 1 to %d fields", maxSortFields)
	}
	var out []SortField
	seen := map[string]bool{}
	for _, it := range items {
		f, ok := object(it)
		if !ok || len(f) != 1 {
			return nil, bad("sort field must be {field: asc|desc}")
		}
		for name, dir := range f {
			d, _ := str(dir)
			if !lim.allowed(kind, name) || seen[name] || (d != "asc" && d != "desc") {
				return nil, bad("sort field not allowed")
			}
			seen[name] = true
			out = append(out, SortField{Field: name, Desc: d == "desc"})
		}
	}
	return out, nil
}

// parsePage parses {"from":a,"to":b,"extraData":["total"]?}.
func parsePage(m map[string]gjson.Result, lim *Limits) (*Page, *Error) {
	if !only(m, "_name", "from", "to", "extraData") {
		return nil, bad("page takes from, to and extraData")
	}
	from, okFrom := index(m["from"])
	to, okTo := index(m["to"])
	if !okFrom || !okTo || from > to || to-from > lim.MaxPageSize {
		return nil, bad("page needs integers 0 <= from <= to, to-from <= %d", lim.MaxPageSize)
	}
	p := &Page{From: from, To: to}
	if ex, ok := m["extraData"]; ok {
		if !ex.IsArray() {
			return nil, bad("extraData must be an array")
		}
		for _, it := range ex.Array() {
			if s, _ := str(it); s != "total" || p.Total {
				return nil, bad("extraData may only hold \"total\"")
			}
			p.Total = true
		}
	}
	return p, nil
}

// checkRawQuery accepts an empty query string or one name=<value> whose
// decoded value is printable and at most 200 bytes. A raw "&" or ";" in the
// value would start another parameter, so it is refused.
func checkRawQuery(raw string) error {
	if raw == "" {
		return nil
	}
	k, v, ok := strings.Cut(raw, "=")
	if !ok || k != "name" || len(v) > 3*maxNameBytes || strings.ContainsAny(v, "&;") {
		return bad("unknown query string parameter")
	}
	dv, err := url.QueryUnescape(v)
	if err != nil || len(dv) > maxNameBytes || !utf8.ValidString(dv) {
		return bad("invalid name parameter")
	}
	for _, r := range dv {
		if !unicode.IsPrint(r) {
			return bad("invalid name parameter")
		}
	}
	return nil
}

// stringArray reports whether r is an array of strings.
func stringArray(r gjson.Result) bool {
	if !r.IsArray() {
		return false
	}
	for _, it := range r.Array() {
		if it.Type != gjson.String {
			return false
		}
	}
	return true
}
