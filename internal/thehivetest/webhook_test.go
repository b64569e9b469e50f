package thehivetest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// receiver is a local webhook endpoint recording what it gets.
type receiver struct {
	mu     sync.Mutex
	bodies [][]byte
	auth   []string
	status int
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	rc.bodies = append(rc.bodies, b)
	rc.auth = append(rc.auth, r.Header.Get("Authorization"))
	status := rc.status
	rc.mu.Unlock()
	if status != 0 {
		w.WriteHeader(status)
	}
}

func flush(t *testing.T, s *Sim) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.FlushWebhooks(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestWebhookEnvelopes(t *testing.T) {
	rc := &receiver{}
	hs := httptest.NewServer(rc)
	t.Cleanup(hs.Close)
	srv := NewServer(t, WithSeed(), WithWebhook(hs.URL, "s3cret"))
	c := newClient(t, srv, LeadKey)
	c.expect(204, "PATCH", "/api/v1/case/~41001", m{"status": "New"})
	c.expect(201, "POST", "/api/v1/case/~41001/comment", m{"message": "Internal note"})
	if err := srv.SetCaseTags("42", []string{"phishing"}); err != nil {
		t.Fatal(err)
	}
	flush(t, srv.Sim)

	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.bodies) != 3 {
		t.Fatalf("%d webhooks", len(rc.bodies))
	}
	for _, a := range rc.auth {
		if a != "Bearer s3cret" {
			t.Fatalf("authorization %q", a)
		}
	}
	upd, cm, tags := obj(t, rc.bodies[0]), obj(t, rc.bodies[1]), obj(t, rc.bodies[2])
	wantUpd := fixture(t, "webhook-case-updated.json").(map[string]any)
	assertShape(t, "case envelope", stripKeys(wantUpd, "object", "context"), stripKeys(upd, "object", "context"))
	cfKeys := []string{"customFields", "customFieldValues"}
	assertShape(t, "case object", stripKeys(wantUpd["object"], cfKeys...), stripKeys(upd["object"], cfKeys...))
	assertShape(t, "case context", stripKeys(wantUpd["context"], cfKeys...), stripKeys(upd["context"], cfKeys...))
	if upd["action"] != "update" || upd["objectType"] != "Case" || upd["rootId"] != Case42ID || upd["_createdBy"] != LeadLogin ||
		upd["details"].(map[string]any)["status"] != "New" || upd["mainAction"] != true {
		t.Fatalf("case update envelope: %v", upd)
	}
	assertEqualJSON(t, "organisation", wantUpd["organisation"], upd["organisation"])

	wantCm := fixture(t, "webhook-comment-created.json").(map[string]any)
	assertShape(t, "comment envelope", stripKeys(wantCm, "object", "context"), stripKeys(cm, "object", "context"))
	if got, want := keys(cm["object"].(map[string]any)), keys(wantCm["object"].(map[string]any)); len(got) != 3 || got[0] != want[0] || got[2] != want[2] {
		t.Fatalf("comment object keys %v, want %v", got, want)
	}
	if cm["objectType"] != "Comment" || cm["rootId"] != Case42ID || cm["object"].(map[string]any)["message"] != "Internal note" {
		t.Fatalf("comment envelope: %v", cm)
	}
	if tags["details"].(map[string]any)["tags"] == nil || tags["_createdBy"] != AnalystLogin {
		t.Fatalf("accessor webhook: %v", tags)
	}
	deliveries := srv.WebhookDeliveries()
	if len(deliveries) != 3 || deliveries[0].Status != 200 || deliveries[0].Err != "" || deliveries[1].ObjectType != "Comment" {
		t.Fatalf("deliveries: %+v", deliveries)
	}
}

func TestWebhookFailuresAreRecorded(t *testing.T) {
	rc := &receiver{status: http.StatusInternalServerError}
	hs := httptest.NewServer(rc)
	t.Cleanup(hs.Close)
	srv := NewServer(t, WithSeed())
	srv.SetWebhook(hs.URL, "")
	if _, err := srv.AddComment("42", "", "one", true); err != nil {
		t.Fatal(err)
	}
	flush(t, srv.Sim)
	srv.SetWebhook("http://127.0.0.1:1/unreachable", "")
	if _, err := srv.AddComment("42", "", "two", false); err != nil {
		t.Fatal(err)
	}
	flush(t, srv.Sim)
	d := srv.WebhookDeliveries()
	if len(d) != 2 || d[0].Status != 500 || d[0].Err == "" || d[1].Status != 0 || d[1].Err == "" {
		t.Fatalf("deliveries: %+v", d)
	}
	rc.mu.Lock()
	auth := rc.auth[0]
	rc.mu.Unlock()
	if auth != "" {
		t.Fatalf("unexpected authorization %q", auth)
	}
	// No target: nothing is queued, flush returns at once.
	srv.SetWebhook("", "")
	if _, err := srv.AddComment("42", "", "three", false); err != nil {
		t.Fatal(err)
	}
	flush(t, srv.Sim)
	if len(srv.WebhookDeliveries()) != 2 {
		t.Fatal("delivered without a target")
	}
}

func TestWebhookOrderUnderConcurrency(t *testing.T) {
	rc := &receiver{}
	hs := httptest.NewServer(rc)
	t.Cleanup(hs.Close)
	srv := NewServer(t, WithSeed(), WithWebhook(hs.URL, ""))
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := srv.AddComment("42", "", "c"+itoa(int64(i)), i%2 == 0); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	flush(t, srv.Sim)
	audits := srv.Audits()
	d := srv.WebhookDeliveries()
	if len(d) != 20 {
		t.Fatalf("%d deliveries", len(d))
	}
	tail := audits[len(audits)-20:]
	for i := range d {
		if d[i].AuditID != tail[i].ID {
			t.Fatalf("delivery %d is audit %s, want %s", i, d[i].AuditID, tail[i].ID)
		}
	}
}
