package proxy

import (
	"context"
	"log/slog"

	"github.com/thehive-portal/thehive-portal/policy"
)

// reqState is what the middleware learns about one request: its id, its
// logger, and who is asking. Handlers read it with stateOf.
type reqState struct {
	id      string
	log     *slog.Logger
	viewer  policy.Viewer
	subject string // the IdP subject, for audit
	via     string // "session" or "bearer"
	session string // the session id, when via is "session"
	csrf    string // the session's CSRF token
	// authenticated is set once the viewer is known.
	authenticated bool
}

type stateKey struct{}

// withState stores st in ctx.
func withState(ctx context.Context, st *reqState) context.Context {
	return context.WithValue(ctx, stateKey{}, st)
}

// stateOf returns the request state, or nil outside the middleware.
func stateOf(ctx context.Context) *reqState {
	st, _ := ctx.Value(stateKey{}).(*reqState)
	return st
}
