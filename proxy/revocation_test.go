package proxy

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
	"github.com/thehive-portal/thehive-portal/proxy/store"
)

// commentsOf asks for the comments of a case; a hidden case gives [].
func commentsOf(c *client, caseID string) string {
	r := c.postJSON("/api/v1/query", fmt.Sprintf(`{"query":[{"_name":"getCase","idOrName":%q},{"_name":"comments"}]}`, caseID))
	return string(r.body)
}

// revoke removes alice's share tag from her case in TheHive.
func revoke(t *testing.T, e *env) {
	t.Helper()
	k, _ := e.sim.Case(thehivetest.CaseUserTagID)
	tags := slices.DeleteFunc(slices.Clone(k.Tags), func(s string) bool { return s == "portal:user="+thehivetest.AliceEmail })
	if err := e.sim.SetCaseTags(thehivetest.CaseUserTagID, tags); err != nil {
		t.Fatal(err)
	}
}

// TestRevocationWithinTTL: without a webhook, access through the share
// cache ends within the cache TTL; a direct case read ends at once.
func TestRevocationWithinTTL(t *testing.T) {
	e := newEnv(t, withYAML("cache:\n  ttl: 2s\n"))
	alice := e.bearer(thehivetest.AliceEmail)
	if commentsOf(alice, thehivetest.CaseUserTagID) == "[]" {
		t.Fatal("alice sees no comments before revocation")
	}
	revoke(t, e)
	start := time.Now()
	for commentsOf(alice, thehivetest.CaseUserTagID) != "[]" {
		if time.Since(start) > e.cfg.Cache.TTL+3*time.Second {
			t.Fatalf("still visible %s after revocation (ttl %s)", time.Since(start), e.cfg.Cache.TTL)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("revocation delay without webhook: %s (cache ttl %s)", time.Since(start).Round(time.Millisecond), e.cfg.Cache.TTL)
	if r := alice.getJSON("/api/v1/case/" + thehivetest.CaseUserTagID); r.StatusCode != 404 {
		t.Errorf("case read after revocation: %d", r.StatusCode)
	}
}

// TestCaseReadIsNeverCached: a direct case read always asks TheHive, so a
// revocation ends it at once, even with a long cache TTL.
func TestCaseReadIsNeverCached(t *testing.T) {
	e := newEnv(t, withYAML("cache:\n  ttl: 1h\n"))
	alice := e.bearer(thehivetest.AliceEmail)
	if r := alice.getJSON("/api/v1/case/" + thehivetest.CaseUserTagID); r.StatusCode != 200 {
		t.Fatalf("before: %d", r.StatusCode)
	}
	revoke(t, e)
	if r := alice.getJSON("/api/v1/case/" + thehivetest.CaseUserTagID); r.StatusCode != 404 {
		t.Errorf("case read after revocation: %d", r.StatusCode)
	}
	if got := commentsOf(alice, thehivetest.CaseUserTagID); got != "[]" {
		t.Errorf("the read refreshed the cache, yet comments show: %s", got)
	}
}

// TestRevocationByWebhook: TheHive's webhook drops the cached share data at
// once, long before the TTL.
func TestRevocationByWebhook(t *testing.T) {
	e := newEnv(t, withYAML("cache:\n  ttl: 1h\n"))
	e.sim.SetWebhook(e.url+"/hooks/thehive", e.secret)
	alice := e.bearer(thehivetest.AliceEmail)
	if commentsOf(alice, thehivetest.CaseUserTagID) == "[]" {
		t.Fatal("alice sees no comments before revocation")
	}
	start := time.Now()
	revoke(t, e)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.sim.FlushWebhooks(ctx); err != nil {
		t.Fatal(err)
	}
	if got := commentsOf(alice, thehivetest.CaseUserTagID); got != "[]" {
		t.Fatalf("still visible after the webhook: %s", got)
	}
	for _, d := range e.sim.WebhookDeliveries() {
		if d.Status != 204 {
			t.Errorf("webhook delivery: %+v", d)
		}
	}
	t.Logf("revocation delay with webhook: %s (cache ttl %s)", time.Since(start).Round(time.Millisecond), e.cfg.Cache.TTL)
}

// TestWebhookSecret: a webhook without the secret changes nothing.
func TestWebhookSecret(t *testing.T) {
	e := newEnv(t)
	anon := &client{e: e, http: e.httpClient(nil)}
	for _, h := range []string{"", "Bearer wrong", "Bearer " + e.secret + "x", "Basic " + e.secret} {
		r := anon.doWith("POST", "/hooks/thehive", "application/json", nil, map[string]string{"Authorization": h})
		if r.StatusCode != 401 {
			t.Errorf("webhook with %q: %d", h, r.StatusCode)
		}
	}
}

// TestRedisStoppedGrantsNothing runs the portal on its own Redis server,
// stops it mid-test, and checks that no request gains access: sessions
// answer 503, bearer reads still decide every item from TheHive.
func TestRedisStoppedGrantsNothing(t *testing.T) {
	port, stop := startRedis(t)
	kv, err := store.NewRedis(store.RedisOptions{URL: "redis://127.0.0.1:" + port + "/0", Prefix: "portal-stop-test:", Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = kv.Close() })
	e := newEnv(t, withKV(kv))
	browser := e.browser(thehivetest.AliceEmail)
	alice := e.bearer(thehivetest.AliceEmail)
	visibleBefore := commentsOf(alice, thehivetest.CaseUserTagID)
	stop()
	if r := browser.getJSON("/api/v1/case/" + thehivetest.CaseUserTagID); r.StatusCode != 503 {
		t.Errorf("session request with Redis down: %d %s", r.StatusCode, r.body)
	}
	if r := alice.getJSON("/api/v1/case/" + thehivetest.CaseInternalID); r.StatusCode != 404 {
		t.Errorf("hidden case with Redis down: %d", r.StatusCode)
	}
	if got := commentsOf(alice, thehivetest.CaseUserTagID); got != visibleBefore {
		t.Errorf("bearer read with Redis down changed: %s", got)
	}
	if got := commentsOf(alice, thehivetest.CaseInternalID); got != "[]" {
		t.Errorf("hidden comments with Redis down: %s", got)
	}
}

// startRedis starts a private redis-server on a free port and returns a
// function that stops it.
func startRedis(t *testing.T) (string, func()) {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		requirePart(t, "redis-server binary")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	cmd := exec.Command(bin, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	}
	t.Cleanup(stop)
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", "127.0.0.1:"+port); err == nil {
			c.Close()
			return port, stop
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("redis-server did not start")
	return "", nil
}
