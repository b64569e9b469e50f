package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/proxy"
	"github.com/thehive-portal/thehive-portal/proxy/auth"
	"github.com/thehive-portal/thehive-portal/proxy/store"
)

// startInProcess runs the portal inside this process with the bench
// configuration (logs discarded) and returns its base URL. The test uses
// it, and -in-process with -cpuprofile profiles the portal's code with
// pprof; the portal's memory is measured only as a child process.
func startInProcess(ctx context.Context, fx *fixture, rdb *scratchRedis, logs io.Writer) (string, error) {
	addr, err := freeAddr()
	if err != nil {
		return "", err
	}
	cfg, err := config.Load(strings.NewReader(portalYAML(addr, fx, rdb)), func(string) string { return "" })
	if err != nil {
		return "", err
	}
	var kv store.KV
	if rdb != nil {
		r, err := store.NewRedis(store.RedisOptions{URL: cfg.Redis.URL.Reveal(), Prefix: cfg.Redis.Prefix, Timeout: cfg.Redis.Timeout})
		if err != nil {
			return "", err
		}
		kv = r
	}
	a, err := auth.New(ctx, cfg, &http.Client{Timeout: 10 * time.Second})
	if err != nil {
		return "", fmt.Errorf("identity provider: %w", err)
	}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	srv, err := proxy.New(cfg, proxy.Deps{Auth: a, KV: kv, Logger: log, Version: "bench"})
	if err != nil {
		return "", err
	}
	if err := srv.Init(ctx); err != nil {
		return "", err
	}
	return fx.serve(srv.Handler())
}
