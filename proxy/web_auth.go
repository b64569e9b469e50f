package proxy

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/thehive-portal/thehive-portal/policy"
	"github.com/thehive-portal/thehive-portal/proxy/auth"
	"github.com/thehive-portal/thehive-portal/proxy/session"
	"github.com/thehive-portal/thehive-portal/proxy/ui"
)

// maxCSRFField bounds the csrf field of a multipart form.
const maxCSRFField = 256

// webSession signs a page request in with the session cookie, as
// authenticate does for the API, but answers with pages: no cookie, the
// sign-in page; a cookie whose session ended, the "session expired" page
// (both 401, with a sign-in that comes back here); a user whom no profile
// admits, "not authorised" (403). It does not check CSRF: a POST handler
// reads its form only through readForm, which does.
func (s *Server) webSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		ck, err := c.Cookie(s.cookieName())
		if err != nil || ck.Value == "" {
			return s.renderPage(c, http.StatusUnauthorized, ui.SignIn{Layout: ui.Layout{Title: "Sign in"},
				ReturnTo: returnPath(c), Notice: "Sign in to see this page."})
		}
		d, err := s.sessions.Load(ctx, ck.Value)
		switch {
		case errors.Is(err, session.ErrNoSession):
			s.metrics.sessions.ended(ck.Value)
			c.SetCookie(s.sessionCookie("", -1))
			return s.expiredPage(c)
		case err != nil:
			return errUnavailable(err)
		}
		st := stateOf(ctx)
		st.viewer = policy.Viewer{Email: d.Email, Groups: d.Groups}
		st.subject, st.via, st.session, st.csrf = d.Issuer+" "+d.Subject, "session", ck.Value, d.CSRF
		st.log = st.log.With("user", d.Email)
		profile, dec := s.engine.Profile(d.Groups)
		if !dec.Allow {
			l := ui.Layout{Title: "Not authorised", User: d.Email, CSRF: d.CSRF}
			return s.renderPage(c, http.StatusForbidden, notAuthorised(l))
		}
		s.metrics.sessions.seen(ck.Value)
		if err := s.sessions.Touch(ctx, ck.Value, d); err != nil {
			s.requestLogger(c).Warn("session touch failed", "err", err)
		}
		st.viewer.Profile, st.authenticated = profile, true
		return next(c)
	}
}

// returnPath is where a sign-in started from this request comes back to:
// the page itself (a form's address leads back to its case).
func returnPath(c echo.Context) string {
	r := c.Request()
	if r.Method == http.MethodGet {
		return auth.SafeReturnTo(r.URL.RequestURI())
	}
	return auth.SafeReturnTo(r.URL.EscapedPath())
}

func (s *Server) expiredPage(c echo.Context) error {
	return s.renderPage(c, http.StatusUnauthorized, ui.Message{Layout: ui.Layout{Title: "Session expired"},
		Heading: "Your session has expired",
		Text:    "You were signed out after a time without activity, or because your session reached its end. Sign in again to continue.",
		LinkURL: "/auth/login?rd=" + url.QueryEscape(returnPath(c)), LinkText: "Sign in again"})
}

func notAuthorised(l ui.Layout) ui.Message {
	return ui.Message{Layout: l, Heading: "Not authorised",
		Text: "You are signed in, but your account has no access to this portal. Ask the security team to give you access."}
}

// webForm is a posted form whose CSRF token was checked: the fields of a
// urlencoded form, or for a multipart form the reader after its first
// part, csrf (the file parts follow).
type webForm struct {
	values url.Values
	parts  *multipart.Reader
}

// readForm reads a posted form and checks its csrf field against the
// session (and the request's origin) before anything else happens: a
// urlencoded body of at most limits.max_body_bytes, or a multipart body
// whose first part must be csrf (nothing of it is streamed before that).
// Any other encoding is refused.
func (s *Server) readForm(c echo.Context) (*webForm, error) {
	mt, _, _ := mime.ParseMediaType(c.Request().Header.Get("Content-Type"))
	switch mt {
	case "multipart/form-data":
		return s.readMultipartForm(c)
	case "application/x-www-form-urlencoded":
		return s.readURLEncodedForm(c)
	}
	return nil, errForbidden("csrf_content_type")
}

func (s *Server) readMultipartForm(c echo.Context) (*webForm, error) {
	mr, err := s.multipartIn(c)
	if err != nil {
		return nil, err
	}
	p, err := nextPart(mr)
	if err != nil || p.FormName() != "csrf" || p.FileName() != "" {
		return nil, errForbidden("csrf_token")
	}
	token, err := io.ReadAll(io.LimitReader(p, maxCSRFField))
	if err != nil {
		return nil, errForbidden("csrf_token")
	}
	if err := s.checkCSRF(c, stateOf(c.Request().Context()).csrf, string(token)); err != nil {
		return nil, err
	}
	return &webForm{parts: mr}, nil
}

func (s *Server) readURLEncodedForm(c echo.Context) (*webForm, error) {
	r := c.Request()
	r.Body = http.MaxBytesReader(c.Response(), r.Body, int64(s.cfg.Limits.MaxBodyBytes))
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, errTooLarge()
		}
		return nil, errBadRequest("Unreadable form")
	}
	if err := s.checkCSRF(c, stateOf(r.Context()).csrf, r.PostForm.Get("csrf")); err != nil {
		return nil, err
	}
	return &webForm{values: r.PostForm}, nil
}
