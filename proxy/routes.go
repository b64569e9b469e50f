package proxy

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// routes is the one place routes are registered. Everything not listed is
// a 404; there is no catch-all.
func (s *Server) routes() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = echo.ExtractIPDirect()
	e.Pre(s.observeRequests, s.requestState, pathGuard)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, LogErrorFunc: s.logPanic}))

	e.GET("/healthz", func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"status": "ok"}) })
	s.registerOps(e)
	s.registerWeb(e)

	e.GET("/auth/login", s.handleLogin, s.rateByIP)
	e.GET("/auth/callback", s.handleCallback, s.rateByIP)
	e.POST("/auth/logout", s.handleLogout, s.rateByIP)
	e.POST("/hooks/thehive", s.handleWebhook)

	api := e.Group("/api/v1", s.authenticate, s.rateByUser, s.noQueryString)
	api.GET("/user/current", s.handleCurrentUser)
	api.GET("/case/:id", s.handleGetCase)
	api.POST("/case", s.handleCreateCase)
	api.POST("/case/:id/comment", s.handleCreateComment)
	api.POST("/case/:id/attachments", s.handleUpload)
	api.GET("/case/:id/attachment/:aid/download", s.handleDownload)
	api.POST("/case/:id/observable", s.handleCreateObservable)
	// The query route takes ?name= (thehive4py's label), checked by the
	// query parser.
	e.POST("/api/v1/query", s.handleQuery, s.authenticate, s.rateByUser)
	return e
}

// noQueryString refuses any query string: TheHive merges query-string keys
// into request fields, so none may reach it and none is expected.
func (s *Server) noQueryString(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Request().URL.RawQuery != "" || c.Request().URL.ForceQuery {
			return errBadRequest("Query string parameters are not accepted")
		}
		return next(c)
	}
}

// rateByUser applies the per-user rate limit (after authenticate).
func (s *Server) rateByUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		st := stateOf(c.Request().Context())
		if st == nil || !s.limiter.allow("user:"+st.viewer.Email) {
			s.metrics.rateLimited.WithLabelValues("user").Inc()
			return errRateLimited()
		}
		return next(c)
	}
}

// rateByIP applies the rate limit per peer address (sign-in routes).
func (s *Server) rateByIP(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !s.limiter.allow("ip:" + c.RealIP()) {
			s.metrics.rateLimited.WithLabelValues("ip").Inc()
			return errRateLimited()
		}
		return next(c)
	}
}

func (s *Server) logPanic(c echo.Context, err error, stack []byte) error {
	s.requestLogger(c).Error("panic", "err", err, "stack", string(stack))
	return &apiError{Status: http.StatusInternalServerError, Type: "InternalError", Message: "Internal error", Cause: err}
}
