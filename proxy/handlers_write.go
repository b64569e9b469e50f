package proxy

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/tidwall/gjson"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/filter"
)

// The JSON API's writes and the web forms go through the same functions:
// requireWrite / writableCase (profile and share checks), then createCase,
// createComment or createObservables (validation, markers, the request to
// TheHive, the answer cut for the viewer). The handlers here only read
// the JSON body and answer.

// handleCreateCase is POST /api/v1/case: only the allowed fields pass; the
// portal adds its own tags (the case stays shared with its creator).
func (s *Server) handleCreateCase(c echo.Context) error {
	ctx := c.Request().Context()
	if err := s.requireWrite(ctx, config.WriteCase); err != nil {
		return err
	}
	obj, err := s.strictObject(c, s.cfg.Inputs.CaseFields...)
	if err != nil {
		return err
	}
	out, _, err := s.createCase(ctx, obj)
	if err != nil {
		return err
	}
	return c.JSONBlob(http.StatusCreated, out)
}

// createCase validates a new case (obj holds only allowed keys), adds the
// portal's tags and creates it. It returns the case cut for the viewer and
// its _id. The caller has checked the profile with requireWrite.
func (s *Server) createCase(ctx context.Context, obj gjson.Result) ([]byte, string, error) {
	in, err := s.caseInput(obj)
	if err != nil {
		return nil, "", err
	}
	email := stateOf(ctx).viewer.Email
	in["tags"] = append(in["tags"].([]string), marker(s.cfg.Markers.CaseUser, email, ""), marker(s.cfg.Markers.CaseCreator, email, ""))
	body, _ := json.Marshal(in)
	return s.create(ctx, config.KindCase, "", body, gjson.Result{}, "api", "v1", "case")
}

// caseInput validates the fields of a new case.
func (s *Server) caseInput(obj gjson.Result) (map[string]any, error) {
	title, err := text(obj, "title", maxTitle, true, false)
	if err != nil {
		return nil, err
	}
	desc, err := text(obj, "description", int(s.cfg.Limits.MaxBodyBytes), true, true)
	if err != nil {
		return nil, err
	}
	in := map[string]any{"title": title, "description": desc}
	if v := obj.Get("severity"); v.Exists() {
		if v.Type != gjson.Number || v.Num != float64(int(v.Num)) || v.Num < 1 || v.Num > 4 {
			return nil, fieldError("severity", "Field \"severity\" must be 1, 2, 3 or 4")
		}
		in["severity"] = int(v.Num)
	}
	if v := obj.Get("startDate"); v.Exists() {
		if v.Type != gjson.Number || v.Num != float64(int64(v.Num)) || v.Num < 0 || v.Num > 4102444800000 {
			return nil, fieldError("startDate", "Field \"startDate\" must be a time in milliseconds")
		}
		in["startDate"] = int64(v.Num)
	}
	tags, err := s.userTags(obj)
	if err != nil {
		return nil, err
	}
	in["tags"] = append([]string{}, tags...)
	return in, nil
}

// handleCreateComment is POST /api/v1/case/{id}/comment.
func (s *Server) handleCreateComment(c echo.Context) error {
	ctx := c.Request().Context()
	markers, err := s.writableCase(ctx, config.WriteComment, c.Param("id"))
	if err != nil {
		return err
	}
	obj, err := s.strictObject(c, "message", "external")
	if err != nil {
		return err
	}
	out, _, err := s.createComment(ctx, markers, obj)
	if err != nil {
		return err
	}
	return c.JSONBlob(http.StatusCreated, out)
}

// createComment validates a comment (obj holds only message and
// external), neutralises forged markers, adds the portal's marker and
// attribution and creates it in the case of markers (from writableCase).
// It returns the comment cut for the viewer and its _id.
func (s *Server) createComment(ctx context.Context, markers, obj gjson.Result) ([]byte, string, error) {
	if ext := obj.Get("external"); ext.Exists() && ext.Type != gjson.True {
		return nil, "", fieldError("external", "Field \"external\" can only be true: comments from the portal are external")
	}
	msg, err := text(obj, "message", maxMessage, true, true)
	if err != nil {
		return nil, "", err
	}
	msg = s.neutralizeComment(msg)
	if msg == "" {
		return nil, "", fieldError("message", "Field \"message\" must not be empty")
	}
	email := stateOf(ctx).viewer.Email
	in := map[string]any{"message": filter.FormatComment(s.cfg.Markers.CommentPrefix, email, msg)}
	if s.cfg.Upstream.NativeExternal {
		in["external"] = true
	}
	body, _ := json.Marshal(in)
	caseID := markers.Get("_id").Str
	return s.create(ctx, config.KindComment, caseID, body, markers, "api", "v1", "case", caseID, "comment")
}

// handleCreateObservable is POST /api/v1/case/{id}/observable: JSON, or
// multipart with a _json part and one attachment file part.
func (s *Server) handleCreateObservable(c echo.Context) error {
	ctx := c.Request().Context()
	markers, err := s.writableCase(ctx, config.WriteObservable, c.Param("id"))
	if err != nil {
		return err
	}
	if isMultipart(c.Request().Header.Get("Content-Type")) {
		return s.createFileObservable(c, markers)
	}
	obj, err := s.strictObject(c, "dataType", "data", "message")
	if err != nil {
		return err
	}
	out, _, err := s.createObservables(ctx, markers, obj)
	if err != nil {
		return err
	}
	return c.JSONBlob(http.StatusCreated, out)
}

// createObservables validates one observable (data: one value or an array
// of values; obj holds only dataType, data and message), adds the portal's
// marker and creates it in the case of markers. It returns the created
// observables cut for the viewer and the first _id.
func (s *Server) createObservables(ctx context.Context, markers, obj gjson.Result) ([]byte, string, error) {
	in, err := s.observableInput(ctx, obj, false)
	if err != nil {
		return nil, "", err
	}
	body, _ := json.Marshal(in)
	caseID := markers.Get("_id").Str
	return s.create(ctx, config.KindObservable, caseID, body, markers, "api", "v1", "case", caseID, "observable")
}

// observableInput validates an observable; file is true for the _json of
// a file upload (dataType file, no data).
func (s *Server) observableInput(ctx context.Context, obj gjson.Result, file bool) (map[string]any, error) {
	dt, err := text(obj, "dataType", 64, true, false)
	if err != nil {
		return nil, err
	}
	if !contains(s.cfg.Inputs.ObservableTypes, dt) || (dt == "file") != file {
		return nil, fieldError("dataType", "Field \"dataType\" is not an accepted data type here")
	}
	in := map[string]any{"dataType": dt}
	if !file {
		data, err := observableData(obj.Get("data"))
		if err != nil {
			return nil, err
		}
		in["data"] = data
	} else if obj.Get("data").Exists() {
		return nil, fieldError("data", "Field \"data\" is not accepted with a file")
	}
	msg, err := text(obj, "message", maxMessage, false, true)
	if err != nil {
		return nil, err
	}
	if msg != "" {
		in["message"] = msg
	}
	in["tags"] = []string{marker(s.cfg.Markers.ObservableAuthor, stateOf(ctx).viewer.Email, "")}
	if s.cfg.Upstream.NativeExternal {
		in["external"] = true
	}
	return in, nil
}

// observableData reads data: one string or an array of 1..100 strings.
func observableData(v gjson.Result) (any, error) {
	one := func(r gjson.Result) (string, bool) {
		ok := r.Type == gjson.String && r.Str != "" && len(r.Str) <= maxDataLen && plainText(r.Str, false)
		return r.Str, ok
	}
	if v.IsArray() {
		arr := v.Array()
		if len(arr) == 0 || len(arr) > maxDataValues {
			return nil, fieldError("data", "Field \"data\" must hold 1 to 100 values")
		}
		out := make([]string, 0, len(arr))
		for _, r := range arr {
			s, ok := one(r)
			if !ok {
				return nil, fieldError("data", "Field \"data\" holds an invalid value")
			}
			out = append(out, s)
		}
		return out, nil
	}
	s, ok := one(v)
	switch {
	case !v.Exists():
		return nil, fieldError("data", "Field \"data\" is required: a string or an array of strings")
	case !ok:
		return nil, fieldError("data", "Field \"data\" holds an invalid value")
	}
	return s, nil
}

// create posts a body the portal built and returns the created object(s),
// cut for the viewer, and the (first) new _id. It drops the case's cached
// share data and writes the audit event.
func (s *Server) create(ctx context.Context, kind config.Kind, caseID string, body []byte, markers gjson.Result, segments ...string) ([]byte, string, error) {
	_, resp, _, err := s.up.jsonCall(ctx, http.MethodPost, body, segments...)
	if err != nil {
		s.audit(ctx, auditEvent{Action: string(kind) + ".create", Case: caseID, Reason: "upstream_error", Status: statusOf(errUpstream(err))})
		return nil, "", errUpstream(err)
	}
	out, objID, err := s.cutCreated(ctx, kind, resp, markers)
	if err != nil {
		return nil, "", err
	}
	if kind == config.KindCase {
		caseID = objID
	} else {
		_ = s.cache.dropCase(ctx, caseID)
	}
	s.audit(ctx, auditEvent{Action: string(kind) + ".create", Case: caseID, Object: objID, Allowed: true, Reason: "profile_allows", Status: http.StatusCreated})
	return out, objID, nil
}
