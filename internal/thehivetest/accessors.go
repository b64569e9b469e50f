package thehivetest

import "slices"

// The accessors below read or change the store directly. Changes are audited and
// fire webhooks like API calls; they act as AnalystLogin unless an author is given.

// Case returns the case with `~id` or number ref, as AnalystLogin sees it.
func (s *Sim) Case(ref string) (Case, bool) {
	s.st.mu.RLock()
	defer s.st.mu.RUnlock()
	if c := s.st.caseByRef(ref); c != nil {
		return c.render(casePermissions), true
	}
	return Case{}, false
}

// Cases returns every case, newest first.
func (s *Sim) Cases() []Case {
	s.st.mu.RLock()
	defer s.st.mu.RUnlock()
	var out []Case
	for _, it := range s.st.listCases() {
		out = append(out, it.rec.(*caseRec).render(casePermissions))
	}
	return out
}

// Comment returns a comment by `~id`.
func (s *Sim) Comment(id string) (Comment, bool) {
	s.st.mu.RLock()
	defer s.st.mu.RUnlock()
	if c := s.st.comments[id]; c != nil {
		return c.render(), true
	}
	return Comment{}, false
}

// Comments returns the comments of a case in creation order.
func (s *Sim) Comments(caseRef string) []Comment {
	return childList(s, caseRef, func(c *caseRec) []string { return c.comments }, func(st *store, id string) (Comment, bool) {
		r := st.comments[id]
		return render0(r, (*commentRec).render)
	})
}

// Attachment returns any attachment (case, observable or log) by `~id`.
func (s *Sim) Attachment(id string) (Attachment, bool) {
	s.st.mu.RLock()
	defer s.st.mu.RUnlock()
	return render0(s.st.attachments[id], (*attachmentRec).render)
}

// Attachments returns the attachments of a case in creation order.
func (s *Sim) Attachments(caseRef string) []Attachment {
	return childList(s, caseRef, func(c *caseRec) []string { return c.attachments }, func(st *store, id string) (Attachment, bool) {
		return render0(st.attachments[id], (*attachmentRec).render)
	})
}

// AttachmentContent returns the stored bytes of an attachment; false if unknown or
// not stored (discarded content, fixture attachments).
func (s *Sim) AttachmentContent(id string) ([]byte, bool) {
	s.st.mu.RLock()
	defer s.st.mu.RUnlock()
	if a := s.st.attachments[id]; a != nil && a.stored {
		return a.content, true
	}
	return nil, false
}

// Observable returns an observable by `~id`.
func (s *Sim) Observable(id string) (Observable, bool) {
	s.st.mu.RLock()
	defer s.st.mu.RUnlock()
	if o := s.st.observables[id]; o != nil {
		return s.st.renderObservable(o), true
	}
	return Observable{}, false
}

// Observables returns the observables of a case in creation order.
func (s *Sim) Observables(caseRef string) []Observable {
	return childList(s, caseRef, func(c *caseRec) []string { return c.observables }, func(st *store, id string) (Observable, bool) {
		if o := st.observables[id]; o != nil {
			return st.renderObservable(o), true
		}
		return Observable{}, false
	})
}

// Tasks returns the tasks of a case in creation order.
func (s *Sim) Tasks(caseRef string) []Task {
	return childList(s, caseRef, func(c *caseRec) []string { return c.tasks }, func(st *store, id string) (Task, bool) {
		return render0(st.tasks[id], (*taskRec).render)
	})
}

// Logs returns the logs of a task in creation order.
func (s *Sim) Logs(taskID string) []Log {
	s.st.mu.RLock()
	defer s.st.mu.RUnlock()
	tk := s.st.tasks[taskID]
	if tk == nil {
		return nil
	}
	var out []Log
	for _, id := range tk.logs {
		if l := s.st.logs[id]; l != nil {
			out = append(out, s.st.renderLog(l))
		}
	}
	return out
}

// Audits returns every audit entry, oldest first.
func (s *Sim) Audits() []Audit {
	s.st.mu.RLock()
	defer s.st.mu.RUnlock()
	return slices.Clone(s.st.audits)
}

func render0[R any, T any](r *R, render func(*R) T) (T, bool) {
	if r == nil {
		var zero T
		return zero, false
	}
	return render(r), true
}

func childList[T any](s *Sim, caseRef string, ids func(*caseRec) []string, get func(*store, string) (T, bool)) []T {
	s.st.mu.RLock()
	defer s.st.mu.RUnlock()
	c := s.st.caseByRef(caseRef)
	if c == nil {
		return nil
	}
	var out []T
	for _, id := range ids(c) {
		if v, ok := get(s.st, id); ok {
			out = append(out, v)
		}
	}
	return out
}
