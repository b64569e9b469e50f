package proxy

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/thehive-portal/thehive-portal/policy"
	"github.com/thehive-portal/thehive-portal/proxy/ui"
)

// pageErrors answers the errors of a page's handler with an HTML page
// (logged as handleError logs), never with JSON.
func (s *Server) pageErrors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := next(c); err != nil {
			s.answerError(c, err, true)
		}
		return nil
	}
}

// isNavigation reports a browser's top-level navigation (a link or a
// form) outside the API and the webhooks, e.g. the end of a sign-in: its
// errors are pages. API clients never send Sec-Fetch-Mode: navigate.
func isNavigation(r *http.Request) bool {
	if r.Header.Get("Sec-Fetch-Mode") != "navigate" {
		return false
	}
	p := r.URL.Path
	return !strings.HasPrefix(p, "/api/") && !strings.HasPrefix(p, "/hooks/")
}

// errorPage answers ae with a page that says what happened in plain words
// and offers a way on. It shows the portal's own messages only.
func (s *Server) errorPage(c echo.Context, ae *apiError) {
	v := errorView(ae)
	v.Layout = s.layout(c, v.Heading, "")
	if ae.Status >= 500 {
		if st := stateOf(c.Request().Context()); st != nil {
			v.RequestID = st.id
		}
	}
	if err := s.renderPage(c, ae.Status, v); err != nil {
		s.requestLogger(c).Error("error page failed", "err", err)
		_ = c.String(ae.Status, http.StatusText(ae.Status))
	}
}

// errorView words an error for a person.
func errorView(ae *apiError) ui.Message {
	cases := func(m ui.Message) ui.Message {
		m.LinkURL, m.LinkText = "/cases", "Back to the cases"
		return m
	}
	switch {
	case ae.Status == http.StatusUnauthorized:
		m := ui.Message{Heading: "Sign-in needed",
			Text:    "The sign-in did not succeed, or you are signed out. Sign in to continue.",
			LinkURL: "/auth/login?rd=/cases", LinkText: "Sign in"}
		if ae.Reason == "email_not_verified" {
			m.Text = "Your sign-in provider has not verified your email address, so the portal cannot let you in."
		}
		return m
	case ae.Status == http.StatusForbidden && strings.HasPrefix(ae.Reason, "csrf_"):
		return cases(ui.Message{Heading: "This form could not be accepted",
			Text: "The form did not come from this portal's page, or your session changed since the page was loaded. Go back, reload the page and send it again."})
	case ae.Status == http.StatusForbidden && ae.Reason == string(policy.ReasonNoProfile):
		return notAuthorised(ui.Layout{})
	case ae.Status == http.StatusForbidden:
		return cases(ui.Message{Heading: "Not allowed", Text: "Your profile in this portal does not allow this."})
	case ae.Status == http.StatusNotFound || ae.Status == http.StatusMethodNotAllowed:
		return cases(ui.Message{Heading: "Not found",
			Text: "This page does not exist, or what it shows is not shared with you."})
	case ae.Status == http.StatusRequestEntityTooLarge:
		return cases(ui.Message{Heading: "Too large", Text: "What you sent is larger than this portal accepts."})
	case ae.Status == http.StatusTooManyRequests:
		return cases(ui.Message{Heading: "Too many requests", Text: "Wait a minute, then try again."})
	case ae.Status < 500:
		return cases(ui.Message{Heading: "Request not accepted", Text: ae.Message + "."})
	case ae.Reason == reasonIdPUnavailable:
		return ui.Message{Heading: "Sign-in is unavailable",
			Text:    "The sign-in service cannot be reached just now, so the portal cannot sign you in. Try again in a few minutes.",
			LinkURL: "/auth/login?rd=/cases", LinkText: "Try again"}
	}
	return cases(ui.Message{Heading: "Something went wrong",
		Text: "The portal could not complete this request. Try again in a moment; if it keeps failing, tell the security team."})
}
