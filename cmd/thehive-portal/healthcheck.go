package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/thehive-portal/thehive-portal/config"
)

// healthcheck is the container's health check (distroless images have no
// shell and no curl): it GETs /healthz on the portal's own listener over
// loopback and succeeds only on 200. The port comes from --config's
// listen, else PORTAL_LISTEN, else the default :8080.
func healthcheck(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "", "configuration file whose listen address to check")
	timeout := fs.Duration("timeout", 3*time.Second, "time limit")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{"healthcheck takes no arguments"}
	}
	listen := getenv("PORTAL_LISTEN")
	if *path != "" {
		cfg, err := config.LoadFile(*path, getenv)
		if err != nil {
			return err
		}
		listen = cfg.Listen
	}
	if listen == "" {
		listen = config.DefaultListen
	}
	url, err := healthURL(listen)
	if err != nil {
		return err
	}
	return probe(ctx, url, *timeout, stdout)
}

// healthURL is http://<loopback or the listen host>:<port>/healthz.
func healthURL(listen string) (string, error) {
	host, port, err := net.SplitHostPort(listen)
	if err != nil || port == "" {
		return "", fmt.Errorf("healthcheck: listen address %q is not host:port", listen)
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz", nil
}

// probe GETs url and fails unless it answers 200 in time.
func probe(ctx context.Context, url string, timeout time.Duration, stdout io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %d", url, resp.StatusCode)
	}
	fmt.Fprintln(stdout, "ok")
	return nil
}
