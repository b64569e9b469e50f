package proxy

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
	"github.com/thehive-portal/thehive-portal/proxy/store"
)

type readyBody struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks"`
}

func readyz(t *testing.T, url string) (int, readyBody, string) {
	t.Helper()
	code, body := get(t, url)
	var rb readyBody
	if err := json.Unmarshal([]byte(body), &rb); err != nil && code != 404 {
		t.Fatalf("%s: %d %q", url, code, body)
	}
	return code, rb, body
}

// TestReadyz: 200 when TheHive and the store answer, on both listeners;
// checked at most once per readyTTL; exact path only; 503 while draining.
func TestReadyz(t *testing.T) {
	e := newEnv(t, withYAML("admin:\n  listen: 127.0.0.1:9090\n"))
	admin := adminServer(t, e)
	before := userCurrentCalls(e.sim)
	for _, base := range []string{e.url, admin} {
		for i := 0; i < 3; i++ {
			code, rb, _ := readyz(t, base+"/readyz")
			if code != 200 || rb.Status != "ok" || rb.Checks["thehive"] != "ok" || rb.Checks["store"] != "ok" {
				t.Fatalf("%s/readyz: %d %+v", base, code, rb)
			}
		}
		if code, _ := get(t, base+"/healthz"); code != 200 {
			t.Errorf("%s/healthz: %d", base, code)
		}
	}
	// One check per readyTTL (5s): 1, or 2 on a very slow machine.
	if n := userCurrentCalls(e.sim) - before; n < 1 || n > 2 {
		t.Errorf("6 readiness requests read TheHive %d times, want 1 (cached)", n)
	}
	for _, p := range []string{"/readyz/", "/Readyz", "/readyz/../api/v1/user/current", "//readyz", "/readyz%2f"} {
		if code, _ := get(t, e.url+p); code != 404 {
			t.Errorf("%s: %d, want 404", p, code)
		}
	}
	e.srv.Drain()
	if code, rb, _ := readyz(t, e.url+"/readyz"); code != 503 || rb.Status != "draining" {
		t.Errorf("draining: %d %+v", code, rb)
	}
	if code, _ := get(t, e.url+"/healthz"); code != 200 {
		t.Errorf("healthz while draining: %d", code)
	}
}

func userCurrentCalls(sim *thehivetest.Server) int {
	n := 0
	for _, r := range sim.Requests() {
		if r.Path == "/api/v1/user/current" {
			n++
		}
	}
	return n
}

// TestReadyzFailsClosed: TheHive refusing the service key, or the store
// down, gives 503 naming the failed check and no cause.
func TestReadyzFailsClosed(t *testing.T) {
	e := newEnv(t, withMemoryStore())
	e.sim.SetPathStatus("/api/v1/user/current", 401)
	code, rb, body := readyz(t, e.url+"/readyz")
	if code != 503 || rb.Status != "unavailable" || rb.Checks["thehive"] != "unavailable" || rb.Checks["store"] != "ok" {
		t.Errorf("thehive down: %d %s", code, body)
	}
	if strings.Contains(body, "401") || strings.Contains(body, "thehive answered") {
		t.Errorf("the cause reached the answer: %s", body)
	}

	kv := store.NewMemory()
	e2 := newEnv(t, withKV(kv))
	_ = kv.Close()
	if code, rb, body := readyz(t, e2.url+"/readyz"); code != 503 || rb.Checks["store"] != "unavailable" || rb.Checks["thehive"] != "ok" {
		t.Errorf("store down: %d %s", code, body)
	}
}
