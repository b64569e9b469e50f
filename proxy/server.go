package proxy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/filter"
	"github.com/thehive-portal/thehive-portal/notify"
	"github.com/thehive-portal/thehive-portal/policy"
	"github.com/thehive-portal/thehive-portal/proxy/auth"
	"github.com/thehive-portal/thehive-portal/proxy/query"
	"github.com/thehive-portal/thehive-portal/proxy/session"
	"github.com/thehive-portal/thehive-portal/proxy/store"
	"github.com/thehive-portal/thehive-portal/proxy/ui"
)

// Authenticator is what the portal needs of the identity provider;
// *auth.Auth implements it.
type Authenticator interface {
	VerifyBearer(ctx context.Context, raw string) (auth.Identity, error)
	Begin(w http.ResponseWriter, r *http.Request, returnTo string) error
	Finish(w http.ResponseWriter, r *http.Request) (auth.Identity, string, error)
}

var _ Authenticator = (*auth.Auth)(nil)

// Deps are the parts cmd builds and injects; New dials nothing.
type Deps struct {
	// Auth verifies bearer tokens and runs the sign-in flow. Required.
	Auth Authenticator
	// KV stores sessions and the share cache. nil: an in-memory store (one
	// replica only).
	KV store.KV
	// Transport carries requests to TheHive. nil: a transport with
	// timeouts.
	Transport http.RoundTripper
	// Logger receives operational logs; nil: discarded.
	Logger *slog.Logger
	// AuditLogger receives one event per external read and write; nil:
	// Logger.
	AuditLogger *slog.Logger
	// Now is the clock; nil: time.Now.
	Now func() time.Time
	// Version is sent to TheHive in the User-Agent.
	Version string
	// Mailer sends the notification mails when notify.enabled is set; nil:
	// an SMTP sender built from the configuration.
	Mailer notify.Sender
}

// Server is the portal. Build it with New, call Init once, serve Handler.
type Server struct {
	cfg          *config.Config
	log          *slog.Logger
	auditLog     *slog.Logger
	auditStream  string
	kv           store.KV
	auth         Authenticator
	up           *upstream
	engine       *policy.Engine
	filter       *filter.Set
	sessions     *session.Manager
	cache        *shareCache
	limiter      *rateLimiter
	qlim         query.Limits
	exclude      map[config.Kind][]string // fields list queries ask TheHive to leave out
	now          func() time.Time
	serviceLogin string
	e            *echo.Echo
	opsState                  // metrics, readiness, shutdown, notifications (ops.go)
	ui           *ui.Renderer // the web portal's pages
}

// New builds the portal from a validated configuration.
func New(cfg *config.Config, deps Deps) (*Server, error) {
	if deps.Auth == nil {
		return nil, errors.New("proxy: Deps.Auth is required")
	}
	s := &Server{cfg: cfg, auth: deps.Auth, kv: deps.KV, now: deps.Now, log: deps.Logger, auditLog: deps.AuditLogger}
	s.defaults()
	if err := s.initOps(deps); err != nil {
		return nil, fmt.Errorf("proxy: %w", err)
	}
	var err error
	if s.engine, err = policy.New(cfg); err != nil {
		return nil, err
	}
	if s.filter, err = filter.New(cfg); err != nil {
		return nil, fmt.Errorf("proxy: %w", err)
	}
	if s.sessions, err = session.NewManager(s.kv, cfg.Session.Secret, cfg.Session.TTL, cfg.Session.IdleTTL, s.now); err != nil {
		return nil, fmt.Errorf("proxy: %w", err)
	}
	if s.up, err = newUpstream(cfg, s.metrics.instrument(deps.Transport), "thehive-portal/"+deps.Version); err != nil {
		return nil, fmt.Errorf("proxy: %w", err)
	}
	s.cache = &shareCache{kv: s.kv, ttl: cfg.Cache.TTL, log: s.log, metrics: s.metrics}
	s.limiter = newRateLimiter(cfg.Limits.RequestsPerMinute, s.now)
	s.qlim = query.FromConfig(cfg.Limits, filterableFields(cfg))
	s.exclude = map[config.Kind][]string{}
	for _, k := range config.Kinds {
		s.exclude[k] = query.Unneeded(k, append(s.filter.Reads(k), s.engine.Reads(k)...))
	}
	s.serviceLogin = cfg.Upstream.ServiceLogin
	if cfg.Redis.AuditStream != "" {
		s.auditStream = "audit:" + cfg.Redis.AuditStream
	}
	if s.ui, err = ui.New(); err != nil {
		return nil, fmt.Errorf("proxy: %w", err)
	}
	s.e = s.routes()
	return s, nil
}

func (s *Server) defaults() {
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.auditLog == nil {
		s.auditLog = s.log
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.kv == nil {
		s.kv = store.NewMemory()
	}
}

// filterableFields are the fields external users may filter and sort on:
// those they see, except the ones the portal builds.
func filterableFields(cfg *config.Config) map[config.Kind][]string {
	out := map[config.Kind][]string{}
	for _, k := range config.Kinds {
		for _, f := range cfg.View.Fields.Of(k) {
			if f != "_type" {
				out[k] = append(out[k], f)
			}
		}
	}
	return out
}

// Init learns the service account's login from TheHive when the
// configuration does not name it. Call it once before serving.
func (s *Server) Init(ctx context.Context) error {
	if s.serviceLogin != "" {
		return nil
	}
	_, body, _, err := s.up.jsonCall(ctx, http.MethodGet, nil, "api", "v1", "user", "current")
	if err != nil {
		return fmt.Errorf("proxy: read the service account from thehive: %w", err)
	}
	if err := s.filter.Validate(body); err != nil {
		return fmt.Errorf("proxy: user/current: %w", err)
	}
	login, err := loginOf(body)
	if err != nil {
		return err
	}
	s.serviceLogin = login
	return nil
}

// Handler returns the portal's HTTP handler.
func (s *Server) Handler() http.Handler { return s.e }
