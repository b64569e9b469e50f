package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/proxy"
	"github.com/thehive-portal/thehive-portal/proxy/auth"
	"github.com/thehive-portal/thehive-portal/proxy/store"
)

// serve runs the portal until ctx ends, then shuts down gracefully.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "", "configuration file (default: environment variables only)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	cfg, err := loadConfig(*path, getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	srv, closeDeps, err := build(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeDeps()
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	log.Info("portal listening", "addr", ln.Addr().String(), "public_url", cfg.PublicURL, "version", version)
	fmt.Fprintf(stdout, "thehive-portal listening on %s\n", ln.Addr())
	return runHTTP(ctx, newHTTPServer(srv.Handler(), log), ln, log)
}

// build makes the store, the IdP client and the portal, checking at start
// (with time limits) that Redis, the IdP and TheHive answer.
func build(ctx context.Context, cfg *config.Config, log *slog.Logger) (*proxy.Server, func(), error) {
	kv, err := newStore(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	closeAll := func() { _ = kv.Close() }
	actx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	a, err := auth.New(actx, cfg, &http.Client{Timeout: 10 * time.Second})
	if err != nil {
		closeAll()
		return nil, nil, fmt.Errorf("identity provider: %w", err)
	}
	srv, err := proxy.New(cfg, proxy.Deps{Auth: a, KV: kv, Logger: log, Version: version})
	if err != nil {
		closeAll()
		return nil, nil, err
	}
	if err := srv.Init(actx); err != nil {
		closeAll()
		return nil, nil, err
	}
	return srv, closeAll, nil
}

// newStore connects to Redis when configured (and pings it), else keeps
// everything in memory.
func newStore(ctx context.Context, cfg *config.Config) (store.KV, error) {
	if !cfg.Redis.URL.IsSet() {
		return store.NewMemory(), nil
	}
	r, err := store.NewRedis(store.RedisOptions{URL: cfg.Redis.URL.Reveal(), Prefix: cfg.Redis.Prefix, Timeout: cfg.Redis.Timeout})
	if err != nil {
		return nil, fmt.Errorf("redis: %w", err)
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := r.Ping(pctx); err != nil {
		_ = r.Close()
		return nil, fmt.Errorf("redis: %w", err)
	}
	return r, nil
}

// newHTTPServer bounds every phase of a connection. WriteTimeout is left
// to the handlers' own limits so that large downloads can stream.
func newHTTPServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// runHTTP serves until ctx ends, then lets in-flight requests finish (at
// most 30 s).
func runHTTP(ctx context.Context, hs *http.Server, ln net.Listener, log *slog.Logger) error {
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newLogger writes JSON (or text) logs at the configured level.
func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.Log.Level))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Log.Format == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}
