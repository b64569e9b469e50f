package thehivetest

import (
	"cmp"
	"encoding/json"
	"slices"
	"strings"
)

// initialOp starts a pipeline: it returns the element kind and the items.
type initialOp func(q *queryRun, op map[string]json.RawMessage) (string, []*qitem, error)

var initialOps map[string]initialOp

func init() {
	initialOps = map[string]initialOp{
		"listCase":       listOf("Case", func(st *store) []*qitem { return st.listCases() }),
		"listComment":    listOf("Comment", func(st *store) []*qitem { return items(sortedBySeq(st.comments, seqOf)) }),
		"listObservable": listOf("Observable", func(st *store) []*qitem { return items(sortedBySeq(st.observables, seqOf)) }),
		"listTask":       listOf("Task", func(st *store) []*qitem { return items(sortedBySeq(st.tasks, seqOf)) }),
		"listLog":        listOf("Log", func(st *store) []*qitem { return items(sortedBySeq(st.logs, seqOf)) }),
		"listAlert":      listOf("Alert", func(st *store) []*qitem { return items(sortedBySeq(st.alerts, seqOf)) }),
		"listAudit":      listOf("Audit", func(st *store) []*qitem { return st.listAudits() }),
		"getCase":        getOf("Case", func(st *store, id string) any { return nilIf(st.caseByRef(id)) }),
		"getComment":     getOf("Comment", func(st *store, id string) any { return nilIf(st.comments[id]) }),
		"getObservable":  getOf("Observable", func(st *store, id string) any { return nilIf(st.observables[id]) }),
		"getTask":        getOf("Task", func(st *store, id string) any { return nilIf(st.tasks[id]) }),
		"getLog":         getOf("Log", func(st *store, id string) any { return nilIf(st.logs[id]) }),
		"getAlert":       getOf("Alert", func(st *store, id string) any { return nilIf(st.alertByRef(id)) }),
	}
}

// seqRec is implemented by every record type through its seq field.
type seqRec interface{ seqNo() int64 }

func (r *caseRec) seqNo() int64       { return r.seq }
func (r *commentRec) seqNo() int64    { return r.seq }
func (r *attachmentRec) seqNo() int64 { return r.seq }
func (r *observableRec) seqNo() int64 { return r.seq }
func (r *taskRec) seqNo() int64       { return r.seq }
func (r *logRec) seqNo() int64        { return r.seq }
func (r *alertRec) seqNo() int64      { return r.seq }

func seqOf[R seqRec](r R) int64 { return r.seqNo() }

func items[R any](recs []R) []*qitem {
	out := make([]*qitem, len(recs))
	for i, r := range recs {
		out[i] = &qitem{rec: r}
	}
	return out
}

// nilIf turns a typed nil pointer into an untyped nil.
func nilIf[T any](p *T) any {
	if p == nil {
		return nil
	}
	return p
}

func listOf(kind string, list func(st *store) []*qitem) initialOp {
	return func(q *queryRun, _ map[string]json.RawMessage) (string, []*qitem, error) {
		return kind, list(q.st), nil
	}
}

func getOf(kind string, get func(st *store, id string) any) initialOp {
	return func(q *queryRun, op map[string]json.RawMessage) (string, []*qitem, error) {
		id, err := idOrName(op)
		if err != nil {
			return "", nil, err
		}
		if rec := get(q.st, id); rec != nil {
			return kind, []*qitem{{rec: rec}}, nil
		}
		return kind, []*qitem{}, nil
	}
}

// listCases returns cases newest first (as TheHive lists them).
func (st *store) listCases() []*qitem {
	recs := sortedBySeq(st.cases, seqOf)
	slices.SortStableFunc(recs, func(a, b *caseRec) int {
		return cmp.Or(cmp.Compare(b.CreatedAt, a.CreatedAt), cmp.Compare(b.seq, a.seq))
	})
	return items(recs)
}

func (st *store) listAudits() []*qitem {
	out := make([]*qitem, len(st.audits))
	for i := range st.audits {
		out[i] = &qitem{rec: &st.audits[i]}
	}
	return out
}

func (q *queryRun) initial(name string, op map[string]json.RawMessage) error {
	start := initialOps[name]
	if start == nil {
		return errBadRequest("Query operation %q is not a valid initial query", name)
	}
	kind, its, err := start(q, op)
	q.kind, q.items = kind, its
	return err
}

// chainOps lists the traversals available from each element kind.
var chainOps = map[string]map[string]string{
	"Case": {"comments": "Comment", "attachments": "Attachment", "observables": "Observable", "tasks": "Task"},
	"Task": {"logs": "Log"},
	"Log":  {"attachments": "Attachment"},
}

func (q *queryRun) chain(name string) error {
	kind, ok := chainOps[q.kind][name]
	if !ok {
		return q.notApplicable(name)
	}
	var out []*qitem
	for _, it := range q.items {
		for _, id := range childIDs(it.rec, name) {
			if rec := q.st.byKind(kind, id); rec != nil {
				out = append(out, &qitem{rec: rec})
			}
		}
	}
	q.kind, q.items = kind, nonNilItems(out)
	return nil
}

func nonNilItems(s []*qitem) []*qitem {
	if s == nil {
		return []*qitem{}
	}
	return s
}

func childIDs(rec any, name string) []string {
	switch r := rec.(type) {
	case *caseRec:
		return map[string][]string{"comments": r.comments, "attachments": r.attachments,
			"observables": r.observables, "tasks": r.tasks}[name]
	case *taskRec:
		return r.logs
	case *logRec:
		return r.attachments
	}
	return nil
}

func (st *store) byKind(kind, id string) any {
	switch kind {
	case "Comment":
		return nilIf(st.comments[id])
	case "Attachment":
		return nilIf(st.attachments[id])
	case "Observable":
		return nilIf(st.observables[id])
	case "Task":
		return nilIf(st.tasks[id])
	case "Log":
		return nilIf(st.logs[id])
	}
	return nil
}

func (q *queryRun) filter(op map[string]json.RawMessage) error {
	expr := make(map[string]json.RawMessage, len(op))
	for k, v := range op {
		if k != "_name" {
			expr[k] = v
		}
	}
	n, err := (&filterParser{kind: q.kind}).parse(expr)
	if err != nil {
		return err
	}
	q.items = slices.DeleteFunc(q.items, func(it *qitem) bool { return !n.match(q.generic(it)) })
	return nil
}

type sortKey struct {
	field string
	desc  bool
}

func (q *queryRun) sort(op map[string]json.RawMessage) error {
	var specs []any
	if err := json.Unmarshal(op["_fields"], &specs); err != nil {
		return errBadRequest("Invalid sort: _fields must be an array")
	}
	keys, err := parseSortKeys(specs, q.kind)
	if err != nil {
		return err
	}
	slices.SortStableFunc(q.items, func(a, b *qitem) int {
		ga, gb := q.generic(a), q.generic(b)
		for _, k := range keys {
			if c := compareForSort(lookup(ga, k.field), lookup(gb, k.field), k.desc); c != 0 {
				return c
			}
		}
		return 0
	})
	return nil
}

// parseSortKeys accepts {"f":"asc"|"desc"} objects and "f", "+f", "-f" strings.
func parseSortKeys(specs []any, kind string) ([]sortKey, error) {
	var keys []sortKey
	for _, s := range specs {
		switch v := s.(type) {
		case string:
			f, desc := strings.TrimPrefix(v, "+"), strings.HasPrefix(v, "-")
			keys = append(keys, sortKey{field: strings.TrimPrefix(f, "-"), desc: desc})
		case map[string]any:
			for f, dir := range v {
				d, _ := dir.(string)
				if d != "asc" && d != "desc" {
					return nil, errBadRequest("Invalid sort direction for %s: %v", f, dir)
				}
				keys = append(keys, sortKey{field: f, desc: d == "desc"})
			}
		default:
			return nil, errBadRequest("Invalid sort field: %v", s)
		}
	}
	for _, k := range keys {
		if !knownField(kind, k.field) {
			return nil, errUnknownProperty(k.field, kind)
		}
	}
	return keys, nil
}

func (q *queryRun) page(op map[string]json.RawMessage) error {
	var p struct {
		From      *int     `json:"from"`
		To        *int     `json:"to"`
		ExtraData []string `json:"extraData"`
	}
	raw, _ := json.Marshal(op)
	if err := json.Unmarshal(raw, &p); err != nil {
		return errBadRequest("Invalid page: %v", err)
	}
	total := len(q.items)
	from, to := 0, total
	pick(&from, p.From)
	pick(&to, p.To)
	from, to = max(0, min(from, total)), max(0, min(to, total))
	q.items = q.items[from:max(from, to)]
	q.paged = true
	if slices.Contains(p.ExtraData, "total") {
		q.total = &total
	}
	for _, it := range q.items {
		q.addExtraData(it, p.ExtraData)
	}
	return nil
}
