package proxy

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/thehive-portal/thehive-portal/policy"
	"github.com/thehive-portal/thehive-portal/proxy/auth"
	"github.com/thehive-portal/thehive-portal/proxy/session"
)

// cookieName is the session cookie: __Host- and Secure on https.
func (s *Server) cookieName() string {
	if s.secure() {
		return "__Host-portal"
	}
	return "portal"
}

func (s *Server) secure() bool { return strings.HasPrefix(s.cfg.PublicURL, "https://") }

func (s *Server) sessionCookie(value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: s.cookieName(), Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.secure(), SameSite: http.SameSiteLaxMode}
}

// authenticate finds who is asking: a bearer token when an Authorization
// header is present (and then only it), else the session cookie. Unsafe
// methods authenticated by cookie need the session's CSRF token in
// X-CSRF-Token. No identity: 401. The session store down: 503.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		st := stateOf(r.Context())
		var err error
		if h, ok := r.Header["Authorization"]; ok {
			err = s.fromBearer(c, st, h)
		} else {
			err = s.fromSession(c, st)
		}
		if err != nil {
			return err
		}
		profile, d := s.engine.Profile(st.viewer.Groups)
		if !d.Allow {
			return errForbidden(string(d.Reason))
		}
		st.viewer.Profile = profile
		st.authenticated = true
		st.log = st.log.With("user", st.viewer.Email)
		return next(c)
	}
}

func (s *Server) fromBearer(c echo.Context, st *reqState, h []string) error {
	raw, ok := strings.CutPrefix(h[0], "Bearer ")
	if len(h) != 1 || !ok || raw == "" {
		return errUnauthenticated()
	}
	id, err := s.auth.VerifyBearer(c.Request().Context(), raw)
	if err != nil {
		ae := errUnauthenticated()
		ae.Cause, ae.Reason = err, "bearer_rejected"
		return ae
	}
	st.viewer = policy.Viewer{Email: id.Email, Groups: id.Groups}
	st.subject, st.via = id.Issuer+" "+id.Subject, "bearer"
	return nil
}

func (s *Server) fromSession(c echo.Context, st *reqState) error {
	ck, err := c.Cookie(s.cookieName())
	if err != nil || ck.Value == "" {
		return errUnauthenticated()
	}
	ctx := c.Request().Context()
	d, err := s.sessions.Load(ctx, ck.Value)
	switch {
	case errors.Is(err, session.ErrNoSession):
		s.metrics.sessions.ended(ck.Value)
		c.SetCookie(s.sessionCookie("", -1))
		return errUnauthenticated()
	case err != nil:
		return errUnavailable(err)
	}
	if c.Request().Method != http.MethodGet && c.Request().Method != http.MethodHead {
		if err := s.checkCSRF(c, d.CSRF, c.Request().Header.Get("X-CSRF-Token")); err != nil {
			return err
		}
	}
	s.metrics.sessions.seen(ck.Value)
	if err := s.sessions.Touch(ctx, ck.Value, d); err != nil {
		s.requestLogger(c).Warn("session touch failed", "err", err)
	}
	st.viewer = policy.Viewer{Email: d.Email, Groups: d.Groups}
	st.subject, st.via, st.session, st.csrf = d.Issuer+" "+d.Subject, "session", ck.Value, d.CSRF
	return nil
}

// checkCSRF compares the token in constant time and refuses a request
// whose Origin (when sent) is not the portal's.
func (s *Server) checkCSRF(c echo.Context, want, got string) error {
	if origin := c.Request().Header.Get("Origin"); origin != "" && origin != s.origin() {
		return errForbidden("csrf_origin")
	}
	if c.Request().Header.Get("Sec-Fetch-Site") == "cross-site" {
		return errForbidden("csrf_cross_site")
	}
	if want == "" || subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
		return errForbidden("csrf_token")
	}
	return nil
}

// origin is the scheme://host of the public URL.
func (s *Server) origin() string {
	u, err := url.Parse(s.cfg.PublicURL)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// reasonIdPUnavailable: a sign-in failed because the IdP could not be
// reached (its error page says so).
const reasonIdPUnavailable = "idp_unavailable"

// identityError maps a sign-in failure to an answer.
func identityError(err error) *apiError {
	// The IdP gave no answer or a 5xx to the code exchange: the sign-in
	// service is down, not the user's sign-in wrong.
	var ee *auth.ExchangeError
	if errors.As(err, &ee) && (ee.Status == 0 || ee.Status >= 500) {
		ae := errUnavailable(err)
		ae.Reason = reasonIdPUnavailable
		return ae
	}
	ae := errUnauthenticated()
	ae.Cause = err
	if errors.Is(err, auth.ErrEmailNotVerified) {
		ae.Reason = "email_not_verified"
	}
	return ae
}
