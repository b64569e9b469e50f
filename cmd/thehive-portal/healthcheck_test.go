package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHealthURL(t *testing.T) {
	for in, want := range map[string]string{
		":8080":          "http://127.0.0.1:8080/healthz",
		"0.0.0.0:9000":   "http://127.0.0.1:9000/healthz",
		"[::]:9000":      "http://127.0.0.1:9000/healthz",
		"10.1.2.3:8080":  "http://10.1.2.3:8080/healthz",
		"[::1]:8080":     "http://[::1]:8080/healthz",
		"localhost:8081": "http://localhost:8081/healthz",
	} {
		if got, err := healthURL(in); err != nil || got != want {
			t.Errorf("%s: %q %v, want %q", in, got, err, want)
		}
	}
	if _, err := healthURL("8080"); err == nil {
		t.Error("a bare port was accepted")
	}
}

// TestHealthcheckCommand: exit 0 on a 200 from /healthz at the listen
// address (from PORTAL_LISTEN or --config), 1 otherwise.
func TestHealthcheckCommand(t *testing.T) {
	status := http.StatusOK
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
	}))
	defer ts.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(ts.URL, "http://"))
	env := map[string]string{"PORTAL_LISTEN": ":" + port}
	out, _, err := runCmd(t, env, "healthcheck")
	if err != nil || strings.TrimSpace(out) != "ok" {
		t.Fatalf("healthy: %q %v", out, err)
	}
	status = http.StatusServiceUnavailable
	if _, _, err := runCmd(t, env, "healthcheck"); err == nil || exitCode(err) != 1 {
		t.Errorf("unhealthy: %v", err)
	}
	status = http.StatusOK
	cfg := filepath.Join(t.TempDir(), "c.yaml")
	example, err := os.ReadFile("../../testdata/config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte(strings.Replace(string(example), `listen: ":8080"`, `listen: "127.0.0.1:`+port+`"`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, _, err := runCmd(t, map[string]string{"PORTAL_LISTEN": ""}, "healthcheck", "--config", cfg); err != nil || strings.TrimSpace(out) != "ok" {
		t.Errorf("--config: %q %v", out, err)
	}
	ts.Close()
	if _, _, err := runCmd(t, env, "healthcheck", "--timeout", "1s"); err == nil || exitCode(err) != 1 {
		t.Errorf("nothing listening: %v", err)
	}
	if _, _, err := runCmd(t, env, "healthcheck", "extra"); err == nil || exitCode(err) != 2 {
		t.Errorf("usage: %v", err)
	}
}
