package proxy

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/tidwall/gjson"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/proxy/query"
	"github.com/thehive-portal/thehive-portal/proxy/ui"
)

// doneMessages confirm what a form did, by the done parameter of the page
// the form redirects to.
var doneMessages = map[string]string{
	"comment":    "Your comment was added.",
	"attachment": "Your files were uploaded.",
	"observable": "Your observables were added.",
	"case":       "Your case was created. The security team can see it now.",
}

// handleCasePage is GET /cases/{id}: the case as the API shows it, with
// the visible comments (oldest first), attachments and observables, and
// the forms the viewer's profile allows.
func (s *Server) handleCasePage(c echo.Context) error {
	ref, err := caseRef(c.Param("id"))
	if err != nil {
		s.audit(c.Request().Context(), auditEvent{Action: "case.read", Reason: "bad_id", Status: http.StatusNotFound})
		return err
	}
	v, err := s.casePage(c, ref)
	if err != nil {
		return err
	}
	v.Done = doneMessages[c.QueryParam("done")]
	return s.renderPage(c, http.StatusOK, *v)
}

// casePage reads what the viewer may see of a case, through the API's
// read functions, and builds its page with empty forms.
func (s *Server) casePage(c echo.Context, ref query.CaseRef) (*ui.Case, error) {
	ctx := c.Request().Context()
	body, err := s.readCase(ctx, ref)
	if err != nil {
		return nil, err
	}
	kase := gjson.ParseBytes(body)
	caseID := kase.Get("_id").Str
	if !objectID.MatchString(caseID) {
		return nil, errUpstream(errBadUpstream)
	}
	v := &ui.Case{Layout: s.layout(c, "#"+kase.Get("number").String()+" "+kase.Get("title").String(), "cases")}
	caseDetails(v, kase)
	lists := map[config.Kind][]byte{}
	// Oldest first; TheHive's comments have createdAt, not _createdAt.
	byDate := map[config.Kind]string{config.KindComment: "createdAt", config.KindAttachment: "_createdAt",
		config.KindObservable: "_createdAt"}
	for kind, field := range byDate {
		q := &query.Query{Root: query.RootGetCase, Case: query.CaseRef{ID: caseID}, Child: kind,
			Sort: []query.SortField{{Field: field}}}
		if lists[kind], _, err = s.listChildren(ctx, q); err != nil {
			return nil, err
		}
	}
	v.Comments = comments(lists[config.KindComment])
	v.Attachments = attachments(lists[config.KindAttachment], caseID)
	v.Observables = observables(lists[config.KindObservable])
	s.caseForms(c, v, caseID)
	return v, nil
}

// caseForms adds the forms the viewer's profile allows.
func (s *Server) caseForms(c echo.Context, v *ui.Case, caseID string) {
	viewer := stateOf(c.Request().Context()).viewer
	base := "/cases/" + caseID
	if s.engine.Allows(viewer, config.WriteComment).Allow {
		v.CommentForm = &ui.Form{Action: base + "/comments"}
	}
	if s.engine.Allows(viewer, config.WriteAttachment).Allow {
		v.UploadForm = &ui.UploadForm{Form: ui.Form{Action: base + "/attachments"},
			MaxBytes: int64(s.cfg.Limits.MaxUploadBytes), MaxFiles: maxFilesPerUpload}
	}
	if s.engine.Allows(viewer, config.WriteObservable).Allow {
		v.ObservableForm = &ui.ObservableForm{Form: ui.Form{Action: base + "/observables"}, Types: s.observableTypes("")}
	}
}

// observableTypes are the data types a form offers: the accepted ones,
// except file (which needs a file, not a value).
func (s *Server) observableTypes(selected string) []ui.Option {
	var out []ui.Option
	for _, t := range s.cfg.Inputs.ObservableTypes {
		if t != "file" {
			out = append(out, ui.Option{Value: t, Label: t, Selected: t == selected})
		}
	}
	return out
}
