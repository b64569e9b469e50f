package proxy

import (
	"net/http"
	"net/http/pprof"

	"github.com/labstack/echo/v4"
)

// registerAdmin registers the routes of the internal admin listener beyond
// /metrics, /healthz and /readyz (adminRoutes adds those), such as GET
// /admin/explain. Nothing registered here is ever on the portal's public
// listener.
func (s *Server) registerAdmin(e *echo.Echo) {
	s.registerExplain(e)
	if s.cfg.Admin.Pprof {
		registerPprof(e)
	}
}

// registerPprof serves Go's runtime profiles under /debug/pprof (admin.pprof):
// the index, the named profiles (heap, goroutine, allocs, ...), a CPU
// profile and an execution trace.
func registerPprof(e *echo.Echo) {
	g := e.Group("/debug/pprof")
	// The index without a trailing slash: the path guard refuses those.
	e.GET("/debug/pprof", echo.WrapHandler(http.HandlerFunc(pprof.Index)))
	g.GET("/cmdline", echo.WrapHandler(http.HandlerFunc(pprof.Cmdline)))
	g.GET("/profile", echo.WrapHandler(http.HandlerFunc(pprof.Profile)))
	g.GET("/symbol", echo.WrapHandler(http.HandlerFunc(pprof.Symbol)))
	g.GET("/trace", echo.WrapHandler(http.HandlerFunc(pprof.Trace)))
	g.GET("/:name", func(c echo.Context) error {
		pprof.Handler(c.Param("name")).ServeHTTP(c.Response(), c.Request())
		return nil
	})
}
