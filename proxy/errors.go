package proxy

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"
)

// apiError is an answer in TheHive's error shape, {"type","message"}. Its
// Cause goes to the log, never to the client.
type apiError struct {
	Status  int    `json:"-"`
	Type    string `json:"type"`
	Message string `json:"message"`
	Cause   error  `json:"-"`
	// Reason is the policy reason of a denial, for logs and audit.
	Reason string `json:"-"`
	// Field names the input field a BadRequest is about, when one is (the
	// web forms show the message next to it).
	Field string `json:"-"`
}

func (e *apiError) Error() string {
	if e.Cause != nil {
		return e.Type + ": " + e.Message + ": " + e.Cause.Error()
	}
	return e.Type + ": " + e.Message
}

func (e *apiError) Unwrap() error { return e.Cause }

// The answers the portal gives. Denials are never 5xx: thehive4py retries
// 5xx answers, POST included.
func errBadRequest(msg string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Type: "BadRequest", Message: msg}
}

func errUnauthenticated() *apiError {
	return &apiError{Status: http.StatusUnauthorized, Type: "AuthenticationError", Message: "Authentication failure"}
}

func errForbidden(reason string) *apiError {
	return &apiError{Status: http.StatusForbidden, Type: "AuthorizationError", Message: "Operation not permitted", Reason: reason}
}

// errCaseNotFound is the one answer for a case that is missing and for one
// that is not shared: byte-identical.
func errCaseNotFound(reason string) *apiError {
	return &apiError{Status: http.StatusNotFound, Type: "NotFoundError", Message: "Case not found", Reason: reason}
}

func errNotFound(what, reason string) *apiError {
	return &apiError{Status: http.StatusNotFound, Type: "NotFoundError", Message: what + " not found", Reason: reason}
}

func errTooLarge() *apiError {
	return &apiError{Status: http.StatusRequestEntityTooLarge, Type: "BadRequest", Message: "Request too large"}
}

func errRateLimited() *apiError {
	return &apiError{Status: http.StatusTooManyRequests, Type: "BadRequest", Message: "Too many requests"}
}

// errUpstream: TheHive failed or answered something the portal will not
// pass on. The message is generic.
func errUpstream(cause error) *apiError {
	status := http.StatusBadGateway
	if errors.Is(cause, context.DeadlineExceeded) {
		status = http.StatusGatewayTimeout
	}
	return &apiError{Status: status, Type: "InternalError", Message: "Upstream error", Cause: cause}
}

// errUnavailable: a dependency (Redis, the IdP) is down; fail closed.
func errUnavailable(cause error) *apiError {
	return &apiError{Status: http.StatusServiceUnavailable, Type: "InternalError", Message: "Service unavailable", Cause: cause}
}

// handleError is the one HTTP error boundary: it maps every error to a
// status and a JSON body (an HTML page for a browser's navigation outside
// the API) and logs the cause.
func (s *Server) handleError(err error, c echo.Context) {
	s.answerError(c, err, isNavigation(c.Request()))
}

// answerError answers err: with a page when page is set (the web portal's
// routes, see pageErrors), else in TheHive's JSON error shape.
func (s *Server) answerError(c echo.Context, err error, page bool) {
	if c.Response().Committed {
		return
	}
	ae := toAPIError(err)
	s.metrics.denied(ae)
	log := s.requestLogger(c)
	switch {
	case ae.Status >= 500:
		log.Error("request failed", "status", ae.Status, "err", ae.Error())
	case ae.Cause != nil:
		log.Debug("request refused", "status", ae.Status, "err", ae.Error())
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(ae.Status)
		return
	}
	if page {
		s.errorPage(c, ae)
		return
	}
	_ = c.JSON(ae.Status, ae)
}

// toAPIError maps any error to an apiError; unknown errors become a
// generic 500 (logged with their cause).
func toAPIError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		switch he.Code {
		case http.StatusNotFound:
			return &apiError{Status: http.StatusNotFound, Type: "NotFoundError", Message: "Not found"}
		case http.StatusMethodNotAllowed:
			return &apiError{Status: http.StatusMethodNotAllowed, Type: "BadRequest", Message: "Method not allowed"}
		case http.StatusRequestEntityTooLarge:
			return errTooLarge()
		case http.StatusServiceUnavailable:
			return errUnavailable(err)
		}
		if he.Code >= 400 && he.Code < 500 {
			return &apiError{Status: he.Code, Type: "BadRequest", Message: http.StatusText(he.Code), Cause: err}
		}
	}
	return &apiError{Status: http.StatusInternalServerError, Type: "InternalError", Message: "Internal error", Cause: err}
}

// requestLogger returns the logger of the request (with its id).
func (s *Server) requestLogger(c echo.Context) *slog.Logger {
	if st := stateOf(c.Request().Context()); st != nil && st.log != nil {
		return st.log
	}
	return s.log
}
