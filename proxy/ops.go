package proxy

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/thehive-portal/thehive-portal/notify"
)

// opsState is the Server's operations side: metrics, readiness, shutdown
// and notifications.
type opsState struct {
	metrics   *metrics
	ready     readiness
	draining  atomic.Bool
	mailer    notify.Sender // nil: notifications off
	queueOnce sync.Once
	notifier  *notify.Queue // started by the first webhook (queue)
	adminOnce sync.Once
	admin     *echo.Echo
}

// initOps builds the metrics and, when notifications are enabled, their
// sender. Call it from New after defaults and before the upstream client
// and the cache are built (they report to the metrics). It starts nothing.
func (s *Server) initOps(deps Deps) error {
	tracker := newSessionTracker(s.cfg.Session.TTL, s.cfg.Session.IdleTTL, s.now)
	s.metrics = newMetrics(deps.Version, tracker)
	if !s.cfg.Notify.Enabled {
		return nil
	}
	s.mailer = deps.Mailer
	if s.mailer == nil {
		smtp, err := notify.NewSMTP(s.cfg.Notify)
		if err != nil {
			return err
		}
		s.mailer = smtp
	}
	return nil
}

// queue returns the notification queue, starting its worker on first use;
// nil when notifications are off or Close has run.
func (s *Server) queue() *notify.Queue {
	s.queueOnce.Do(func() {
		if s.mailer == nil {
			return
		}
		n := s.cfg.Notify
		q, err := notify.NewQueue(s.mailer, s.kv, notify.Options{Period: n.Period, Size: n.QueueSize,
			JobTimeout: time.Minute, Logger: s.log, Observe: s.metrics.notified})
		if err != nil {
			s.log.Error("notifications off", "err", err)
			return
		}
		s.notifier = q
	})
	return s.notifier
}

// registerOps registers the operations routes of the portal's listener:
// /readyz (/healthz is in routes). Both are exact paths, unauthenticated,
// and say nothing but ok or not.
func (s *Server) registerOps(e *echo.Echo) {
	e.GET("/readyz", s.handleReady)
}

// AdminHandler returns the handler of the internal admin listener
// (admin.listen): /metrics, /healthz, /readyz and the routes of
// registerAdmin. It is nil when admin.listen is empty: then there is no
// metrics endpoint at all. Never expose it publicly.
func (s *Server) AdminHandler() http.Handler {
	if s.cfg.Admin.Listen == "" {
		return nil
	}
	s.adminOnce.Do(func() { s.admin = s.adminRoutes() })
	return s.admin
}

// adminRoutes builds the admin listener's Echo, with the portal's request
// ids, security headers, path guard and error boundary.
func (s *Server) adminRoutes() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = echo.ExtractIPDirect()
	e.Pre(s.requestState, pathGuard)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, LogErrorFunc: s.logPanic}))
	e.GET("/healthz", handleHealth)
	e.GET("/readyz", s.handleReady)
	e.GET("/metrics", echo.WrapHandler(s.metrics.handler()))
	s.registerAdmin(e)
	return e
}

// handleHealth is /healthz: the process answers. No dependency is checked.
func handleHealth(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// Drain makes /readyz answer 503 from now on: the first step of a
// graceful shutdown, so that load balancers stop sending requests.
func (s *Server) Drain() { s.draining.Store(true) }

// Close stops the background work: the notification queue sends what it
// holds until ctx ends. Call it after the HTTP servers have shut down;
// later webhooks queue nothing.
func (s *Server) Close(ctx context.Context) error {
	s.queueOnce.Do(func() {}) // no queue starts after Close
	if s.notifier == nil {
		return nil
	}
	if err := s.notifier.Close(ctx); err != nil {
		return fmt.Errorf("proxy: notifications not all sent: %w", err)
	}
	return nil
}
