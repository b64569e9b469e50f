package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/thehive-portal/thehive-portal/internal/oidctest"
	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestGracefulShutdown: requests that are slow upstream are in flight when
// the context ends (SIGTERM in main). Readiness turns 503 during
// shutdown_delay, then both listeners refuse new connections, every
// request in flight completes with 200, and serve returns nil.
func TestGracefulShutdown(t *testing.T) {
	sim := thehivetest.NewServer(t, thehivetest.WithSeed())
	idp := oidctest.Start(t)
	addr, adminAddr := freeAddr(t), freeAddr(t)
	cfgPath := filepath.Join(t.TempDir(), "portal.yaml")
	yaml := "shutdown_delay: 400ms\nadmin:\n  listen: " + adminAddr + "\n"
	if err := os.WriteFile(cfgPath, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"PORTAL_LISTEN": addr, "PORTAL_PUBLIC_URL": "http://" + addr, "PORTAL_UPSTREAM_URL": sim.URL,
		"PORTAL_UPSTREAM_API_KEY": thehivetest.ServiceKey, "PORTAL_OIDC_ISSUER": idp.Issuer(),
		"PORTAL_OIDC_CLIENT_ID": idp.ClientID, "PORTAL_OIDC_CLIENT_SECRET": idp.ClientSecret,
		"PORTAL_SESSION_SECRET": strings.Repeat("k", 32),
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--config", cfgPath}, func(k string) string { return env[k] }, io.Discard, io.Discard)
	}()
	waitHealthy(t, "http://"+addr+"/healthz", done)
	if code := status(t, "http://"+adminAddr+"/metrics"); code != 200 {
		t.Fatalf("admin /metrics: %d", code)
	}

	const inFlight = 6
	sim.SetLatency(2 * time.Second)
	token := idp.Token(t, oidctest.Claims{Email: thehivetest.JaneEmail, EmailVerified: true})
	results := sendSlow(t, "http://"+addr+"/api/v1/case/"+thehivetest.Case42ID, token, inFlight)
	waitUpstream(t, sim, "/api/v1/case/"+thehivetest.Case42ID, inFlight)
	cancel()

	code := 0
	for i := 0; i < 30 && code != http.StatusServiceUnavailable; i++ {
		time.Sleep(5 * time.Millisecond)
		code = status(t, "http://"+addr+"/readyz")
	}
	if code != http.StatusServiceUnavailable {
		t.Errorf("readyz during shutdown_delay: %d, want 503", code)
	}
	waitRefused(t, addr)
	waitRefused(t, adminAddr)
	for i := 0; i < inFlight; i++ {
		if r := <-results; r != "200" {
			t.Errorf("request in flight: %s", r)
		}
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve ended with %v", err)
		}
	case <-time.After(35 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// sendSlow starts n GETs; each sends "200" (case 42 in the body) or what
// went wrong on the channel.
func sendSlow(t *testing.T, url, token string, n int) chan string {
	t.Helper()
	results := make(chan string, n)
	var started sync.WaitGroup
	for i := 0; i < n; i++ {
		started.Add(1)
		go func() {
			req, _ := http.NewRequest("GET", url, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 30 * time.Second}
			started.Done()
			resp, err := client.Do(req)
			if err != nil {
				results <- err.Error()
				return
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.Contains(string(body), `"number":42`) {
				results <- resp.Status + " " + string(body)
				return
			}
			results <- "200"
		}()
	}
	started.Wait()
	return results
}

// waitUpstream waits until the simulator received n requests for path
// (they then sleep in its latency).
func waitUpstream(t *testing.T, sim *thehivetest.Server, path string, n int) {
	t.Helper()
	for i := 0; i < 400; i++ {
		got := 0
		for _, r := range sim.Requests() {
			if r.Path == path {
				got++
			}
		}
		if got >= n {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("the requests never reached TheHive")
}

// waitRefused waits until a new connection to addr is refused; it must
// happen well before the requests in flight finish.
func waitRefused(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(1500 * time.Millisecond)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err != nil {
			return
		}
		c.Close()
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("%s still accepts connections during shutdown", addr)
}

func status(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
