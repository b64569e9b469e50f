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
	// done runs when the request is over (its answer written), e.g. to
	// give pooled buffers back; see afterRequest.
	done []func()
}

// afterRequest runs f once the request's answer has been written (or the
// request failed). Outside a request (no request state) f is dropped, and
// what it would release is left to the garbage collector.
func afterRequest(ctx context.Context, f func()) {
	if st := stateOf(ctx); st != nil {
		st.done = append(st.done, f)
	}
}

// finish runs the functions registered with afterRequest.
func (st *reqState) finish() {
	for _, f := range st.done {
		f()
	}
	st.done = nil
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
