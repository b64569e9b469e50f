package query

import (
	"encoding/json"

	"github.com/tidwall/gjson"

	"github.com/thehive-portal/thehive-portal/config"
)

// matchNothing is TheHive's filter that selects no item (an empty _or).
var matchNothing = json.RawMessage(`{"_or":[]}`)

// upstream operation shapes; every value is typed, never client bytes.
type (
	body struct {
		Query []any `json:"query"`
	}
	nameOp struct {
		Name string `json:"_name"`
	}
	getCaseOp struct {
		Name     string `json:"_name"`
		IDOrName string `json:"idOrName"`
	}
	filterOp struct {
		Name string            `json:"_name"`
		And  []json.RawMessage `json:"_and"`
	}
	sortOp struct {
		Name   string              `json:"_name"`
		Fields []map[string]string `json:"_fields"`
	}
	pageOp struct {
		Name string `json:"_name"`
		From int    `json:"from"`
		To   int    `json:"to"`
	}
)

// childOpNames maps a child kind to its chained operation.
var childOpNames = map[config.Kind]string{
	config.KindComment:    "comments",
	config.KindAttachment: "attachments",
	config.KindObservable: "observables",
}

// ListCases builds the upstream body that lists the cases matching both
// restrict (the policy's case filter expression; nil for none) and q's
// filter, sorted as q asks, first limit items:
//
//	{"query":[{"_name":"listCase"},{"_name":"filter","_and":[restrict,filter]},
//	 {"_name":"sort","_fields":[…]},{"_name":"page","from":0,"to":limit}]}
//
// The filter operation is left out when both are nil, the sort when q has
// none. q's page and count are never sent. A restrict that is not a JSON
// object is replaced by a filter that matches nothing (fail closed).
func ListCases(restrict json.RawMessage, q *Query, limit int) []byte {
	if restrict != nil && !validObject(restrict) {
		restrict = matchNothing
	}
	ops := []any{nameOp{Name: string(RootListCase)}}
	return encode(appendTail(ops, restrict, q, limit))
}

// CaseChildren builds the upstream body that lists the children of kind
// child (comment, attachment or observable) of the case caseID, which must
// be a resolved TheHive id ("~123"), with q's filter and sort, first limit
// items. It returns nil when caseID is not a "~" id or child is not a child
// kind.
func CaseChildren(caseID string, child config.Kind, q *Query, limit int) []byte {
	ref, ok := caseRef(caseID)
	name := childOpNames[child]
	if !ok || ref.ID == "" || name == "" {
		return nil
	}
	ops := []any{getCaseOp{Name: string(RootGetCase), IDOrName: ref.ID}, nameOp{Name: name}}
	return encode(appendTail(ops, nil, q, limit))
}

// GetCase builds the upstream body that fetches one case:
// {"query":[{"_name":"getCase","idOrName":"~123"}]} (or "42" for a case
// number). It returns nil for an invalid ref.
func GetCase(ref CaseRef) []byte {
	s := ref.String()
	if parsed, ok := caseRef(s); !ok || parsed != ref {
		return nil
	}
	return encode([]any{getCaseOp{Name: string(RootGetCase), IDOrName: s}})
}

// appendTail adds the filter (restrict and q.Filter), sort and page
// operations.
func appendTail(ops []any, restrict json.RawMessage, q *Query, limit int) []any {
	var and []json.RawMessage
	if restrict != nil {
		and = append(and, restrict)
	}
	if q != nil && q.Filter != nil {
		and = append(and, q.Filter)
	}
	if len(and) > 0 {
		ops = append(ops, filterOp{Name: "filter", And: and})
	}
	if q != nil && len(q.Sort) > 0 {
		s := sortOp{Name: "sort"}
		for _, f := range q.Sort {
			dir := "asc"
			if f.Desc {
				dir = "desc"
			}
			s.Fields = append(s.Fields, map[string]string{f.Field: dir})
		}
		ops = append(ops, s)
	}
	return append(ops, pageOp{Name: "page", From: 0, To: max(limit, 0)})
}

// encode marshals the operations; nil if that fails (it cannot with the
// values built here).
func encode(ops []any) []byte {
	out, err := json.Marshal(body{Query: ops})
	if err != nil {
		return nil
	}
	return out
}

// validObject reports whether b is one valid JSON object.
func validObject(b []byte) bool {
	return gjson.ValidBytes(b) && gjson.ParseBytes(b).IsObject()
}
