package proxy

import "github.com/labstack/echo/v4"

// registerWeb registers the web portal's pages (issue 4 fills this in).
func (s *Server) registerWeb(e *echo.Echo) {}
