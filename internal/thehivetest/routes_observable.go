package thehivetest

import (
	"encoding/json"
	"mime"
	"net/http"
	"slices"
	"strings"
)

// observableTypes are TheHive 5's default observable data types.
var observableTypes = []string{
	"autonomous-system", "domain", "file", "filename", "fqdn", "hash", "hostname", "ip", "mail",
	"mail-subject", "other", "regexp", "registry", "uri_path", "url", "user-agent",
}

// attachmentRef is a JSON InputAttachment that references an existing file by hash.
type attachmentRef struct {
	Name        string `json:"name"`
	ContentType string `json:"contentType"`
	ID          string `json:"id"`
}

func isMultipart(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return strings.HasPrefix(mt, "multipart/")
}

// observableInput reads a JSON or multipart (`_json` + `attachment` parts) body.
func (s *Sim) observableInput(w http.ResponseWriter, r *http.Request) (fields, []blob, error) {
	if !isMultipart(r) {
		f, err := s.readFields(w, r)
		return f, nil, err
	}
	form, err := s.readMultipart(w, r, "attachment")
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
	files := form.files["attachment"]
	if len(files) > 0 {
		f["dataType"] = json.RawMessage(`"file"`)
	}
	return f, files, nil
}

func (s *Sim) handleCreateObservables(w http.ResponseWriter, r *http.Request) error {
	if err := requirePerm(r, "manageObservable", "create observable"); err != nil {
		return err
	}
	if err := s.caseExists(r); err != nil {
		return err
	}
	f, files, err := s.observableInput(w, r)
	if err != nil {
		return err
	}
	o, data, ref, err := parseObservable(f, len(files) > 0)
	if err != nil {
		return err
	}
	out := []Observable{}
	err = s.withCase(r, func(t *txn, c *caseRec) error {
		if ref != nil {
			b, err := s.st.blobByRef(*ref)
			if err != nil {
				return err
			}
			files = []blob{b}
		}
		for _, d := range data {
			o.Data = d
			out = append(out, s.st.renderObservable(s.st.createObservable(t, c, o, nil)))
		}
		for i := range files {
			out = append(out, s.st.renderObservable(s.st.createObservable(t, c, o, &files[i])))
		}
		return nil
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, out)
	return nil
}

// blobByRef copies an existing file by content hash, with no visibility check
// (as TheHive does), renamed as the reference says.
func (st *store) blobByRef(ref attachmentRef) (blob, error) {
	a := st.attachmentByHash(ref.ID)
	if a == nil {
		return blob{}, errNotFound("Attachment " + ref.ID + " not found")
	}
	b := blob{name: a.Name, contentType: a.ContentType, size: a.Size, sha256: a.Hashes[0],
		sha1: a.Hashes[1], md5: a.Hashes[2], content: a.content, stored: a.stored}
	if ref.Name != "" {
		b.name = ref.Name
	}
	if ref.ContentType != "" {
		b.contentType = ref.ContentType
	}
	return b, nil
}

// parseObservable reads InputCreateObservable: the template observable, the data
// values (one observable each) and an optional reference to an existing file.
func parseObservable(f fields, haveFiles bool) (Observable, []string, *attachmentRef, error) {
	rd := &reader{f: f}
	rd.require("dataType")
	o := Observable{TLP: 2, PAP: 2}
	o.DataType, _ = rd.str("dataType")
	if o.DataType != "" && !slices.Contains(observableTypes, o.DataType) {
		rd.bad("dataType", "observable type", f["dataType"])
	}
	data, _ := rd.strList("data")
	readObservableFields(rd, &o)
	var ref *attachmentRef
	if raw, ok := rd.raw("attachment"); ok && !haveFiles {
		ref = &attachmentRef{}
		if json.Unmarshal(raw, ref) != nil || ref.ID == "" {
			rd.bad("attachment", "attachment reference", raw)
		}
	}
	switch {
	case o.DataType == "file":
		data = nil
		if !haveFiles && ref == nil {
			rd.errs = append(rd.errs, missingAttr("attachment"))
		}
	case len(data) == 0 && o.DataType != "":
		rd.errs = append(rd.errs, missingAttr("data"))
	}
	return o, data, ref, rd.err()
}

func readObservableFields(rd *reader, o *Observable) {
	o.Message, _ = rd.str("message")
	o.StartDate, _ = rd.number("startDate")
	pick(&o.TLP, ptr(rd.intIn("tlp", 0, 4)))
	pick(&o.PAP, ptr(rd.intIn("pap", 0, 3)))
	o.Tags, _ = rd.strList("tags")
	o.IOC, _ = rd.boolean("ioc")
	o.Sighted, _ = rd.boolean("sighted")
	o.SightedAt, _ = rd.number("sightedAt")
	o.IgnoreSimilarity, _ = rd.boolean("ignoreSimilarity")
	o.External, _ = rd.boolean("external")
}

var errObservableNotFound = errNotFound("Observable not found")

func (s *Sim) handleGetObservable(w http.ResponseWriter, r *http.Request) error {
	s.st.mu.RLock()
	rec := s.st.observables[r.PathValue("id")]
	var out Observable
	if rec != nil {
		out = s.st.renderObservable(rec)
	}
	s.st.mu.RUnlock()
	if rec == nil {
		return errObservableNotFound
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// withObservable runs fn on the {id} observable under the write lock.
func (s *Sim) withObservable(r *http.Request, fn func(t *txn, o *observableRec)) error {
	s.st.lock()
	defer s.st.mu.Unlock()
	o := s.st.observables[r.PathValue("id")]
	if o == nil {
		return errObservableNotFound
	}
	fn(s.st.begin(callerFrom(r).Login), o)
	return nil
}

func (s *Sim) handleUpdateObservable(w http.ResponseWriter, r *http.Request) error {
	if err := requirePerm(r, "manageObservable", "update observable"); err != nil {
		return err
	}
	f, err := s.readFields(w, r)
	if err != nil {
		return err
	}
	rd := &reader{f: f}
	u := observableUpdate{
		message: ptr(rd.str("message")), tlp: ptr(rd.intIn("tlp", 0, 4)), pap: ptr(rd.intIn("pap", 0, 3)),
		ioc: ptr(rd.boolean("ioc")), sighted: ptr(rd.boolean("sighted")), sightedAt: ptr(rd.number("sightedAt")),
		ignoreSim: ptr(rd.boolean("ignoreSimilarity")), extrn: ptr(rd.boolean("external")),
		tags: ptr(rd.strList("tags")),
	}
	u.addTags, _ = rd.strList("addTags")
	u.removeTags, _ = rd.strList("removeTags")
	if err := rd.err(); err != nil {
		return err
	}
	return s.noContent(w, s.withObservable(r, func(t *txn, o *observableRec) {
		s.st.updateObservable(t, o, u)
	}))
}

func (s *Sim) handleDeleteObservable(w http.ResponseWriter, r *http.Request) error {
	if err := requirePerm(r, "manageObservable", "delete observable"); err != nil {
		return err
	}
	return s.noContent(w, s.withObservable(r, s.st.deleteObservable))
}
