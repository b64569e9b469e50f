package proxy

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/tidwall/gjson"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/filter"
	"github.com/thehive-portal/thehive-portal/proxy/query"
)

// handleGetCase is GET /api/v1/case/{id}.
func (s *Server) handleGetCase(c echo.Context) error {
	ref, err := caseRef(c.Param("id"))
	if err != nil {
		s.audit(c.Request().Context(), auditEvent{Action: "case.read", Reason: "bad_id", Status: http.StatusNotFound})
		return err
	}
	out, err := s.readCase(c.Request().Context(), ref)
	if err != nil {
		return err
	}
	return jsonAnswer(c, out)
}

// readCase reads a case from TheHive and cuts it for the viewer; a hidden
// or missing case is errCaseNotFound.
func (s *Server) readCase(ctx context.Context, ref query.CaseRef) ([]byte, error) {
	obj, out, reason, err := s.fetchVisibleCase(ctx, ref)
	if err != nil {
		s.audit(ctx, auditEvent{Action: "case.read", Case: ref.String(), Reason: reasonOf(err), Status: statusOf(err)})
		return nil, err
	}
	if out == nil {
		// A fresh read that shows the case hidden also ends what the share
		// cache may still hold for it (a revocation seen here applies at
		// once). Allowed reads write nothing to the cache.
		_ = s.cache.dropCase(ctx, obj.Get("_id").Str)
		s.audit(ctx, auditEvent{Action: "case.read", Case: ref.String(), Reason: reason, Status: http.StatusNotFound})
		return nil, errCaseNotFound(reason)
	}
	s.audit(ctx, auditEvent{Action: "case.read", Case: ref.String(), Allowed: true, Reason: reason, Status: http.StatusOK})
	return out, nil
}

// fetchVisibleCase reads a case from TheHive and cuts it for the viewer,
// validating the answer once: out is nil when the viewer may not see it;
// reason is the policy's.
func (s *Server) fetchVisibleCase(ctx context.Context, ref query.CaseRef) (obj gjson.Result, out []byte, reason string, err error) {
	body, err := s.fetchCaseBody(ctx, ref)
	if err != nil {
		return obj, nil, "", err
	}
	// One validates the body before anything reads it.
	out, visible, reason := s.oneVisible(ctx, config.KindCase, body, gjson.Result{})
	if reason == "upstream" {
		return obj, nil, "", errUpstream(errBadUpstream)
	}
	// The answer counts only once it is known to be the case asked for.
	if obj, err = caseAnswer(ref, body); err != nil {
		return obj, nil, "", err
	}
	if !visible {
		out = nil
	}
	return obj, out, reason, nil
}

// oneVisible decides and cuts one object of kind for the viewer. reason is
// the policy's reason, or "upstream" when the JSON was refused.
func (s *Server) oneVisible(ctx context.Context, kind config.Kind, body []byte, caseObj gjson.Result) ([]byte, bool, string) {
	v := stateOf(ctx).viewer
	reason := ""
	scope := filter.Scope{ServiceLogin: s.serviceLogin, Visible: func(it gjson.Result) bool {
		d := s.engine.Decide(v, kind, it, caseObj)
		reason = string(d.Reason)
		if d.Allow {
			reason = d.Rule
		}
		return d.Allow
	}}
	out, visible, err := s.filter.One(kind, body, scope)
	s.metrics.filtered(len(body), len(out))
	if err != nil {
		return nil, false, "upstream"
	}
	return out, visible, reason
}

func statusOf(err error) int { return toAPIError(err).Status }
