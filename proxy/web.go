package proxy

import (
	"bytes"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/proxy/ui"
)

// registerWeb registers the web portal's pages: server-rendered by
// proxy/ui, signed in by the session cookie (webSession), every form
// checked for the session's CSRF token before anything else (readForm).
// Pages read and write through the same functions as the JSON API, so the
// same share checks, filter and write validation apply. A page never
// answers JSON: errors become pages (pageErrors).
func (s *Server) registerWeb(e *echo.Echo) {
	for _, a := range s.ui.Assets() {
		e.GET("/static/"+a.Name, assetHandler(a))
	}
	e.GET("/", s.handleHome, s.pageErrors)
	page := []echo.MiddlewareFunc{s.pageErrors, s.webSession, s.rateByUser}
	e.GET("/cases", s.handleCaseList, page...)
	e.GET("/cases/new", s.handleNewCase, page...)
	e.POST("/cases", s.handleCaseForm, page...)
	e.GET("/cases/:id", s.handleCasePage, page...)
	e.POST("/cases/:id/comments", s.handleCommentForm, page...)
	e.POST("/cases/:id/attachments", s.handleUploadForm, page...)
	e.POST("/cases/:id/observables", s.handleObservableForm, page...)
	// The same checks as the API's download: an attachment of that case
	// that the viewer may see, always sent as a download.
	e.GET("/cases/:id/attachments/:aid", s.handleDownload, page...)
	// A reload of a form's answer page (its URL is the form's action)
	// goes back to the case.
	for _, p := range []string{"/cases/:id/comments", "/cases/:id/attachments", "/cases/:id/observables"} {
		e.GET(p, s.handleBackToCase, page...)
	}
}

// assetHandler serves one embedded asset. Pages link to it with a version
// hash, so it may be cached.
func assetHandler(a ui.Asset) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Cache-Control", "public, max-age=86400")
		h.Del("Pragma")
		return c.Blob(http.StatusOK, a.ContentType, a.Body)
	}
}

// handleHome is the sign-in page, or the case list for a signed-in user
// (rendered in place, so "/" stays the address after signing in).
func (s *Server) handleHome(c echo.Context) error {
	if ck, err := c.Cookie(s.cookieName()); err != nil || ck.Value == "" {
		return s.renderPage(c, http.StatusOK, ui.SignIn{Layout: ui.Layout{Title: "Sign in"}, ReturnTo: "/cases"})
	}
	return s.webSession(s.rateByUser(s.handleCaseList))(c)
}

// handleBackToCase sends a GET of a form's address to the case page.
func (s *Server) handleBackToCase(c echo.Context) error {
	ref, err := caseRef(c.Param("id"))
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/cases/"+ref.String())
}

// renderPage answers with the page of v.
func (s *Server) renderPage(c echo.Context, status int, v ui.View) error {
	var buf bytes.Buffer
	if err := s.ui.Render(&buf, v); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// layout is the frame of a page for the request's user (none when the
// request is not signed in).
func (s *Server) layout(c echo.Context, title, section string) ui.Layout {
	l := ui.Layout{Title: title, Section: section}
	if st := stateOf(c.Request().Context()); st != nil && st.authenticated {
		l.User, l.CSRF = st.viewer.Email, st.csrf
		l.CanCreate = s.engine.Allows(st.viewer, config.WriteCase).Allow
	}
	return l
}
