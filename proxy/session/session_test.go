package session

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/proxy/store"
)

func TestCreateLoadDelete(t *testing.T) {
	forEachBackend(t, func(t *testing.T, kv store.KV, _ func(*testing.T) map[string][]byte) {
		c := newClock()
		m := mustManager(t, kv, c)
		ctx := context.Background()
		id := mustCreate(t, m, "alice@example.com")
		d, err := m.Load(ctx, id)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if d.Email != "alice@example.com" || d.Subject != "sub-alice@example.com" || d.Issuer != "https://idp.example.com" ||
			!slices.Equal(d.Groups, []string{"grp-alice@example.com"}) || d.Profile != "reporter" {
			t.Errorf("loaded %v", d)
		}
		if !d.Created.Equal(c.now()) || !d.LastSeen.Equal(c.now()) || !d.Expires.Equal(c.now().Add(testTTL)) {
			t.Errorf("times: created %v, last seen %v, expires %v", d.Created, d.LastSeen, d.Expires)
		}
		if err := m.Delete(ctx, id); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		_, err = m.Load(ctx, id)
		mustNoSession(t, "Load after Delete", err)
		mustNoSession(t, "Touch after Delete", m.Touch(ctx, id, &Data{}))
		if err := m.Delete(ctx, id); err != nil {
			t.Fatalf("second Delete: %v", err)
		}
	})
}

func TestCreateMintsNewIDAndCSRF(t *testing.T) {
	m := mustManager(t, store.NewMemory(), newClock())
	ids, tokens := map[string]bool{}, map[string]bool{}
	for range 200 {
		id, err := m.Create(context.Background(), Data{Subject: "s", Issuer: "i", CSRF: "chosen-by-caller"})
		if err != nil {
			t.Fatal(err)
		}
		if !validID(id) || ids[id] {
			t.Fatalf("id %q is malformed or repeated", id)
		}
		ids[id] = true
		d, err := m.Load(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if d.CSRF == "chosen-by-caller" || len(d.CSRF) != 43 || tokens[d.CSRF] {
			t.Fatalf("CSRF token %q was not freshly generated", d.CSRF)
		}
		tokens[d.CSRF] = true
	}
}

func TestCreateExpires(t *testing.T) {
	c := newClock()
	rec := &recordingKV{KV: store.NewMemory()}
	m := mustManager(t, rec, c)
	ctx := context.Background()
	tests := []struct {
		name  string
		given time.Time
		want  time.Time
	}{
		{"zero: now+ttl", time.Time{}, c.now().Add(testTTL)},
		{"later than ttl: capped", c.now().Add(48 * time.Hour), c.now().Add(testTTL)},
		{"earlier (ID token expiry): kept", c.now().Add(30 * time.Minute), c.now().Add(30 * time.Minute)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := m.Create(ctx, Data{Subject: "s", Issuer: "i", Expires: tt.given})
			if err != nil {
				t.Fatal(err)
			}
			d, err := m.Load(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if !d.Expires.Equal(tt.want) {
				t.Errorf("Expires = %v, want %v", d.Expires, tt.want)
			}
			if got := rec.lastTTL(); got != tt.want.Sub(c.now()) {
				t.Errorf("store ttl = %v, want the time left, %v", got, tt.want.Sub(c.now()))
			}
		})
	}
	for _, d := range []Data{
		{Subject: "s", Issuer: "i", Expires: c.now()},
		{Subject: "s", Issuer: "i", Expires: c.now().Add(-time.Second)},
		{Issuer: "i"},
		{Subject: "s"},
	} {
		if _, err := m.Create(ctx, d); err == nil {
			t.Errorf("Create(%v) succeeded", d)
		}
	}
}

func TestIdleExpiry(t *testing.T) {
	forEachBackend(t, func(t *testing.T, kv store.KV, _ func(*testing.T) map[string][]byte) {
		c := newClock()
		m := mustManager(t, kv, c)
		ctx := context.Background()
		id := mustCreate(t, m, "idle@example.com")
		c.add(testIdle - time.Second)
		if _, err := m.Load(ctx, id); err != nil {
			t.Fatalf("Load just before idle expiry: %v", err)
		}
		c.add(time.Second)
		_, err := m.Load(ctx, id)
		mustNoSession(t, "Load at idle expiry", err)
		// The record was deleted, so even a clock going back finds nothing.
		c.add(-time.Hour)
		_, err = m.Load(ctx, id)
		mustNoSession(t, "Load of an idle-expired session", err)
	})
}

func TestTouchSlidesIdleButNotAbsoluteExpiry(t *testing.T) {
	forEachBackend(t, func(t *testing.T, kv store.KV, _ func(*testing.T) map[string][]byte) {
		c := newClock()
		rec := &recordingKV{KV: kv}
		m := mustManager(t, rec, c)
		ctx := context.Background()
		id := mustCreate(t, m, "busy@example.com")
		d, err := m.Load(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		_, setsBefore := rec.counts()
		c.add(30 * time.Second)
		if err := m.Touch(ctx, id, d); err != nil {
			t.Fatal(err)
		}
		if _, sets := rec.counts(); sets != setsBefore {
			t.Errorf("Touch within a minute wrote to the store (%d writes)", sets-setsBefore)
		}
		// Stay active: touch every 40 minutes; the session lives past
		// several idle periods but ends at its absolute expiry.
		start := d.Created
		for {
			c.add(40 * time.Minute)
			d, err = m.Load(ctx, id)
			if c.now().Sub(start) >= testTTL {
				mustNoSession(t, "Load after absolute expiry", err)
				break
			}
			if err != nil {
				t.Fatalf("Load %v after creation, touched every 40m: %v", c.now().Sub(start), err)
			}
			if err := m.Touch(ctx, id, d); err != nil {
				t.Fatal(err)
			}
			if !d.LastSeen.Equal(c.now()) {
				t.Fatalf("Touch left LastSeen at %v", d.LastSeen)
			}
			if ttl := rec.lastTTL(); ttl != d.Expires.Sub(c.now()) {
				t.Fatalf("Touch stored ttl %v, want the time left %v", ttl, d.Expires.Sub(c.now()))
			}
		}
	})
}

func TestTouchStoresOnlyLastSeen(t *testing.T) {
	c := newClock()
	m := mustManager(t, store.NewMemory(), c)
	ctx := context.Background()
	id := mustCreate(t, m, "bob@example.com")
	d, err := m.Load(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	d.Profile, d.Expires = "admin", d.Expires.Add(100*time.Hour)
	c.add(5 * time.Minute)
	if err := m.Touch(ctx, id, d); err != nil {
		t.Fatal(err)
	}
	got, err := m.Load(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Profile != "reporter" || !got.Expires.Equal(c.now().Add(-5*time.Minute).Add(testTTL)) {
		t.Errorf("Touch stored the caller's edits: %v", got)
	}
}

func TestAbsoluteExpiry(t *testing.T) {
	c := newClock()
	m := mustManager(t, store.NewMemory(), c)
	ctx := context.Background()
	id, err := m.Create(ctx, Data{Subject: "s", Issuer: "i", Expires: c.now().Add(10 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	c.add(10*time.Minute - time.Nanosecond)
	if _, err := m.Load(ctx, id); err != nil {
		t.Fatal(err)
	}
	c.add(time.Nanosecond)
	_, err = m.Load(ctx, id)
	mustNoSession(t, "Load at Expires", err)
}

// TestLowerTTLAppliesToExistingSessions: after the ttl is lowered, a
// session older than the new ttl is refused.
func TestLowerTTLAppliesToExistingSessions(t *testing.T) {
	c := newClock()
	kv := store.NewMemory()
	id := mustCreate(t, mustManager(t, kv, c), "carol@example.com")
	m2, err := NewManager(kv, testSecret, time.Hour, 30*time.Minute, c.now)
	if err != nil {
		t.Fatal(err)
	}
	c.add(20 * time.Minute)
	if _, err := m2.Load(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	c.add(40 * time.Minute)
	_, err = m2.Load(context.Background(), id)
	mustNoSession(t, "Load older than the new ttl", err)
}

func TestNewManagerRejects(t *testing.T) {
	kv := store.NewMemory()
	tests := []struct {
		name      string
		kv        store.KV
		secret    config.Secret
		ttl, idle time.Duration
	}{
		{"no store", nil, testSecret, time.Hour, time.Minute},
		{"short secret", kv, config.Secret(strings.Repeat("s", 31)), time.Hour, time.Minute},
		{"zero ttl", kv, testSecret, 0, 0},
		{"zero idle", kv, testSecret, time.Hour, 0},
		{"idle above ttl", kv, testSecret, time.Hour, 2 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := NewManager(tt.kv, tt.secret, tt.ttl, tt.idle, nil)
			if err == nil {
				t.Fatalf("NewManager accepted it: %v", m)
			}
			if strings.Contains(err.Error(), "sss") {
				t.Fatalf("error shows the secret: %v", err)
			}
		})
	}
}

func TestCheckCSRF(t *testing.T) {
	d := &Data{CSRF: "token-123"}
	for _, tt := range []struct {
		d     *Data
		token string
		want  bool
	}{
		{d, "token-123", true},
		{d, "token-124", false},
		{d, "token-12", false},
		{d, "", false},
		{&Data{}, "", false},
		{nil, "token-123", false},
	} {
		if got := tt.d.CheckCSRF(tt.token); got != tt.want {
			t.Errorf("CheckCSRF(%q) = %v, want %v", tt.token, got, tt.want)
		}
	}
}

func TestDataPrintsWithoutCSRF(t *testing.T) {
	d := Data{Subject: "s", Email: "e@example.com", CSRF: "csrf-canary"}
	var logged strings.Builder
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("x", "session", d)
	for _, s := range []string{fmt.Sprint(d), fmt.Sprintf("%+v", &d), logged.String()} {
		if strings.Contains(s, "csrf-canary") {
			t.Errorf("CSRF token printed: %s", s)
		}
	}
	if errors.Is(ErrNoSession, store.ErrNotFound) {
		t.Error("ErrNoSession must not match store.ErrNotFound")
	}
}
