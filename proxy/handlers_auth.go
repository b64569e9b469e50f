package proxy

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/thehive-portal/thehive-portal/proxy/auth"
	"github.com/thehive-portal/thehive-portal/proxy/session"
)

// handleLogin starts the OIDC sign-in; rd is an optional relative return
// path (anything else returns to /).
func (s *Server) handleLogin(c echo.Context) error {
	q := c.Request().URL.Query()
	for k := range q {
		if k != "rd" {
			return errBadRequest("Unknown query parameter")
		}
	}
	if err := s.auth.Begin(c.Response(), c.Request(), auth.SafeReturnTo(q.Get("rd"))); err != nil {
		return errUnavailable(err)
	}
	return nil
}

// handleCallback finishes the sign-in and starts a new session: a fresh
// id every time, and any session the browser held is deleted (fixation).
func (s *Server) handleCallback(c echo.Context) error {
	ctx := c.Request().Context()
	id, returnTo, err := s.auth.Finish(c.Response(), c.Request())
	if err != nil {
		ae := identityError(err)
		reason := "signin_failed"
		if ae.Reason == reasonIdPUnavailable {
			reason = ae.Reason
		}
		s.audit(ctx, auditEvent{Action: "auth.signin", Reason: reason, Status: ae.Status})
		return ae
	}
	profile, d := s.engine.Profile(id.Groups)
	if !d.Allow {
		s.audit(ctx, auditEvent{Action: "auth.signin", Reason: string(d.Reason), Status: http.StatusForbidden})
		return errForbidden(string(d.Reason))
	}
	if old, err := c.Cookie(s.cookieName()); err == nil && old.Value != "" {
		_ = s.sessions.Delete(ctx, old.Value)
		s.metrics.sessions.ended(old.Value)
	}
	sid, err := s.sessions.Create(ctx, session.Data{Subject: id.Subject, Issuer: id.Issuer, Email: id.Email,
		Groups: id.Groups, Profile: profile})
	if err != nil {
		return errUnavailable(err)
	}
	s.metrics.sessions.seen(sid)
	c.SetCookie(s.sessionCookie(sid, int(s.cfg.Session.TTL.Seconds())))
	st := stateOf(ctx)
	st.viewer.Email, st.via = id.Email, "session"
	s.audit(ctx, auditEvent{Action: "auth.signin", Allowed: true, Reason: d.Rule, Status: http.StatusSeeOther})
	return c.Redirect(http.StatusSeeOther, returnTo)
}

// handleLogout deletes the session. It needs the session's CSRF token (form
// field csrf or X-CSRF-Token header).
func (s *Server) handleLogout(c echo.Context) error {
	ctx := c.Request().Context()
	ck, err := c.Cookie(s.cookieName())
	if err != nil || ck.Value == "" {
		return errUnauthenticated()
	}
	d, err := s.sessions.Load(ctx, ck.Value)
	switch {
	case errors.Is(err, session.ErrNoSession):
		c.SetCookie(s.sessionCookie("", -1))
		return c.Redirect(http.StatusSeeOther, "/")
	case err != nil:
		return errUnavailable(err)
	}
	c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, 64<<10)
	token := c.Request().Header.Get("X-CSRF-Token")
	if token == "" {
		token = c.FormValue("csrf")
	}
	if err := s.checkCSRF(c, d.CSRF, token); err != nil {
		return err
	}
	if err := s.sessions.Delete(ctx, ck.Value); err != nil {
		return errUnavailable(err)
	}
	s.metrics.sessions.ended(ck.Value)
	c.SetCookie(s.sessionCookie("", -1))
	st := stateOf(ctx)
	st.viewer.Email, st.via = d.Email, "session"
	s.audit(ctx, auditEvent{Action: "auth.signout", Allowed: true, Status: http.StatusSeeOther})
	return c.Redirect(http.StatusSeeOther, "/")
}

// currentUser is GET /api/v1/user/current, built by the portal.
type currentUser struct {
	ID           string   `json:"_id"`
	Type         string   `json:"_type"`
	Login        string   `json:"login"`
	Name         string   `json:"name"`
	Email        string   `json:"email"`
	UserType     string   `json:"type"`
	Profile      string   `json:"profile"`
	Permissions  []string `json:"permissions"`
	Organisation string   `json:"organisation"`
	ExtraData    struct{} `json:"extraData"`
}

func (s *Server) handleCurrentUser(c echo.Context) error {
	st := stateOf(c.Request().Context())
	sum := sha256.Sum256([]byte(st.viewer.Email))
	u := currentUser{ID: "portal-" + hex.EncodeToString(sum[:8]), Type: "User", Login: st.viewer.Email,
		Name: st.viewer.Email, Email: st.viewer.Email, UserType: "External", Profile: st.viewer.Profile,
		Permissions: []string{}, Organisation: s.cfg.Upstream.Organisation}
	if st.via == "session" {
		// The browser's scripts and forms send it back on writes.
		c.Response().Header().Set("X-CSRF-Token", st.csrf)
	}
	for _, w := range s.engine.Writes(st.viewer) {
		u.Permissions = append(u.Permissions, "portal/"+string(w))
	}
	s.audit(c.Request().Context(), auditEvent{Action: "user.read", Allowed: true, Status: http.StatusOK})
	return c.JSON(http.StatusOK, u)
}
