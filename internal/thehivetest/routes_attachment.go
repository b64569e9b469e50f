package thehivetest

import (
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
)

var errAttachmentNotFound = errNotFound("Attachment not found")

func (s *Sim) handleUploadAttachments(w http.ResponseWriter, r *http.Request) error {
	if err := requirePerm(r, "manageCase/update", "update case"); err != nil {
		return err
	}
	if err := s.caseExists(r); err != nil {
		return err
	}
	form, err := s.readMultipart(w, r, "attachments")
	if err != nil {
		return err
	}
	files := form.files["attachments"]
	if len(files) == 0 {
		return errAttributes([]attrError{missingAttr("attachments")})
	}
	canRename, external := formBool(form, "canRename"), formBool(form, "external")
	var out []Attachment
	err = s.withCase(r, func(t *txn, c *caseRec) error {
		for _, b := range files {
			if canRename {
				b.name = s.st.uniqueName(c, b.name)
			}
			out = append(out, s.st.addCaseAttachment(t, c, b, external).render())
		}
		return nil
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"attachments": out})
	return nil
}

func formBool(form *multipartForm, name string) bool {
	b, _ := strconv.ParseBool(strings.TrimSpace(form.values[name]))
	return b
}

func (s *Sim) caseExists(r *http.Request) error {
	s.st.mu.RLock()
	defer s.st.mu.RUnlock()
	if s.st.caseByRef(r.PathValue("id")) == nil {
		return errCaseNotFound
	}
	return nil
}

// uniqueName returns name, or "base (n).ext" if the case already has that name.
func (st *store) uniqueName(c *caseRec, name string) string {
	taken := func(n string) bool {
		return slices.ContainsFunc(c.attachments, func(id string) bool {
			a := st.attachments[id]
			return a != nil && a.Name == n
		})
	}
	ext := path.Ext(name)
	candidate := name
	for i := 1; taken(candidate); i++ {
		candidate = strings.TrimSuffix(name, ext) + " (" + strconv.Itoa(i) + ")" + ext
	}
	return candidate
}

// withCaseAttachment runs fn on the {aid} attachment of the {id} case (write lock).
func (s *Sim) withCaseAttachment(r *http.Request, fn func(t *txn, c *caseRec, a *attachmentRec)) error {
	return s.withCase(r, func(t *txn, c *caseRec) error {
		a := s.st.attachments[r.PathValue("aid")]
		if a == nil || a.caseID != c.ID {
			return errAttachmentNotFound
		}
		fn(t, c, a)
		return nil
	})
}

func (s *Sim) handleUpdateAttachment(w http.ResponseWriter, r *http.Request) error {
	if err := requirePerm(r, "manageCase/update", "update case"); err != nil {
		return err
	}
	f, err := s.readFields(w, r)
	if err != nil {
		return err
	}
	rd := &reader{f: f}
	ext, ok := rd.boolean("external")
	if err := rd.err(); err != nil {
		return err
	}
	if !ok || len(f) != 1 {
		return errBadRequest("You can only change the access to/from External")
	}
	return s.noContent(w, s.withCaseAttachment(r, func(t *txn, c *caseRec, a *attachmentRec) {
		s.st.setAttachmentExternal(t, a, c, ext)
	}))
}

func (s *Sim) handleDeleteAttachment(w http.ResponseWriter, r *http.Request) error {
	if err := requirePerm(r, "manageCase/update", "update case"); err != nil {
		return err
	}
	return s.noContent(w, s.withCaseAttachment(r, func(t *txn, c *caseRec, a *attachmentRec) {
		s.st.deleteCaseAttachment(t, a, c)
	}))
}

// download is a snapshot of an attachment taken under the lock.
type download struct {
	name, contentType, hash string
	size                    int64
	content                 []byte
	stored                  bool
}

func snapshot(a *attachmentRec) *download {
	return &download{name: a.Name, contentType: a.ContentType, hash: a.HashID, size: a.Size,
		content: a.content, stored: a.stored}
}

// owner reports whether an attachment belongs to the parent named in the path;
// nil means the route is not scoped to a parent.
type owner func(a *attachmentRec) bool

// findDownload resolves the {aid} attachment after parent checked the path's parent
// object. The owner check applies only with WithStrictAttachmentCase.
func (s *Sim) findDownload(r *http.Request, parent func() (owner, error), byHash bool) (*download, error) {
	s.st.mu.RLock()
	defer s.st.mu.RUnlock()
	owns, err := parent()
	if err != nil {
		return nil, err
	}
	aid := r.PathValue("aid")
	a := s.st.attachments[aid]
	if a == nil && byHash {
		a = s.st.attachmentByHash(aid)
	}
	if a == nil || (s.cfg.checkAttachCase && owns != nil && !owns(a)) {
		return nil, errAttachmentNotFound
	}
	return snapshot(a), nil
}

func (st *store) attachmentByHash(hash string) *attachmentRec {
	for _, a := range sortedBySeq(st.attachments, func(a *attachmentRec) int64 { return a.seq }) {
		if a.HashID == hash {
			return a
		}
	}
	return nil
}

func (s *Sim) handleCaseAttachmentDownload(w http.ResponseWriter, r *http.Request) error {
	d, err := s.findDownload(r, func() (owner, error) {
		if c := s.st.caseByRef(r.PathValue("id")); c != nil {
			return func(a *attachmentRec) bool { return a.caseID == c.ID }, nil
		}
		return nil, errCaseNotFound
	}, false)
	return s.serveDownload(w, r, d, err)
}

func (s *Sim) handleOrgAttachmentDownload(w http.ResponseWriter, r *http.Request) error {
	d, err := s.findDownload(r, func() (owner, error) { return nil, nil }, true)
	return s.serveDownload(w, r, d, err)
}

func (s *Sim) handleObservableDownload(w http.ResponseWriter, r *http.Request) error {
	d, err := s.findDownload(r, func() (owner, error) {
		if o := s.st.observables[r.PathValue("id")]; o != nil {
			return func(a *attachmentRec) bool { return a.obsID == o.ID }, nil
		}
		return nil, errNotFound("Observable not found")
	}, false)
	return s.serveDownload(w, r, d, err)
}

func (s *Sim) handleLogDownload(w http.ResponseWriter, r *http.Request) error {
	d, err := s.findDownload(r, func() (owner, error) {
		if l := s.st.logs[r.PathValue("id")]; l != nil {
			return func(a *attachmentRec) bool { return a.logID == l.ID }, nil
		}
		return nil, errNotFound("Log not found")
	}, false)
	return s.serveDownload(w, r, d, err)
}
