package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckConfigListsOperationsProblems: problems of the operations keys
// (notify, admin, shutdown_delay) and of the environment are listed
// together, each with its key path, and the exit code is 1.
func TestCheckConfigListsOperationsProblems(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	yaml := "admin:\n  listen: nine-thousand\nshutdown_delay: 5m\nnotify:\n  enabled: true\n  period: 1s\n" +
		"  smtp:\n    username: u\n    tls: none\n"
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"PORTAL_CACHE_TTL": "soon"}
	_, _, err := runCmd(t, env, "check-config", "--config", path)
	if err == nil || exitCode(err) != 1 {
		t.Fatalf("want exit code 1, got %v", err)
	}
	for _, want := range []string{
		"admin.listen: must be host:port", "shutdown_delay: must be between", "notify.period: must be between",
		"notify.smtp.host: is required", "notify.from: is required", "notify.smtp.tls: must not be none with a username",
		"cache.ttl: PORTAL_CACHE_TTL: not a duration", "public_url: is required",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in\n%v", want, err)
		}
	}
}
