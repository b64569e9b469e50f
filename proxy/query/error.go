package query

import (
	"fmt"
	"net/http"
)

// Error is a rejected query in TheHive's error shape: Type is always
// "BadRequest" and Status always 400. Message is short and never echoes
// more of the input than an operation index or a fixed keyword, so it is
// safe to return to the client and to log.
type Error struct {
	Status  int    `json:"-"`
	Type    string `json:"type"`
	Message string `json:"message"`
}

// Error returns "BadRequest: <message>".
func (e *Error) Error() string { return e.Type + ": " + e.Message }

// bad builds an *Error. format and args must come from this package (fixed
// text, indices), never from the client's input.
func bad(format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Type: "BadRequest", Message: fmt.Sprintf(format, args...)}
}
