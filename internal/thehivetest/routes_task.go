package thehivetest

import (
	"encoding/json"
	"net/http"
	"slices"
)

// parseTaskFields reads InputCreateTask; errors are collected in rd.
func parseTaskFields(rd *reader) Task {
	rd.require("title")
	var t Task
	t.Title, _ = rd.str("title")
	t.Group, _ = rd.str("group")
	t.Description, _ = rd.str("description")
	t.Status = taskStatus(rd)
	t.Flag, _ = rd.boolean("flag")
	t.StartDate, _ = rd.number("startDate")
	t.EndDate, _ = rd.number("endDate")
	t.DueDate, _ = rd.number("dueDate")
	t.Assignee, _ = rd.str("assignee")
	t.Mandatory, _ = rd.boolean("mandatory")
	order, _ := rd.number("order")
	t.Order = int(order)
	return t
}

func taskStatus(rd *reader) string {
	st, ok := rd.str("status")
	if ok && !slices.Contains(taskStatuses, st) {
		rd.bad("status", "task status", rd.f["status"])
		return ""
	}
	return st
}

func (s *Sim) handleCreateTask(w http.ResponseWriter, r *http.Request) error {
	if err := requirePerm(r, "manageTask", "create task"); err != nil {
		return err
	}
	f, err := s.readFields(w, r)
	if err != nil {
		return err
	}
	rd := &reader{f: f}
	tk := parseTaskFields(rd)
	if err := rd.err(); err != nil {
		return err
	}
	var out Task
	err = s.withCase(r, func(t *txn, c *caseRec) error {
		out = s.st.createTask(t, c, tk).render()
		return nil
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, out)
	return nil
}

var errTaskNotFound = errNotFound("Task not found")

func (s *Sim) handleGetTask(w http.ResponseWriter, r *http.Request) error {
	s.st.mu.RLock()
	rec := s.st.tasks[r.PathValue("id")]
	var out Task
	if rec != nil {
		out = rec.render()
	}
	s.st.mu.RUnlock()
	if rec == nil {
		return errTaskNotFound
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// withTask runs fn on the {id} task under the write lock.
func (s *Sim) withTask(r *http.Request, fn func(t *txn, tk *taskRec)) error {
	s.st.lock()
	defer s.st.mu.Unlock()
	tk := s.st.tasks[r.PathValue("id")]
	if tk == nil {
		return errTaskNotFound
	}
	fn(s.st.begin(callerFrom(r).Login), tk)
	return nil
}

func (s *Sim) handleUpdateTask(w http.ResponseWriter, r *http.Request) error {
	if err := requirePerm(r, "manageTask", "update task"); err != nil {
		return err
	}
	f, err := s.readFields(w, r)
	if err != nil {
		return err
	}
	rd := &reader{f: f}
	u := taskUpdate{
		title: ptr(rd.str("title")), group: ptr(rd.str("group")), description: ptr(rd.str("description")),
		assignee: ptr(rd.str("assignee")), flag: ptr(rd.boolean("flag")), mandatory: ptr(rd.boolean("mandatory")),
		dueDate: ptr(rd.number("dueDate")),
	}
	if st := taskStatus(rd); st != "" {
		u.status = &st
	}
	if n, ok := rd.number("order"); ok {
		u.order = ptr(int(n), true)
	}
	if err := rd.err(); err != nil {
		return err
	}
	return s.noContent(w, s.withTask(r, func(t *txn, tk *taskRec) { s.st.updateTask(t, tk, u) }))
}

func (s *Sim) handleDeleteTask(w http.ResponseWriter, r *http.Request) error {
	if err := requirePerm(r, "manageTask", "delete task"); err != nil {
		return err
	}
	return s.noContent(w, s.withTask(r, s.st.deleteTask))
}

// handleCreateLog accepts JSON, or multipart with `_json` (form field or file
// part) plus file parts named `attachments`.
func (s *Sim) handleCreateLog(w http.ResponseWriter, r *http.Request) error {
	if err := requirePerm(r, "manageTask", "create log"); err != nil {
		return err
	}
	f, files, err := s.logInput(w, r)
	if err != nil {
		return err
	}
	rd := &reader{f: f}
	rd.require("message")
	var l Log
	l.Message, _ = rd.str("message")
	l.Date, _ = rd.number("startDate")
	l.IncludeInTimeline, _ = rd.number("includeInTimeline")
	if err := rd.err(); err != nil {
		return err
	}
	var out Log
	err = s.withTask(r, func(t *txn, tk *taskRec) { out = s.st.renderLog(s.st.createLog(t, tk, l, files)) })
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, out)
	return nil
}

func (s *Sim) logInput(w http.ResponseWriter, r *http.Request) (fields, []blob, error) {
	if !isMultipart(r) {
		f, err := s.readFields(w, r)
		return f, nil, err
	}
	form, err := s.readMultipart(w, r, "attachments")
	if err != nil {
		return nil, nil, err
	}
	f := fields{}
	if j, ok := form.values["_json"]; ok {
		if err := json.Unmarshal([]byte(j), &f); err != nil || f == nil {
			return nil, nil, errBadRequest("Invalid Json: %v", errOrNotObject(err))
		}
	}
	mergeValues(f, r.URL.Query())
	return f, form.files["attachments"], nil
}

// withLog runs fn on the {id} log under the write lock.
func (s *Sim) withLog(r *http.Request, fn func(t *txn, l *logRec)) error {
	s.st.lock()
	defer s.st.mu.Unlock()
	l := s.st.logs[r.PathValue("id")]
	if l == nil {
		return errNotFound("Log not found")
	}
	fn(s.st.begin(callerFrom(r).Login), l)
	return nil
}

func (s *Sim) handleUpdateLog(w http.ResponseWriter, r *http.Request) error {
	if err := requirePerm(r, "manageTask", "update log"); err != nil {
		return err
	}
	f, err := s.readFields(w, r)
	if err != nil {
		return err
	}
	rd := &reader{f: f}
	msg := ptr(rd.str("message"))
	if err := rd.err(); err != nil {
		return err
	}
	return s.noContent(w, s.withLog(r, func(t *txn, l *logRec) { s.st.updateLog(t, l, msg) }))
}

func (s *Sim) handleDeleteLog(w http.ResponseWriter, r *http.Request) error {
	if err := requirePerm(r, "manageTask", "delete log"); err != nil {
		return err
	}
	return s.noContent(w, s.withLog(r, s.st.deleteLog))
}
