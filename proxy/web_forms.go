package proxy

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/tidwall/gjson"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/proxy/query"
	"github.com/thehive-portal/thehive-portal/proxy/ui"
)

// Every form handler reads its form with readForm first (CSRF before
// anything else), then runs the API's own checks and writes: writableCase
// or requireWrite, the same strict key check as a JSON body (formObject),
// then createComment, uploadAttachments, createObservables or createCase.
// Success redirects to the page that shows the new item; a refusal shows
// the page again with what was typed and the message next to its field.

// handleCommentForm is POST /cases/{id}/comments (field message).
func (s *Server) handleCommentForm(c echo.Context) error {
	ctx := c.Request().Context()
	form, err := s.readForm(c)
	if err != nil {
		return err
	}
	markers, err := s.writableCase(ctx, config.WriteComment, c.Param("id"))
	if err != nil {
		return err
	}
	values := map[string]string{"message": form.values.Get("message")}
	var id string
	obj, err := s.formObject(map[string]any{"message": values["message"]}, "message", "external")
	if err == nil {
		_, id, err = s.createComment(ctx, markers, obj)
	}
	if err != nil {
		return s.caseFormFailed(c, markers, formComment, values, err)
	}
	return doneRedirect(c, markers, "comment", "comment-"+id)
}

// handleUploadForm is POST /cases/{id}/attachments: multipart, csrf first,
// then the files (field attachments), streamed to TheHive.
func (s *Server) handleUploadForm(c echo.Context) error {
	ctx := c.Request().Context()
	form, err := s.readForm(c)
	if err != nil {
		return err
	}
	if form.parts == nil {
		return errBadRequest("Files must be sent as a multipart form")
	}
	markers, err := s.writableCase(ctx, config.WriteAttachment, c.Param("id"))
	if err != nil {
		return err
	}
	if _, err := s.uploadAttachments(ctx, markers, form.parts); err != nil {
		return s.caseFormFailed(c, markers, formUpload, nil, err)
	}
	return doneRedirect(c, markers, "attachment", "attachments")
}

// handleObservableForm is POST /cases/{id}/observables: a data type and
// one value per line (fields dataType, data, message).
func (s *Server) handleObservableForm(c echo.Context) error {
	ctx := c.Request().Context()
	form, err := s.readForm(c)
	if err != nil {
		return err
	}
	markers, err := s.writableCase(ctx, config.WriteObservable, c.Param("id"))
	if err != nil {
		return err
	}
	values := map[string]string{}
	for _, k := range []string{"dataType", "data", "message"} {
		values[k] = form.values.Get(k)
	}
	in := map[string]any{"dataType": values["dataType"]}
	if lines := valueLines(values["data"]); len(lines) == 1 {
		in["data"] = lines[0]
	} else if len(lines) > 1 {
		in["data"] = lines
	}
	if m := strings.TrimSpace(values["message"]); m != "" {
		in["message"] = m
	}
	obj, err := s.formObject(in, "dataType", "data", "message")
	if err == nil {
		_, _, err = s.createObservables(ctx, markers, obj)
	}
	if err != nil {
		return s.caseFormFailed(c, markers, formObservable, values, err)
	}
	return doneRedirect(c, markers, "observable", "observables")
}

// valueLines splits a text into its non-empty lines, trimmed.
func valueLines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// formObject turns the values of a form into the JSON object the API
// would receive, checked as strictly as a JSON body.
func (s *Server) formObject(in map[string]any, allowed ...string) (gjson.Result, error) {
	body, err := json.Marshal(in)
	if err != nil {
		return gjson.Result{}, errBadRequest("Unreadable form")
	}
	return s.strictJSON(body, allowed...)
}

func doneRedirect(c echo.Context, markers gjson.Result, done, anchor string) error {
	return c.Redirect(http.StatusSeeOther, "/cases/"+markers.Get("_id").Str+"?done="+done+"#"+anchor)
}

// handleNewCase is GET /cases/new: the form that creates a case.
func (s *Server) handleNewCase(c echo.Context) error {
	if err := s.requireWrite(c.Request().Context(), config.WriteCase); err != nil {
		return err
	}
	return s.renderPage(c, http.StatusOK, s.newCaseView(c, nil, nil, ""))
}

// handleCaseForm is POST /cases: title, description and, when the
// configuration accepts it, severity.
func (s *Server) handleCaseForm(c echo.Context) error {
	ctx := c.Request().Context()
	form, err := s.readForm(c)
	if err != nil {
		return err
	}
	if err := s.requireWrite(ctx, config.WriteCase); err != nil {
		return err
	}
	values := map[string]string{}
	for _, k := range []string{"title", "description", "severity"} {
		values[k] = form.values.Get(k)
	}
	in := map[string]any{"title": values["title"], "description": values["description"]}
	if sev := values["severity"]; sev != "" && contains(s.cfg.Inputs.CaseFields, "severity") {
		in["severity"] = sev // a string is refused by caseInput, with its message
		if n, err := strconv.Atoi(sev); err == nil {
			in["severity"] = n
		}
	}
	var id string
	obj, err := s.formObject(in, s.cfg.Inputs.CaseFields...)
	if err == nil {
		_, id, err = s.createCase(ctx, obj)
	}
	if err != nil {
		return s.caseCreateFailed(c, values, err)
	}
	return c.Redirect(http.StatusSeeOther, "/cases/"+id+"?done=case")
}

func (s *Server) newCaseView(c echo.Context, values, errs map[string]string, general string) ui.NewCase {
	v := ui.NewCase{Layout: s.layout(c, "New case", "new"),
		Form: ui.Form{Action: "/cases", Values: values, Errors: errs, Error: general}}
	if contains(s.cfg.Inputs.CaseFields, "severity") {
		sel := values["severity"]
		if sel == "" {
			sel = "2"
		}
		for n := 1; n <= 4; n++ {
			v.Severities = append(v.Severities, ui.Option{Value: strconv.Itoa(n), Label: severityLabels[n], Selected: sel == strconv.Itoa(n)})
		}
	}
	return v
}

func (s *Server) caseCreateFailed(c echo.Context, values map[string]string, err error) error {
	ae := toAPIError(err)
	if ae.Status == http.StatusUnauthorized || ae.Status == http.StatusForbidden {
		return err
	}
	field, msg := formProblem(ae, "title", "description", "severity")
	v := s.newCaseView(c, values, nil, msg)
	if field != "" {
		v.Form.Errors, v.Form.Error = map[string]string{field: msg}, ""
	}
	return s.renderPage(c, ae.Status, v)
}

// caseForm names a form of the case page.
type caseForm int

const (
	formComment caseForm = iota
	formUpload
	formObservable
)

// caseFormFailed shows the case page again after a refused form, with
// what was typed and the message next to its field. Denials and a case
// that vanished are error pages.
func (s *Server) caseFormFailed(c echo.Context, markers gjson.Result, which caseForm, values map[string]string, err error) error {
	ae := toAPIError(err)
	if ae.Status == http.StatusUnauthorized || ae.Status == http.StatusForbidden || ae.Status == http.StatusNotFound {
		return err
	}
	v, perr := s.casePage(c, query.CaseRef{ID: markers.Get("_id").Str})
	if perr != nil {
		return err
	}
	var f *ui.Form
	var field, msg string
	switch which {
	case formComment:
		f = v.CommentForm
		field, msg = formProblem(ae, "message")
	case formUpload:
		f = &v.UploadForm.Form
		field, msg = "attachments", uploadProblem(ae, int64(s.cfg.Limits.MaxUploadBytes))
	case formObservable:
		f = &v.ObservableForm.Form
		v.ObservableForm.Types = s.observableTypes(values["dataType"])
		field, msg = formProblem(ae, "dataType", "data", "message")
	}
	f.Values = values
	if field != "" {
		f.Errors = map[string]string{field: msg}
	} else {
		f.Error = msg
	}
	return s.renderPage(c, ae.Status, *v)
}

// formProblem words a refusal for a form: the field it is about (one of
// fields, else "") and the message.
func formProblem(ae *apiError, fields ...string) (string, string) {
	switch {
	case ae.Status >= 500:
		return "", "The security team's system did not answer. What you typed is kept below: send it again in a moment."
	case ae.Status == http.StatusTooManyRequests:
		return "", "Too many requests: wait a minute, then send the form again."
	case contains(fields, ae.Field):
		return ae.Field, ae.Message + "."
	}
	return "", ae.Message + "."
}

func uploadProblem(ae *apiError, limit int64) string {
	switch {
	case ae.Status == http.StatusRequestEntityTooLarge:
		return "These files are larger than the upload limit of " + ui.FormatBytes(limit) + " in total."
	case ae.Status == http.StatusTooManyRequests:
		return "Too many requests: wait a minute, then upload again."
	case ae.Status >= 500:
		return "The security team's system did not answer. Choose the files and upload them again in a moment."
	}
	return "The upload was refused: " + ae.Message + ". Choose 1 to 20 files and upload again."
}
