package thehivetest

import "slices"

// taskStatuses are the built-in task statuses.
var taskStatuses = []string{"Waiting", "InProgress", "Completed", "Cancel"}

// createTask adds tk to case c; the caller holds mu.
func (st *store) createTask(t *txn, c *caseRec, tk Task) *taskRec {
	tk.ID, tk.CreatedBy, tk.CreatedAt = st.idOr(tk.ID), t.actor, t.at
	if tk.Group == "" {
		tk.Group = "default"
	}
	if tk.Status == "" {
		tk.Status = "Waiting"
	}
	rec := &taskRec{Task: tk, seq: st.nextSeq(), caseID: c.ID}
	st.tasks[rec.ID] = rec
	c.tasks = append(slices.Clip(c.tasks), rec.ID)
	st.auditTask(t, "create", rec, map[string]any{"title": tk.Title, "status": tk.Status})
	return rec
}

func (st *store) auditTask(t *txn, action string, rec *taskRec, d map[string]any) {
	var ctx, obj any
	if c := st.cases[rec.caseID]; c != nil {
		ctx = c.renderAudit()
	}
	if action != "delete" {
		obj = rec.render()
	}
	st.audit(t, auditEntry{action: action, objectType: "Task", objectID: rec.ID, rootID: rec.caseID,
		details: d, object: obj, context: ctx})
}

// taskUpdate is a parsed InputUpdateTask.
type taskUpdate struct {
	title, group, description, status, assignee *string
	flag, mandatory                             *bool
	order                                       *int
	dueDate                                     *int64
}

func (st *store) updateTask(t *txn, rec *taskRec, u taskUpdate) {
	tk := rec.Task
	d := map[string]any{}
	setStr(&tk.Title, u.title, "title", d)
	setStr(&tk.Group, u.group, "group", d)
	setStr(&tk.Description, u.description, "description", d)
	setStr(&tk.Assignee, u.assignee, "assignee", d)
	setVal(&tk.Flag, u.flag, "flag", d)
	setVal(&tk.Mandatory, u.mandatory, "mandatory", d)
	setVal(&tk.Order, u.order, "order", d)
	setVal(&tk.DueDate, u.dueDate, "dueDate", d)
	if u.status != nil && *u.status != tk.Status {
		tk.Status = *u.status
		d["status"] = tk.Status
		switch tk.Status {
		case "InProgress":
			tk.StartDate = t.at
		case "Completed", "Cancel":
			tk.EndDate = t.at
		}
	}
	tk.UpdatedBy, tk.UpdatedAt = t.actor, t.at
	rec.Task = tk
	st.auditTask(t, "update", rec, d)
}

func (st *store) deleteTask(t *txn, rec *taskRec) {
	if c := st.cases[rec.caseID]; c != nil {
		c.tasks = without(c.tasks, rec.ID)
	}
	st.auditTask(t, "delete", rec, nil)
	st.dropTask(rec.ID)
}

// createLog adds a log (and its files) to task tk; the caller holds mu.
func (st *store) createLog(t *txn, tk *taskRec, l Log, files []blob) *logRec {
	l.ID, l.CreatedBy, l.CreatedAt, l.Owner = st.idOr(l.ID), t.actor, t.at, t.actor
	if l.Date == 0 {
		l.Date = t.at
	}
	rec := &logRec{Log: l, seq: st.nextSeq(), taskID: tk.ID}
	for _, f := range files {
		a := st.newAttachment(t, f, false)
		a.logID = rec.ID
		rec.attachments = append(rec.attachments, a.ID)
	}
	st.logs[rec.ID] = rec
	tk.logs = append(slices.Clip(tk.logs), rec.ID)
	st.auditLog(t, "create", rec, map[string]any{"message": l.Message})
	return rec
}

func (st *store) auditLog(t *txn, action string, rec *logRec, d map[string]any) {
	var ctx, obj any
	root := ""
	if tk := st.tasks[rec.taskID]; tk != nil {
		ctx, root = tk.render(), tk.caseID
	}
	if action != "delete" {
		obj = st.renderLog(rec)
	}
	st.audit(t, auditEntry{action: action, objectType: "Log", objectID: rec.ID, rootID: root,
		details: d, object: obj, context: ctx})
}

func (st *store) updateLog(t *txn, rec *logRec, msg *string) {
	d := map[string]any{}
	setStr(&rec.Message, msg, "message", d)
	rec.UpdatedBy, rec.UpdatedAt = t.actor, t.at
	st.auditLog(t, "update", rec, d)
}

func (st *store) deleteLog(t *txn, rec *logRec) {
	if tk := st.tasks[rec.taskID]; tk != nil {
		tk.logs = without(tk.logs, rec.ID)
	}
	st.auditLog(t, "delete", rec, nil)
	st.dropLog(rec.ID)
}

// alertByRef resolves `~id` or "type;source;sourceRef"; the caller holds mu.
func (st *store) alertByRef(ref string) *alertRec {
	if a := st.alerts[ref]; a != nil {
		return a
	}
	for _, a := range st.alerts {
		if a.AlertType+";"+a.Source+";"+a.SourceRef == ref {
			return a
		}
	}
	return nil
}

// createAlert stores a; the caller holds mu.
func (st *store) createAlert(t *txn, a Alert) *alertRec {
	a.ID, a.CreatedBy, a.CreatedAt, a.NewDate = st.idOr(a.ID), t.actor, t.at, t.at
	if a.Date == 0 {
		a.Date = t.at
	}
	a.Status, a.Stage = "New", "New"
	a.CustomFields = st.withCFIDs(a.CustomFields)
	rec := &alertRec{Alert: a, seq: st.nextSeq()}
	st.alerts[rec.ID] = rec
	st.audit(t, auditEntry{action: "create", objectType: "Alert", objectID: a.ID, rootID: a.ID,
		details: map[string]any{"title": a.Title}, object: rec.render(), context: rec.render()})
	return rec
}
