package policy

import (
	"encoding/json"
	"sort"

	"github.com/thehive-portal/thehive-portal/config"
)

// CaseFilter compiles the case share rules for the viewer into a TheHive
// query filter expression (the body of {"_name":"filter", …}), so that
// listCase can be restricted upstream.
//
// The expression selects a superset of the visible cases; the portal still
// decides every returned case with Case. exact is true when it selects
// exactly the visible cases. expr is nil when the rules cannot be expressed
// (a tag pattern starting with "*"): the caller must then list without an
// upstream restriction and filter everything itself. A viewer without an
// email, or no case rule, gives {"_or":[]}, which matches nothing.
func (e *Engine) CaseFilter(v Viewer) (expr json.RawMessage, exact bool) {
	v, domain := v.normal()
	nothing := json.RawMessage(`{"_or":[]}`)
	if v.Email == "" {
		return nothing, true
	}
	exact = true
	var terms []any
	tags := map[string]bool{}
	for _, r := range e.rules[config.KindCase] {
		switch r.cond {
		case "native_access":
			terms = append(terms, nativeAccessTerms(v.Email)...)
		case "tag":
			prefixes, ok := r.pat.tagTerms(v, domain, tags)
			if !ok {
				return nil, false
			}
			for _, p := range prefixes {
				exact = false
				terms = append(terms, op("_startsWith", field{Field: "tags", Value: p}))
			}
		}
	}
	if len(tags) > 0 {
		terms = append(terms, op("_in", fieldValues{Field: "tags", Values: sortedKeys(tags)}))
	}
	if len(terms) == 0 {
		return nothing, true
	}
	out, err := json.Marshal(map[string]any{"_or": terms})
	if err != nil {
		return nil, false
	}
	return out, exact
}

// tagTerms adds the exact tags the pattern stands for to tags, and returns
// the literal prefixes of the expansions that hold a "*". ok is false when
// an expansion starts with "*" (no upstream restriction possible).
func (p *pattern) tagTerms(v Viewer, domain string, tags map[string]bool) (prefixes []string, ok bool) {
	groups := []string{""}
	if p.usesGroup {
		groups = v.Groups
	}
	for _, g := range groups {
		parts, has := p.expand(values{email: v.Email, group: g, domain: domain})
		switch {
		case !has:
			continue
		case len(parts) == 1:
			tags[parts[0]] = true
		case parts[0] == "":
			return nil, false
		default:
			prefixes = append(prefixes, parts[0])
		}
	}
	return prefixes, true
}

func nativeAccessTerms(email string) []any {
	return []any{
		op("_eq", field{Field: "access._kind", Value: "AllExternalAccessKind"}),
		map[string]any{"_and": []any{
			op("_eq", field{Field: "access._kind", Value: "ExternalAccessKind"}),
			op("_in", fieldValues{Field: "access.users", Values: []string{email, "*"}}),
		}},
	}
}

type field struct {
	Field string `json:"_field"`
	Value string `json:"_value"`
}

type fieldValues struct {
	Field  string   `json:"_field"`
	Values []string `json:"_values"`
}

func op(name string, arg any) map[string]any { return map[string]any{name: arg} }

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
