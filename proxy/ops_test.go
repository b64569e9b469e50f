package proxy

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
	"github.com/thehive-portal/thehive-portal/proxy/store/storetest"
)

// TestSecurityHeaders: every answer, success or error, carries them.
func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t, withMemoryStore())
	alice := e.bearer(thehivetest.AliceEmail)
	for _, path := range []string{"/api/v1/case/" + thehivetest.CaseUserTagID, "/api/v1/case/" + thehivetest.CaseInternalID, "/nope"} {
		r := alice.getJSON(path)
		for h, want := range map[string]string{"Cache-Control": "no-store, private", "X-Content-Type-Options": "nosniff",
			"X-Frame-Options": "DENY", "Content-Security-Policy": "default-src 'none'"} {
			if !strings.HasPrefix(r.Header.Get(h), want) {
				t.Errorf("%s: %s = %q", path, h, r.Header.Get(h))
			}
		}
		if len(r.Header.Get("X-Request-Id")) != 24 {
			t.Errorf("%s: request id %q", path, r.Header.Get("X-Request-Id"))
		}
	}
}

// TestRateLimitPerUser: one user over the limit gets 429, another user is
// not affected.
func TestRateLimitPerUser(t *testing.T) {
	e := newEnv(t, withMemoryStore(), withYAML("limits:\n  requests_per_minute: 60\n"))
	alice, bob := e.bearer(thehivetest.AliceEmail), e.bearer(thehivetest.BobEmail)
	limited := 0
	for i := 0; i < 40; i++ {
		if r := alice.getJSON("/api/v1/user/current"); r.StatusCode == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited == 0 {
		t.Error("40 requests in a burst under a limit of 60/min with a burst of 10 were never limited")
	}
	if r := bob.getJSON("/api/v1/user/current"); r.StatusCode != 200 {
		t.Errorf("another user was limited: %d", r.StatusCode)
	}
}

// TestAuditEvents: every external read and write gives one audit event in
// the log and in the Redis stream, with user, action, case, decision and
// reason, and no content.
func TestAuditEvents(t *testing.T) {
	kv := storetest.NewRedis(t)
	e := newEnv(t, withKV(kv), withYAML("redis:\n  audit_stream: events\n"))
	alice := e.bearer(thehivetest.AliceEmail)
	alice.getJSON("/api/v1/case/" + thehivetest.CaseUserTagID)
	alice.getJSON("/api/v1/case/" + thehivetest.CaseInternalID)
	alice.postJSON("/api/v1/case/"+thehivetest.CaseUserTagID+"/comment", `{"message":"audit me, secret text"}`)
	var events []map[string]any
	for _, line := range strings.Split(e.logs.String(), "\n") {
		var ev map[string]any
		if json.Unmarshal([]byte(line), &ev) == nil && ev["msg"] == "audit" {
			events = append(events, ev)
		}
	}
	want := []struct {
		action, kase string
		allowed      bool
	}{{"case.read", thehivetest.CaseUserTagID, true}, {"case.read", thehivetest.CaseInternalID, false}, {"comment.create", thehivetest.CaseUserTagID, true}}
	if len(events) != len(want) {
		t.Fatalf("audit events: %v", events)
	}
	for i, w := range want {
		ev := events[i]
		if ev["action"] != w.action || ev["case"] != w.kase || ev["allowed"] != w.allowed || ev["user"] != thehivetest.AliceEmail ||
			ev["reason"] == "" || ev["request_id"] == "" {
			t.Errorf("event %d = %v, want %+v", i, ev, w)
		}
	}
	if strings.Contains(e.logs.String(), "secret text") {
		t.Error("the audit log holds content")
	}
	raw := storetest.Raw(t)
	n, err := raw.XLen(context.Background(), kv.Prefix()+"audit:events").Result()
	if err != nil || n != 3 {
		t.Errorf("audit stream length %d, %v", n, err)
	}
}
