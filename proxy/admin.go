package proxy

import "github.com/labstack/echo/v4"

// registerAdmin registers the routes of the internal admin listener beyond
// /metrics, /healthz and /readyz (adminRoutes adds those), such as GET
// /admin/explain. Nothing registered here is ever on the portal's public
// listener.
func (s *Server) registerAdmin(e *echo.Echo) {
	s.registerExplain(e)
}
