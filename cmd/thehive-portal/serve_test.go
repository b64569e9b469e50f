package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/thehive-portal/thehive-portal/internal/oidctest"
	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
)

// TestServe runs the real command against the simulator and an in-process
// IdP: it serves, answers a bearer request with the filtered case, and
// stops cleanly when its context ends.
func TestServe(t *testing.T) {
	sim := thehivetest.NewServer(t, thehivetest.WithSeed())
	idp := oidctest.Start(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	env := map[string]string{
		"PORTAL_LISTEN": addr, "PORTAL_PUBLIC_URL": "http://" + addr, "PORTAL_UPSTREAM_URL": sim.URL,
		"PORTAL_UPSTREAM_API_KEY": thehivetest.ServiceKey, "PORTAL_OIDC_ISSUER": idp.Issuer(),
		"PORTAL_OIDC_CLIENT_ID": idp.ClientID, "PORTAL_OIDC_CLIENT_SECRET": idp.ClientSecret,
		"PORTAL_SESSION_SECRET": strings.Repeat("k", 32),
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, io.Discard, io.Discard)
	}()
	waitHealthy(t, "http://"+addr+"/healthz", done)

	req, _ := http.NewRequest("GET", "http://"+addr+"/api/v1/case/"+thehivetest.Case42ID, nil)
	req.Header.Set("Authorization", "Bearer "+idp.Token(t, oidctest.Claims{Email: thehivetest.JaneEmail, EmailVerified: true}))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"number":42`) || strings.Contains(string(body), "assignee") {
		t.Errorf("case read through serve: %d %s", resp.StatusCode, body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve ended with %v", err)
		}
	case <-time.After(35 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func waitHealthy(t *testing.T, url string, done chan error) {
	t.Helper()
	for i := 0; i < 200; i++ {
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v", err)
		default:
		}
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatal("serve never became healthy")
}
