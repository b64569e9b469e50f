package thehivetest

// NewCase holds the fields of a case created with CreateCase; zero values get
// TheHive's defaults (severity 2, TLP 2, PAP 2, status New, organisation access).
type NewCase struct {
	Title, Description string
	Severity, TLP, PAP int
	Status             string
	Tags               []string
	Access             *Access
	CustomFields       []CustomField
	Assignee, Summary  string
}

// CreateCase creates a case as author (AnalystLogin if empty).
func (s *Sim) CreateCase(author string, in NewCase) Case {
	c := Case{Title: in.Title, Description: in.Description, Severity: orInt(in.Severity, 2),
		TLP: orInt(in.TLP, 2), PAP: orInt(in.PAP, 2), Status: in.Status, Tags: in.Tags, Access: in.Access,
		CustomFields: in.CustomFields, Assignee: in.Assignee, Summary: in.Summary}
	if c.Status == "" {
		c.Status = "New"
	}
	s.st.lock()
	defer s.st.mu.Unlock()
	return s.st.createCase(s.st.begin(orStr(author, AnalystLogin)), c, nil).render(casePermissions)
}

func orInt(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

func orStr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// mutateCase runs fn on the case ref under the write lock.
func (s *Sim) mutateCase(ref string, fn func(t *txn, c *caseRec)) error {
	s.st.lock()
	defer s.st.mu.Unlock()
	c := s.st.caseByRef(ref)
	if c == nil {
		return ErrNotFound
	}
	fn(s.st.begin(AnalystLogin), c)
	return nil
}

// SetCaseTags replaces the tags of a case.
func (s *Sim) SetCaseTags(ref string, tags []string) error {
	tags = append([]string{}, tags...)
	return s.mutateCase(ref, func(t *txn, c *caseRec) { s.st.updateCase(t, c, caseUpdate{tags: &tags}) })
}

// SetCaseAccess sets the native access of a case.
func (s *Sim) SetCaseAccess(ref string, a Access) error {
	a.Users = append([]string(nil), a.Users...)
	return s.mutateCase(ref, func(t *txn, c *caseRec) { s.st.updateCase(t, c, caseUpdate{access: &a}) })
}

// SetCaseStatus changes the status of a case (stage and dates follow).
func (s *Sim) SetCaseStatus(ref, status string) error {
	if _, ok := caseStatuses[status]; !ok {
		return errBadRequest("unknown status %s", status)
	}
	return s.mutateCase(ref, func(t *txn, c *caseRec) { s.st.updateCase(t, c, caseUpdate{status: &status}) })
}

// DeleteCase deletes a case and everything in it.
func (s *Sim) DeleteCase(ref string) error {
	return s.mutateCase(ref, s.st.deleteCase)
}

// AddComment adds a comment to a case as author (AnalystLogin if empty).
func (s *Sim) AddComment(caseRef, author, message string, external bool) (Comment, error) {
	s.st.lock()
	defer s.st.mu.Unlock()
	c := s.st.caseByRef(caseRef)
	if c == nil {
		return Comment{}, ErrNotFound
	}
	t := s.st.begin(orStr(author, AnalystLogin))
	return s.st.createComment(t, c, nil, Comment{Message: message, External: external}).render(), nil
}

// SetCommentExternal sets the native external flag of a comment.
func (s *Sim) SetCommentExternal(id string, external bool) error {
	s.st.lock()
	defer s.st.mu.Unlock()
	c := s.st.comments[id]
	if c == nil {
		return ErrNotFound
	}
	s.st.updateComment(s.st.begin(AnalystLogin), c, nil, &external)
	return nil
}

// AddAttachment adds a file to a case as author (AnalystLogin if empty).
func (s *Sim) AddAttachment(caseRef, author, name, contentType string, content []byte, external bool) (Attachment, error) {
	s.st.lock()
	defer s.st.mu.Unlock()
	c := s.st.caseByRef(caseRef)
	if c == nil {
		return Attachment{}, ErrNotFound
	}
	b := newBlob(name, contentType, append([]byte(nil), content...))
	return s.st.addCaseAttachment(s.st.begin(orStr(author, AnalystLogin)), c, b, external).render(), nil
}

// SetAttachmentExternal sets the native external flag of a case attachment.
func (s *Sim) SetAttachmentExternal(id string, external bool) error {
	s.st.lock()
	defer s.st.mu.Unlock()
	a := s.st.attachments[id]
	if a == nil || s.st.cases[a.caseID] == nil {
		return ErrNotFound
	}
	s.st.setAttachmentExternal(s.st.begin(AnalystLogin), a, s.st.cases[a.caseID], external)
	return nil
}

// AddObservable adds a (non-file) observable to a case as author (AnalystLogin if
// empty). DataType, Data, Message, Tags, TLP, PAP, IOC and External are used.
func (s *Sim) AddObservable(caseRef, author string, o Observable) (Observable, error) {
	s.st.lock()
	defer s.st.mu.Unlock()
	c := s.st.caseByRef(caseRef)
	if c == nil {
		return Observable{}, ErrNotFound
	}
	in := Observable{DataType: o.DataType, Data: o.Data, Message: o.Message, Tags: append([]string(nil), o.Tags...),
		TLP: o.TLP, PAP: o.PAP, IOC: o.IOC, External: o.External}
	return s.st.renderObservable(s.st.createObservable(s.st.begin(orStr(author, AnalystLogin)), c, in, nil)), nil
}
