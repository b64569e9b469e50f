package proxy

import (
	"bytes"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/thehive-portal/thehive-portal/explain"
)

// registerExplain adds GET /admin/explain to the admin listener's Echo.
// registerAdmin calls it; it must never be registered on the public
// listener: the report names hidden items and lists case tags.
func (s *Server) registerExplain(e *echo.Echo) {
	e.GET("/admin/explain", s.handleExplain)
}

// maxExplainGroups bounds the group parameters of one preview.
const maxExplainGroups = 100

// explainParams are the query parameters GET /admin/explain accepts.
var explainParams = map[string]bool{"user": true, "group": true, "case": true, "format": true}

// handleExplain is GET /admin/explain?user=EMAIL&group=G…&case=ID
// [&format=text]: the preview of `thehive-portal explain`, as JSON (the
// default) or as the text tables.
func (s *Server) handleExplain(c echo.Context) error {
	q := c.Request().URL.Query()
	for k, vs := range q {
		if !explainParams[k] || (k != "group" && len(vs) != 1) {
			return errBadRequest("Use user=EMAIL, case=ID, optional group=G (repeatable) and format=json|text")
		}
	}
	if len(q["group"]) > maxExplainGroups {
		return errBadRequest("Too many groups")
	}
	format := q.Get("format")
	if format != "" && format != "json" && format != "text" {
		return errBadRequest("format must be json or text")
	}
	ctx := c.Request().Context()
	v := explain.Viewer{Email: q.Get("user"), Groups: q["group"]}
	r, err := s.explainer().Explain(ctx, v, q.Get("case"))
	switch {
	case errors.Is(err, ErrBadExplainInput):
		return &apiError{Status: http.StatusBadRequest, Type: "BadRequest", Message: err.Error()}
	case errors.Is(err, explain.ErrCaseNotFound):
		return errNotFound("Case", "missing")
	case err != nil:
		return errUpstream(err)
	}
	s.requestLogger(c).Info("explain", "user", v.Email, "groups", v.Groups, "case", r.Case.ID, "shown", r.Case.Shown)
	c.Response().Header().Set("Cache-Control", "no-store")
	if format != "text" {
		return c.JSON(http.StatusOK, r)
	}
	var buf bytes.Buffer
	if err := r.WriteText(&buf); err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "text/plain; charset=utf-8", buf.Bytes())
}
