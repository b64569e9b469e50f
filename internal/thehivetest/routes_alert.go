package thehivetest

import "net/http"

func (s *Sim) handleCreateAlert(w http.ResponseWriter, r *http.Request) error {
	if err := requirePerm(r, "manageAlert/create", "create alert"); err != nil {
		return err
	}
	f, err := s.readFields(w, r)
	if err != nil {
		return err
	}
	a, err := parseAlert(f)
	if err != nil {
		return err
	}
	s.st.lock()
	var out Alert
	dup := s.st.alertByRef(a.AlertType+";"+a.Source+";"+a.SourceRef) != nil
	if !dup {
		out = s.st.createAlert(s.st.begin(callerFrom(r).Login), a).render()
	}
	s.st.mu.Unlock()
	if dup {
		return &apiError{status: http.StatusBadRequest, Type: "CreateError",
			Message: "Alert " + a.AlertType + ";" + a.Source + ";" + a.SourceRef + " already exists"}
	}
	writeJSON(w, http.StatusCreated, out)
	return nil
}

func parseAlert(f fields) (Alert, error) {
	rd := &reader{f: f}
	rd.require("type", "source", "sourceRef", "title", "description")
	a := Alert{Severity: 2, TLP: 2, PAP: 2}
	a.AlertType, _ = rd.str("type")
	a.Source, _ = rd.str("source")
	a.SourceRef, _ = rd.str("sourceRef")
	a.Title, _ = rd.str("title")
	a.Description, _ = rd.str("description")
	a.ExternalLink, _ = rd.str("externalLink")
	pick(&a.Severity, ptr(rd.intIn("severity", 1, 4)))
	pick(&a.TLP, ptr(rd.intIn("tlp", 0, 4)))
	pick(&a.PAP, ptr(rd.intIn("pap", 0, 3)))
	a.Date, _ = rd.number("date")
	a.Tags, _ = rd.strList("tags")
	a.Follow, _ = rd.boolean("follow")
	a.CustomFields, _ = parseCustomFields(rd, "customFields")
	return a, rd.err()
}

func (s *Sim) handleGetAlert(w http.ResponseWriter, r *http.Request) error {
	s.st.mu.RLock()
	rec := s.st.alertByRef(r.PathValue("id"))
	var out Alert
	if rec != nil {
		out = rec.render()
	}
	s.st.mu.RUnlock()
	if rec == nil {
		return errNotFound("Alert not found")
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
