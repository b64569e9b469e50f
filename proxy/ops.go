package proxy

import "github.com/labstack/echo/v4"

// registerOps registers the operations routes (issue 5 fills this in).
func (s *Server) registerOps(e *echo.Echo) {}
