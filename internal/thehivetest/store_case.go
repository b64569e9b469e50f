package thehivetest

import (
	"slices"
)

// caseUpdate is a parsed InputUpdateCase; nil fields are left unchanged.
type caseUpdate struct {
	title, description, status, summary, assignee, impactStatus *string
	severity, tlp, pap                                          *int
	startDate, endDate                                          *int64
	flag                                                        *bool
	tags                                                        *[]string
	addTags, removeTags                                         []string
	customFields                                                *[]CustomField
	cfSet                                                       map[string]any
	access                                                      *Access
}

// createCase stores c (id, number and dates are assigned) with its tasks; the caller holds mu.
func (st *store) createCase(t *txn, c Case, tasks []Task) *caseRec {
	c.ID = st.idOr(c.ID)
	if c.Number == 0 {
		c.Number = st.nextNumber()
	}
	c.CreatedBy, c.CreatedAt, c.NewDate = t.actor, t.at, t.at
	if c.StartDate == 0 {
		c.StartDate = t.at
	}
	if c.Access == nil {
		c.Access = &Access{Kind: AccessOrganisation}
	}
	applyStage(&c, t.at)
	c.CustomFields = st.withCFIDs(c.CustomFields)
	rec := &caseRec{Case: c, seq: st.nextSeq()}
	st.insertCase(rec)
	st.audit(t, auditEntry{
		action: "create", objectType: "Case", objectID: c.ID, rootID: c.ID,
		details: caseDetails(rec), object: rec.renderAudit(), context: rec.renderAudit(),
	})
	for _, tk := range tasks {
		st.createTask(t, rec, tk)
	}
	return rec
}

func (st *store) insertCase(rec *caseRec) {
	st.cases[rec.ID] = rec
	st.byNumber[rec.Number] = rec
	st.maxNumber = max(st.maxNumber, rec.Number)
}

func caseDetails(rec *caseRec) map[string]any {
	c := rec.renderAudit()
	d := map[string]any{
		"title": c.Title, "description": c.Description, "severity": c.Severity, "tlp": c.TLP,
		"pap": c.PAP, "status": c.Status, "stage": c.Stage, "flag": c.Flag, "startDate": c.StartDate,
	}
	if len(c.Tags) > 0 {
		d["tags"] = c.Tags
	}
	return d
}

func (st *store) withCFIDs(cfs []CustomField) []CustomField {
	out := slices.Clone(cfs)
	for i := range out {
		if out[i].ID == "" {
			out[i].ID = st.newID()
		}
	}
	return out
}

// applyStage sets the stage dates after a status change.
func applyStage(c *Case, now int64) {
	switch caseStatuses[c.Status] {
	case "InProgress":
		if c.InProgressDate == 0 {
			c.InProgressDate = now
		}
		c.ClosedDate = 0
	case "Closed":
		if c.ClosedDate == 0 {
			c.ClosedDate = now
		}
	default:
		c.ClosedDate = 0
	}
}

// updateCase applies u to rec and audits the changed fields; the caller holds mu.
func (st *store) updateCase(t *txn, rec *caseRec, u caseUpdate) {
	c := rec.Case
	d := map[string]any{}
	setStr(&c.Title, u.title, "title", d)
	setStr(&c.Description, u.description, "description", d)
	setStr(&c.Summary, u.summary, "summary", d)
	setStr(&c.Assignee, u.assignee, "assignee", d)
	setStr(&c.ImpactStatus, u.impactStatus, "impactStatus", d)
	setVal(&c.Severity, u.severity, "severity", d)
	setVal(&c.TLP, u.tlp, "tlp", d)
	setVal(&c.PAP, u.pap, "pap", d)
	setVal(&c.StartDate, u.startDate, "startDate", d)
	setVal(&c.EndDate, u.endDate, "endDate", d)
	setVal(&c.Flag, u.flag, "flag", d)
	if u.status != nil && *u.status != c.Status {
		c.Status = *u.status
		applyStage(&c, t.at)
		if c.ClosedDate > 0 && c.EndDate == 0 {
			c.EndDate = t.at
		}
		d["status"], d["stage"] = c.Status, caseStatuses[c.Status]
	}
	if tags, changed := newTags(c.Tags, u); changed {
		c.Tags = tags
		d["tags"] = tags
	}
	st.updateCustomFields(&c, u, d)
	if u.access != nil {
		a := *u.access
		c.Access = &a
		d["access"] = a
	}
	c.UpdatedBy, c.UpdatedAt = t.actor, t.at
	rec.Case = c
	st.audit(t, auditEntry{
		action: "update", objectType: "Case", objectID: c.ID, rootID: c.ID,
		details: d, object: rec.renderAudit(), context: rec.renderAudit(),
	})
}

func setStr(dst *string, v *string, name string, d map[string]any) {
	if v != nil && *v != *dst {
		*dst = *v
		d[name] = *v
	}
}

func setVal[T comparable](dst *T, v *T, name string, d map[string]any) {
	if v != nil && *v != *dst {
		*dst = *v
		d[name] = *v
	}
}

func newTags(cur []string, u caseUpdate) ([]string, bool) {
	tags := slices.Clone(cur)
	if u.tags != nil {
		tags = slices.Clone(*u.tags)
	}
	for _, t := range u.addTags {
		if !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
	}
	tags = slices.DeleteFunc(tags, func(t string) bool { return slices.Contains(u.removeTags, t) })
	return tags, !slices.Equal(tags, cur)
}

func (st *store) updateCustomFields(c *Case, u caseUpdate, d map[string]any) {
	if u.customFields == nil && len(u.cfSet) == 0 {
		return
	}
	cfs := slices.Clone(c.CustomFields)
	if u.customFields != nil {
		cfs = slices.Clone(*u.customFields)
	}
	for name, v := range u.cfSet {
		i := slices.IndexFunc(cfs, func(cf CustomField) bool { return cf.Name == name })
		if i < 0 {
			cfs = append(cfs, CustomField{Name: name, Type: cfType(v), Order: len(cfs)})
			i = len(cfs) - 1
		}
		cfs[i].Value = v
	}
	c.CustomFields = st.withCFIDs(cfs)
	d["customFields"] = c.CustomFields
}

// deleteCase removes rec and everything in it; the caller holds mu.
func (st *store) deleteCase(t *txn, rec *caseRec) {
	for _, id := range rec.comments {
		delete(st.comments, id)
	}
	for _, id := range rec.attachments {
		delete(st.attachments, id)
	}
	for _, id := range rec.observables {
		st.dropObservable(id)
	}
	for _, id := range rec.tasks {
		st.dropTask(id)
	}
	delete(st.cases, rec.ID)
	delete(st.byNumber, rec.Number)
	st.audit(t, auditEntry{action: "delete", objectType: "Case", objectID: rec.ID, rootID: rec.ID})
}

func (st *store) dropObservable(id string) {
	if o := st.observables[id]; o != nil {
		delete(st.attachments, o.attachmentID)
	}
	delete(st.observables, id)
}

func (st *store) dropTask(id string) {
	if tk := st.tasks[id]; tk != nil {
		for _, l := range tk.logs {
			st.dropLog(l)
		}
	}
	delete(st.tasks, id)
}

func (st *store) dropLog(id string) {
	if l := st.logs[id]; l != nil {
		for _, a := range l.attachments {
			delete(st.attachments, a)
		}
	}
	delete(st.logs, id)
}

func cfType(v any) string {
	switch x := v.(type) {
	case bool:
		return "boolean"
	case float64:
		if x == float64(int64(x)) {
			return "integer"
		}
		return "float"
	case int, int64:
		return "integer"
	default:
		return "string"
	}
}
