package thehivetest

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
)

var errCaseNotFound = errNotFound("Case not found")

func (s *Sim) handleCreateCase(w http.ResponseWriter, r *http.Request) error {
	if err := requirePerm(r, "manageCase/create", "create case"); err != nil {
		return err
	}
	f, err := s.readFields(w, r)
	if err != nil {
		return err
	}
	c, tasks, err := parseCreateCase(f)
	if err != nil {
		return err
	}
	u := callerFrom(r)
	s.st.lock()
	rec := s.st.createCase(s.st.begin(u.Login), c, tasks)
	out := rec.render(u.casePerms())
	s.st.mu.Unlock()
	writeJSON(w, http.StatusCreated, out)
	return nil
}

func parseCreateCase(f fields) (Case, []Task, error) {
	rd := &reader{f: f}
	rd.require("title", "description")
	c := Case{Severity: 2, TLP: 2, PAP: 2, Status: "New"}
	u := parseCaseFields(rd)
	applyCreateFields(&c, u)
	if a, ok := parseAccess(rd, "access"); ok {
		c.Access = &a
	}
	var tasks []Task
	if raw, ok := rd.raw("tasks"); ok {
		var list []fields
		if json.Unmarshal(raw, &list) != nil {
			rd.bad("tasks", "array of tasks", raw)
		}
		for _, tf := range list {
			tr := &reader{f: tf}
			tasks = append(tasks, parseTaskFields(tr))
			rd.errs = append(rd.errs, tr.errs...)
		}
	}
	return c, tasks, rd.err()
}

func applyCreateFields(c *Case, u caseUpdate) {
	pick(&c.Title, u.title)
	pick(&c.Description, u.description)
	pick(&c.Severity, u.severity)
	pick(&c.TLP, u.tlp)
	pick(&c.PAP, u.pap)
	pick(&c.StartDate, u.startDate)
	pick(&c.EndDate, u.endDate)
	pick(&c.Flag, u.flag)
	pick(&c.Status, u.status)
	pick(&c.Summary, u.summary)
	pick(&c.Assignee, u.assignee)
	pick(&c.ImpactStatus, u.impactStatus)
	if u.tags != nil {
		c.Tags = *u.tags
	}
	if u.customFields != nil {
		c.CustomFields = *u.customFields
	}
}

func pick[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

func ptr[T any](v T, ok bool) *T {
	if !ok {
		return nil
	}
	return &v
}

// parseCaseFields reads the InputUpdateCase attributes (also used for creation).
func parseCaseFields(rd *reader) caseUpdate {
	var u caseUpdate
	u.title = ptr(rd.str("title"))
	u.description = ptr(rd.str("description"))
	u.summary = ptr(rd.str("summary"))
	u.assignee = ptr(rd.str("assignee"))
	u.impactStatus = ptr(rd.str("impactStatus"))
	u.severity = ptr(rd.intIn("severity", 1, 4))
	u.tlp = ptr(rd.intIn("tlp", 0, 4))
	u.pap = ptr(rd.intIn("pap", 0, 3))
	u.startDate = ptr(rd.number("startDate"))
	u.endDate = ptr(rd.number("endDate"))
	u.flag = ptr(rd.boolean("flag"))
	u.tags = ptr(rd.strList("tags"))
	u.addTags, _ = rd.strList("addTags")
	u.removeTags, _ = rd.strList("removeTags")
	if st, ok := rd.str("status"); ok {
		if _, known := caseStatuses[st]; !known {
			rd.bad("status", "case status", rd.f["status"])
		} else {
			u.status = &st
		}
	}
	u.customFields = ptr(parseCustomFields(rd, "customFields"))
	u.cfSet = dottedCustomFields(rd.f)
	return u
}

// parseCustomFields accepts [{name,value,order?}] or {"name": value | [values]}.
func parseCustomFields(rd *reader, name string) ([]CustomField, bool) {
	raw, ok := rd.raw(name)
	if !ok {
		return nil, false
	}
	var list []CustomField
	if json.Unmarshal(raw, &list) == nil {
		for i := range list {
			list[i].ID = ""
			if list[i].Type == "" {
				list[i].Type = cfType(list[i].Value)
			}
		}
		return nonNilCF(list), true
	}
	var obj map[string]any
	if json.Unmarshal(raw, &obj) != nil {
		rd.bad(name, "custom fields", raw)
		return nil, false
	}
	return customFieldsFromMap(obj), true
}

func customFieldsFromMap(obj map[string]any) []CustomField {
	names := make([]string, 0, len(obj))
	for k := range obj {
		names = append(names, k)
	}
	sort.Strings(names)
	out := []CustomField{}
	for _, n := range names {
		vals, multi := obj[n].([]any)
		if !multi {
			vals = []any{obj[n]}
		}
		for _, v := range vals {
			out = append(out, CustomField{Name: n, Type: cfType(v), Value: v, Order: len(out)})
		}
	}
	return out
}

func nonNilCF(l []CustomField) []CustomField {
	if l == nil {
		return []CustomField{}
	}
	return l
}

// dottedCustomFields collects "customFields.<name>": value update keys.
func dottedCustomFields(f fields) map[string]any {
	out := map[string]any{}
	for k, raw := range f {
		name, ok := strings.CutPrefix(k, "customFields.")
		var v any
		if ok && name != "" && json.Unmarshal(raw, &v) == nil {
			out[name] = v
		}
	}
	return out
}

// parseAccess reads an Access object and validates it.
func parseAccess(rd *reader, name string) (Access, bool) {
	raw, ok := rd.raw(name)
	if !ok {
		return Access{}, false
	}
	var a Access
	if json.Unmarshal(raw, &a) != nil || !validAccess(&a) {
		rd.bad(name, "access", raw)
		return Access{}, false
	}
	return a, true
}

func validAccess(a *Access) bool {
	switch a.Kind {
	case AccessOrganisation, AccessAllExternal:
		a.Users = nil
		return true
	case AccessUser, AccessExternal:
		return len(a.Users) > 0
	}
	return false
}

func (s *Sim) handleGetCase(w http.ResponseWriter, r *http.Request) error {
	s.st.mu.RLock()
	rec := s.st.caseByRef(r.PathValue("id"))
	var out Case
	if rec != nil {
		out = rec.render(callerFrom(r).casePerms())
	}
	s.st.mu.RUnlock()
	if rec == nil {
		return errCaseNotFound
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// withCase runs fn on the case named by the {id} path value under the write lock.
func (s *Sim) withCase(r *http.Request, fn func(t *txn, c *caseRec) error) error {
	s.st.lock()
	defer s.st.mu.Unlock()
	c := s.st.caseByRef(r.PathValue("id"))
	if c == nil {
		return errCaseNotFound
	}
	return fn(s.st.begin(callerFrom(r).Login), c)
}

func (s *Sim) handleUpdateCase(w http.ResponseWriter, r *http.Request) error {
	if err := requirePerm(r, "manageCase/update", "update case"); err != nil {
		return err
	}
	f, err := s.readFields(w, r)
	if err != nil {
		return err
	}
	rd := &reader{f: f}
	u := parseCaseFields(rd)
	if err := rd.err(); err != nil {
		return err
	}
	return s.noContent(w, s.withCase(r, func(t *txn, c *caseRec) error {
		s.st.updateCase(t, c, u)
		return nil
	}))
}

func (s *Sim) handleDeleteCase(w http.ResponseWriter, r *http.Request) error {
	if err := requirePerm(r, "manageCase/delete", "delete case"); err != nil {
		return err
	}
	return s.noContent(w, s.withCase(r, func(t *txn, c *caseRec) error {
		s.st.deleteCase(t, c)
		return nil
	}))
}

func (s *Sim) handleCaseAccess(w http.ResponseWriter, r *http.Request) error {
	if err := requirePerm(r, "manageCaseAccess", "change case access"); err != nil {
		return err
	}
	f, err := s.readFields(w, r)
	if err != nil {
		return err
	}
	rd := &reader{f: f}
	rd.require("access")
	a, _ := parseAccess(rd, "access")
	if err := rd.err(); err != nil {
		return err
	}
	return s.noContent(w, s.withCase(r, func(t *txn, c *caseRec) error {
		s.st.updateCase(t, c, caseUpdate{access: &a})
		return nil
	}))
}

// noContent writes 204 when err is nil and returns err otherwise.
func (s *Sim) noContent(w http.ResponseWriter, err error) error {
	if err == nil {
		writeNoContent(w)
	}
	return err
}
