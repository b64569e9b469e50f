package main

import (
	"context"
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
	servers, err := listenAll(cfg, srv, log)
	if err != nil {
		return err
	}
	for _, l := range servers {
		log.Info(l.name+" listening", "addr", l.ln.Addr().String(), "public_url", cfg.PublicURL, "version", version)
	}
	fmt.Fprintf(stdout, "thehive-portal listening on %s\n", servers[0].ln.Addr())
	if len(servers) > 1 {
		fmt.Fprintf(stdout, "thehive-portal admin listening on %s\n", servers[1].ln.Addr())
	}
	return runServers(ctx, srv, cfg.ShutdownDelay, log, servers)
}

// listenAll opens the portal's listener and, when admin.listen is set,
// the internal admin listener (metrics, health, readiness, explain).
func listenAll(cfg *config.Config, srv *proxy.Server, log *slog.Logger) ([]listener, error) {
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	out := []listener{{name: "portal", hs: newHTTPServer(srv.Handler(), log), ln: ln}}
	if h := srv.AdminHandler(); h != nil {
		aln, err := net.Listen("tcp", cfg.Admin.Listen)
		if err != nil {
			_ = ln.Close()
			return nil, fmt.Errorf("admin listen: %w", err)
		}
		out = append(out, listener{name: "admin", hs: newHTTPServer(h, log), ln: aln})
	}
	return out, nil
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
