package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// shutdownTimeout bounds how long in-flight requests may take to finish
// once the listeners have closed.
const shutdownTimeout = 30 * time.Second

// listener is one HTTP server and the listener it serves.
type listener struct {
	name string
	hs   *http.Server
	ln   net.Listener
}

// drainer is what the shutdown needs of the portal: *proxy.Server.
type drainer interface {
	Drain()
	Close(ctx context.Context) error
}

// runHTTP serves one server until ctx ends, then shuts it down gracefully.
func runHTTP(ctx context.Context, hs *http.Server, ln net.Listener, log *slog.Logger) error {
	return runServers(ctx, nil, 0, log, []listener{{name: "portal", hs: hs, ln: ln}})
}

// runServers serves every listener until ctx ends (SIGINT or SIGTERM) or
// one fails, then shuts down gracefully: readiness turns 503 (srv.Drain),
// after delay the listeners close (new connections are refused), requests
// in flight get up to shutdownTimeout to finish, and last the portal's
// background work stops (srv.Close).
func runServers(ctx context.Context, srv drainer, delay time.Duration, log *slog.Logger, ls []listener) error {
	errc := make(chan error, len(ls))
	for _, l := range ls {
		go func() { errc <- l.hs.Serve(l.ln) }()
	}
	var failed error
	select {
	case failed = <-errc:
		log.Error("server failed", "err", failed)
	case <-ctx.Done():
		log.Info("shutting down", "delay", delay.String())
		if srv != nil {
			srv.Drain()
		}
		time.Sleep(delay)
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	err := errors.Join(failed, shutdownAll(sctx, ls))
	for range len(ls) - boolInt(failed != nil) {
		if e := <-errc; e != nil && !errors.Is(e, http.ErrServerClosed) {
			err = errors.Join(err, e)
		}
	}
	if srv != nil {
		err = errors.Join(err, srv.Close(sctx))
	}
	log.Info("stopped")
	return err
}

// shutdownAll shuts every server down at once: each closes its listener
// at once, then waits for its requests in flight.
func shutdownAll(ctx context.Context, ls []listener) error {
	var wg sync.WaitGroup
	errs := make([]error, len(ls))
	for i, l := range ls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := l.hs.Shutdown(ctx); err != nil {
				errs[i] = fmt.Errorf("shutdown %s: %w", l.name, err)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
