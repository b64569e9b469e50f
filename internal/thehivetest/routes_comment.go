package thehivetest

import "net/http"

// maxCommentBytes is TheHive's limit for a comment message.
const maxCommentBytes = 1 << 20

// parseComment reads InputComment; create requires message.
func parseComment(f fields, create bool) (msg *string, external *bool, err error) {
	rd := &reader{f: f}
	if create {
		rd.require("message")
	}
	msg = ptr(rd.str("message"))
	if msg != nil && len(*msg) > maxCommentBytes {
		rd.errs = append(rd.errs, attrError{Type: "InvalidFormatAttributeError", Name: "message",
			Format: "string(max 1048576)", Message: "Attribute message is too long"})
	}
	external = ptr(rd.boolean("external"))
	return msg, external, rd.err()
}

func (s *Sim) handleCreateCaseComment(w http.ResponseWriter, r *http.Request) error {
	return s.createComment(w, r, func() (*caseRec, *alertRec, error) {
		if c := s.st.caseByRef(r.PathValue("id")); c != nil {
			return c, nil, nil
		}
		return nil, nil, errCaseNotFound
	})
}

func (s *Sim) handleCreateAlertComment(w http.ResponseWriter, r *http.Request) error {
	return s.createComment(w, r, func() (*caseRec, *alertRec, error) {
		if a := s.st.alertByRef(r.PathValue("id")); a != nil {
			return nil, a, nil
		}
		return nil, nil, errNotFound("Alert not found")
	})
}

// createComment parses the body and adds the comment to the parent that find returns
// (called under the write lock).
func (s *Sim) createComment(w http.ResponseWriter, r *http.Request, find func() (*caseRec, *alertRec, error)) error {
	if err := requirePerm(r, "manageComment", "create comment"); err != nil {
		return err
	}
	f, err := s.readFields(w, r)
	if err != nil {
		return err
	}
	msg, ext, err := parseComment(f, true)
	if err != nil {
		return err
	}
	s.st.lock()
	c, a, err := find()
	var out Comment
	if err == nil {
		out = s.st.createComment(s.st.begin(callerFrom(r).Login), c, a, Comment{Message: *msg, External: ext != nil && *ext}).render()
	}
	s.st.mu.Unlock()
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, out)
	return nil
}

// withComment runs fn on the comment named by {id} under the write lock.
func (s *Sim) withComment(r *http.Request, fn func(t *txn, c *commentRec)) error {
	s.st.lock()
	defer s.st.mu.Unlock()
	c := s.st.comments[r.PathValue("id")]
	if c == nil {
		return errNotFound("Comment not found")
	}
	fn(s.st.begin(callerFrom(r).Login), c)
	return nil
}

func (s *Sim) handleUpdateComment(w http.ResponseWriter, r *http.Request) error {
	if err := requirePerm(r, "manageComment", "update comment"); err != nil {
		return err
	}
	f, err := s.readFields(w, r)
	if err != nil {
		return err
	}
	msg, ext, err := parseComment(f, false)
	if err != nil {
		return err
	}
	return s.noContent(w, s.withComment(r, func(t *txn, c *commentRec) {
		s.st.updateComment(t, c, msg, ext)
	}))
}

func (s *Sim) handleDeleteComment(w http.ResponseWriter, r *http.Request) error {
	if err := requirePerm(r, "manageComment", "delete comment"); err != nil {
		return err
	}
	return s.noContent(w, s.withComment(r, s.st.deleteComment))
}
