package thehivetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// ErrNotFound is returned by the direct store accessors for unknown ids.
var ErrNotFound = errors.New("thehivetest: not found")

// apiError is TheHive's error JSON: {"type","message"} plus optional "errors".
type apiError struct {
	status  int
	Type    string      `json:"type"`
	Message string      `json:"message"`
	Errors  []attrError `json:"errors,omitempty"`
}

func (e *apiError) Error() string { return e.Type + ": " + e.Message }

// attrError is one item of an AttributeCheckingError.
type attrError struct {
	Type    string `json:"type"`
	Name    string `json:"name"`
	Message string `json:"message"`
	Format  string `json:"format,omitempty"`
	Value   string `json:"value,omitempty"`
}

func errBadRequest(format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, Type: "BadRequest", Message: fmt.Sprintf(format, args...)}
}

func errNotFound(msg string) *apiError {
	return &apiError{status: http.StatusNotFound, Type: "NotFoundError", Message: msg}
}

func errAuthentication() *apiError {
	return &apiError{status: http.StatusUnauthorized, Type: "AuthenticationError", Message: "Authentication failure"}
}

func errAuthorization(msg string) *apiError {
	return &apiError{status: http.StatusForbidden, Type: "AuthorizationError", Message: msg}
}

func errTooLarge() *apiError {
	return &apiError{status: http.StatusRequestEntityTooLarge, Type: "Unknown", Message: "Request Entity Too Large"}
}

func errAttributes(errs []attrError) *apiError {
	parts := make([]string, len(errs))
	for i, e := range errs {
		parts[i] = e.Message
	}
	return &apiError{
		status: http.StatusBadRequest, Type: "AttributeCheckingError",
		Message: "[" + strings.Join(parts, "\n") + "]", Errors: errs,
	}
}

func missingAttr(name string) attrError {
	return attrError{Type: "MissingAttributeError", Name: name, Message: "Attribute " + name + " is missing"}
}

func invalidAttr(name, format string, raw []byte) attrError {
	return attrError{
		Type: "InvalidFormatAttributeError", Name: name, Format: format, Value: string(raw),
		Message: fmt.Sprintf("Invalid format for %s: %s, expected %s", name, raw, format),
	}
}

// errorFor maps any error to the error JSON TheHive would send.
func errorFor(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	if errors.Is(err, ErrNotFound) {
		return errNotFound("Not found")
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errTooLarge()
	}
	return &apiError{status: http.StatusInternalServerError, Type: "InternalError", Message: err.Error()}
}

func writeError(w http.ResponseWriter, err error) {
	ae := errorFor(err)
	writeJSON(w, ae.status, ae)
}

// writeJSON writes v as a JSON response with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"type":"InternalError","message":"encode response"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeNoContent(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }
