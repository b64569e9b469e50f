package thehivetest

import (
	"net/http"
	"path"
)

// handlerFunc is a route handler; a returned error is written as TheHive error JSON.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// routes registers every TheHive route the simulator knows. Routing happens before
// authentication, as in TheHive: an unknown route is a 404 even without a key.
func (s *Sim) routes() http.Handler {
	mux := http.NewServeMux()
	open := func(p string, h handlerFunc) { mux.Handle(p, s.wrap(h, false)) }
	auth := func(p string, h handlerFunc) { mux.Handle(p, s.wrap(h, true)) }
	open("GET /api/v1/status", s.handleStatus)
	open("GET /api/v1/status/public", s.handleStatus)
	auth("GET /api/v1/user/current", s.handleCurrentUser)
	auth("POST /api/v1/query", s.handleQuery)

	auth("POST /api/v1/case", s.handleCreateCase)
	auth("GET /api/v1/case/{id}", s.handleGetCase)
	auth("PATCH /api/v1/case/{id}", s.handleUpdateCase)
	auth("DELETE /api/v1/case/{id}", s.handleDeleteCase)
	auth("POST /api/v1/case/{id}/access", s.handleCaseAccess)
	auth("POST /api/v1/case/{id}/comment", s.handleCreateCaseComment)
	auth("POST /api/v1/case/{id}/attachments", s.handleUploadAttachments)
	auth("GET /api/v1/case/{id}/attachment/{aid}/download", s.handleCaseAttachmentDownload)
	auth("GET /api/v1/case/{id}/attachment/{aid}", s.handleCaseAttachmentDownload)
	auth("PATCH /api/v1/case/{id}/attachment/{aid}", s.handleUpdateAttachment)
	auth("DELETE /api/v1/case/{id}/attachment/{aid}", s.handleDeleteAttachment)
	auth("POST /api/v1/case/{id}/observable", s.handleCreateObservables)
	auth("POST /api/v1/case/{id}/task", s.handleCreateTask)

	auth("PATCH /api/v1/comment/{id}", s.handleUpdateComment)
	auth("DELETE /api/v1/comment/{id}", s.handleDeleteComment)
	auth("GET /api/v1/attachment/{aid}", s.handleOrgAttachmentDownload)
	auth("GET /api/v1/attachment/{aid}/download", s.handleOrgAttachmentDownload)

	auth("GET /api/v1/observable/{id}", s.handleGetObservable)
	auth("PATCH /api/v1/observable/{id}", s.handleUpdateObservable)
	auth("DELETE /api/v1/observable/{id}", s.handleDeleteObservable)
	auth("GET /api/v1/observable/{id}/attachment/{aid}", s.handleObservableDownload)
	auth("GET /api/v1/observable/{id}/attachment/{aid}/download", s.handleObservableDownload)

	auth("GET /api/v1/task/{id}", s.handleGetTask)
	auth("PATCH /api/v1/task/{id}", s.handleUpdateTask)
	auth("DELETE /api/v1/task/{id}", s.handleDeleteTask)
	auth("POST /api/v1/task/{id}/log", s.handleCreateLog)
	auth("PATCH /api/v1/log/{id}", s.handleUpdateLog)
	auth("DELETE /api/v1/log/{id}", s.handleDeleteLog)
	auth("GET /api/v1/log/{id}/attachment/{aid}", s.handleLogDownload)
	auth("GET /api/v1/log/{id}/attachment/{aid}/download", s.handleLogDownload)

	auth("POST /api/v1/alert", s.handleCreateAlert)
	auth("GET /api/v1/alert/{id}", s.handleGetAlert)
	auth("POST /api/v1/alert/{id}/comment", s.handleCreateAlertComment)
	mux.HandleFunc("/", notFound)
	return cleanPathsOnly(mux)
}

func (s *Sim) wrap(h handlerFunc, needAuth bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if needAuth {
			authed, err := s.authenticate(r)
			if err != nil {
				writeError(w, err)
				return
			}
			r = authed
		}
		if err := h(w, r); err != nil {
			writeError(w, err)
		}
	})
}

// notFound answers an unknown route like TheHive: 404 with the path as message.
func notFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, errNotFound(r.URL.Path))
}

// cleanPathsOnly answers 404 for paths with empty or dot segments or a trailing
// slash, instead of ServeMux's redirect, since TheHive has no route for them.
func cleanPathsOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "" || path.Clean(r.URL.Path) != r.URL.Path {
			notFound(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// middleware wraps the routes with the request log and the fault hooks.
func (s *Sim) middleware(h http.Handler) http.Handler {
	return s.rec.middleware(s.faults.middleware(h))
}
