package thehivetest

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// queryRequest is the body of POST /api/v1/query.
type queryRequest struct {
	Query         []map[string]json.RawMessage `json:"query"`
	ExcludeFields []string                     `json:"excludeFields"`
}

// qitem is one element flowing through a query pipeline.
type qitem struct {
	rec any            // *caseRec, *commentRec, … or *Audit
	out any            // rendered output (a pointer), lazily
	gen map[string]any // generic JSON form for filter and sort, lazily
}

// queryRun evaluates one pipeline; it runs under the store's read lock.
type queryRun struct {
	st    *store
	perms []string
	pkey  string // permsKey(perms)
	kind  string // element type of items: Case, Comment, …
	last  string // name of the previous operation
	items []*qitem
	paged bool
	count *int
	total *int
}

// handleQuery serves the query API. The `name` query parameter is ignored.
func (s *Sim) handleQuery(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(w, r, s.cfg.maxJSON)
	if err != nil {
		return err
	}
	var req queryRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return errBadRequest("Invalid Json: %v", err)
	}
	if len(req.Query) == 0 {
		return errBadRequest("Query is empty")
	}
	s.st.mu.RLock()
	q, err := s.runQuery(callerFrom(r), req.Query)
	var out any
	if err == nil {
		out = q.result(req.ExcludeFields)
	}
	s.st.mu.RUnlock()
	if err != nil {
		return err
	}
	if q.total != nil {
		w.Header().Set("X-Total", strconv.Itoa(*q.total))
	}
	if raw, ok := out.(json.RawMessage); ok {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(raw)
		return nil
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Sim) runQuery(u *User, ops []map[string]json.RawMessage) (*queryRun, error) {
	perms := u.casePerms()
	q := &queryRun{st: s.st, perms: perms, pkey: permsKey(perms)}
	for i, op := range ops {
		var name string
		if raw, ok := op["_name"]; !ok || json.Unmarshal(raw, &name) != nil || name == "" {
			return nil, errBadRequest("Query operation %d has no _name", i)
		}
		var err error
		if i == 0 {
			err = q.initial(name, op)
		} else {
			err = q.next(name, op)
		}
		if err != nil {
			return nil, err
		}
		q.last = name
	}
	return q, nil
}

func (q *queryRun) next(name string, op map[string]json.RawMessage) error {
	if q.count != nil || q.paged || initialOps[name] != nil {
		return q.notApplicable(name)
	}
	switch name {
	case "filter":
		return q.filter(op)
	case "sort":
		return q.sort(op)
	case "page":
		return q.page(op)
	case "count":
		n := len(q.items)
		q.count = &n
		return nil
	}
	return q.chain(name)
}

func (q *queryRun) notApplicable(name string) error {
	return errBadRequest("Query operation %q is not applicable after %q (a list of %s)", name, q.last, q.kind)
}

// result returns the response body: a number after count, else an array.
func (q *queryRun) result(exclude []string) any {
	if q.count != nil {
		return *q.count
	}
	if len(exclude) > 0 {
		return q.resultWithout(exclude)
	}
	out := make([]any, len(q.items))
	for i, it := range q.items {
		out[i] = q.render(it)
	}
	return out
}

// resultWithout encodes the items without the excluded fields, as one JSON
// array (written as is: re-encoding it would cost as much again).
func (q *queryRun) resultWithout(exclude []string) json.RawMessage {
	items := make([]any, len(q.items))
	for i, it := range q.items {
		items[i] = q.render(it)
	}
	raw, err := json.Marshal(items)
	if err != nil {
		return json.RawMessage("[]")
	}
	return withoutFields(raw, exclude)
}

// render returns the item's output object (cached).
func (q *queryRun) render(it *qitem) any {
	if it.out != nil {
		return it.out
	}
	switch r := it.rec.(type) {
	case *caseRec:
		v := r.render(q.perms)
		it.out = &v
	case *commentRec:
		v := r.render()
		it.out = &v
	case *attachmentRec:
		v := r.render()
		it.out = &v
	case *observableRec:
		v := q.st.renderObservable(r)
		it.out = &v
	case *taskRec:
		v := r.render()
		it.out = &v
	case *logRec:
		v := q.st.renderLog(r)
		it.out = &v
	case *alertRec:
		v := r.render()
		it.out = &v
	case *Audit:
		v := *r
		it.out = &v
	}
	return it.out
}

func (q *queryRun) generic(it *qitem) map[string]any {
	if it.gen == nil {
		it.gen = q.st.gen.get(q.st.version, it.rec, q.pkey, func() map[string]any { return toGeneric(q.render(it)) })
	}
	return it.gen
}

// toGeneric converts an output object to its decoded JSON form.
func toGeneric(v any) map[string]any {
	m := map[string]any{}
	if b, err := json.Marshal(v); err == nil {
		_ = json.Unmarshal(b, &m)
	}
	return m
}

// idOrName reads the idOrName parameter: a string, or a JSON number for cases.
func idOrName(op map[string]json.RawMessage) (string, error) {
	raw, ok := op["idOrName"]
	if !ok {
		return "", errBadRequest("Parameter idOrName is missing")
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, nil
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		if i, err := n.Int64(); err == nil {
			return strconv.FormatInt(i, 10), nil
		}
	}
	return "", errBadRequest("Invalid idOrName: %s", raw)
}
