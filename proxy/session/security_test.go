package session

import (
	"context"
	"encoding/base64"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/thehive-portal/thehive-portal/proxy/store"
	"github.com/thehive-portal/thehive-portal/proxy/store/storetest"
)

// TestBadIDsNeverReachTheStore: malformed ids are ErrNoSession and cost no
// store access.
func TestBadIDsNeverReachTheStore(t *testing.T) {
	c := newClock()
	rec := &recordingKV{KV: store.NewMemory()}
	m := mustManager(t, rec, c)
	good := mustCreate(t, m, "dave@example.com")
	gets, _ := rec.counts()
	// The last character of 32 bytes in base64 carries 2 bits; one with
	// other low bits set is a non-canonical spelling.
	last := strings.IndexByte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", good[42])
	nonCanonical := good[:42] + string("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[last|1])
	tests := []struct{ name, id string }{
		{"empty", ""},
		{"one char", "a"},
		{"one short", good[:42]},
		{"one long", good + "A"},
		{"padded", good + "="},
		{"std alphabet +", "+" + good[1:]},
		{"std alphabet /", "/" + good[1:]},
		{"dot", "." + good[1:]},
		{"space", " " + good[1:]},
		{"NUL", "\x00" + good[1:]},
		{"non-ASCII of the same byte length", "é" + good[2:]},
		{"non-canonical last character", nonCanonical},
		{"oversized", strings.Repeat("A", 1<<20)},
		{"signed-cookie look-alike", good[:20] + "." + good[21:]},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := m.Load(ctx, tt.id)
			mustNoSession(t, "Load", err)
			mustNoSession(t, "Touch", m.Touch(ctx, tt.id, &Data{}))
			if err := m.Delete(ctx, tt.id); err != nil {
				t.Errorf("Delete: %v", err)
			}
		})
	}
	if now, _ := rec.counts(); now != gets {
		t.Fatalf("malformed ids caused %d store reads", now-gets)
	}
	if _, err := m.Load(ctx, good); err != nil {
		t.Fatalf("the good id stopped working: %v", err)
	}
}

func TestUnknownAndTamperedIDs(t *testing.T) {
	forEachBackend(t, func(t *testing.T, kv store.KV, _ func(*testing.T) map[string][]byte) {
		m := mustManager(t, kv, newClock())
		ctx := context.Background()
		id := mustCreate(t, m, "erin@example.com")
		unknown, err := newToken(idBytes)
		if err != nil {
			t.Fatal(err)
		}
		flipped := []byte(id)
		flipped[10] ^= 'A' ^ 'B'
		if flipped[10] == id[10] || !validID(string(flipped)) {
			flipped[10] = 'Q'
		}
		for name, bad := range map[string]string{"unknown": unknown, "one character changed": string(flipped)} {
			_, err := m.Load(ctx, bad)
			mustNoSession(t, name, err)
		}
	})
}

func TestTamperedRecords(t *testing.T) {
	forEachBackend(t, func(t *testing.T, kv store.KV, _ func(*testing.T) map[string][]byte) {
		m := mustManager(t, kv, newClock())
		ctx := context.Background()
		id := mustCreate(t, m, "frank@example.com")
		key := m.storeKey(id)
		orig, err := kv.Get(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		variants := map[string][]byte{
			"empty":       {},
			"truncated":   orig[:len(orig)-1],
			"header only": orig[:13],
			"garbage":     []byte(`{"sub":"admin","iss":"i","email":"x"}`),
		}
		for _, i := range []int{0, 1, 12, 13, len(orig) / 2, len(orig) - 1} {
			b := append([]byte{}, orig...)
			b[i] ^= 0x01
			variants["bit flipped at byte "+strconv.Itoa(i)] = b
		}
		for name, v := range variants {
			if err := kv.Set(ctx, key, v, time.Hour); err != nil {
				t.Fatal(err)
			}
			_, err := m.Load(ctx, id)
			mustNoSession(t, name, err)
		}
		if err := kv.Set(ctx, key, orig, time.Hour); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Load(ctx, id); err != nil {
			t.Fatalf("the untouched record does not load: %v", err)
		}
	})
}

// TestRecordMovedToAnotherKey: a record copied under another session's key
// does not open there (per-session key, store key as additional data).
func TestRecordMovedToAnotherKey(t *testing.T) {
	forEachBackend(t, func(t *testing.T, kv store.KV, _ func(*testing.T) map[string][]byte) {
		m := mustManager(t, kv, newClock())
		ctx := context.Background()
		victim := mustCreate(t, m, "victim@example.com")
		attacker := mustCreate(t, m, "attacker@example.com")
		v, err := kv.Get(ctx, m.storeKey(victim))
		if err != nil {
			t.Fatal(err)
		}
		if err := kv.Set(ctx, m.storeKey(attacker), v, time.Hour); err != nil {
			t.Fatal(err)
		}
		_, err = m.Load(ctx, attacker)
		mustNoSession(t, "Load of a moved record", err)
		if d, err := m.Load(ctx, victim); err != nil || d.Email != "victim@example.com" {
			t.Fatalf("victim's own session: %v, %v", d, err)
		}
		// The same id under another secret finds nothing either.
		other, err := NewManager(kv, testSecret+"x", testTTL, testIdle, newClock().now)
		if err != nil {
			t.Fatal(err)
		}
		_, err = other.Load(ctx, victim)
		mustNoSession(t, "Load under another secret", err)
	})
}

// TestStoreDumpRevealsNothing: the raw keys and values hold neither the
// cookie id nor any identity.
func TestStoreDumpRevealsNothing(t *testing.T) {
	forEachBackend(t, func(t *testing.T, kv store.KV, dump func(*testing.T) map[string][]byte) {
		m := mustManager(t, kv, newClock())
		ctx := context.Background()
		const email = "canary-7f3a9c@example.com"
		id := mustCreate(t, m, email)
		d, err := m.Load(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := base64.RawURLEncoding.DecodeString(id)
		secrets := []string{id, email, "canary-7f3a9c", d.Subject, d.Groups[0], d.CSRF, string(raw),
			base64.StdEncoding.EncodeToString([]byte(email)), string(testSecret)}
		keyShape := regexp.MustCompile(`session:[0-9a-f]{64}$`)
		got := dump(t)
		if len(got) != 1 {
			t.Fatalf("dump holds %d keys, want 1", len(got))
		}
		for k, v := range got {
			if !keyShape.MatchString(k) {
				t.Errorf("store key %q is not session:<64 hex>", k)
			}
			for _, s := range secrets {
				if strings.Contains(k, s) || strings.Contains(string(v), s) {
					t.Errorf("store dump contains %q", s)
				}
			}
		}
	})
}

// TestStoreErrorsAreNotNoSession: a failing store gives errors the caller
// can tell from "signed out", and they do not show the id.
func TestStoreErrorsAreNotNoSession(t *testing.T) {
	closed := store.NewMemory()
	_ = closed.Close()
	kvs := map[string]func(t *testing.T) store.KV{
		"redis on a closed port": func(t *testing.T) store.KV { return storetest.Unreachable(t) },
		"failing store":          func(*testing.T) store.KV { return failingKV{} },
		"closed memory":          func(*testing.T) store.KV { return closed },
	}
	for name, open := range kvs {
		t.Run(name, func(t *testing.T) {
			m := mustManager(t, open(t), newClock())
			ctx := context.Background()
			id, err := newToken(idBytes)
			if err != nil {
				t.Fatal(err)
			}
			check := func(what string, err error) {
				t.Helper()
				if err == nil || errors.Is(err, ErrNoSession) {
					t.Errorf("%s on a failing store = %v, want a store error", what, err)
				} else if strings.Contains(err.Error(), id) {
					t.Errorf("%s error shows the id: %v", what, err)
				}
			}
			_, err = m.Create(ctx, Data{Subject: "s", Issuer: "i"})
			check("Create", err)
			_, err = m.Load(ctx, id)
			check("Load", err)
			check("Touch", m.Touch(ctx, id, &Data{LastSeen: time.Time{}}))
			check("Delete", m.Delete(ctx, id))
			if name == "failing store" {
				_, err = m.Load(ctx, id)
				if !errors.Is(err, errBoom) {
					t.Errorf("Load does not wrap the store's error: %v", err)
				}
			}
		})
	}
}

// TestTouchNeverRevivesADeletedSession: a Touch racing a sign-out cannot
// write the session back (the store writes only over a live record).
func TestTouchNeverRevivesADeletedSession(t *testing.T) {
	forEachBackend(t, func(t *testing.T, kv store.KV, _ func(*testing.T) map[string][]byte) {
		clk := newClock()
		m, err := NewManager(kv, testSecret, time.Hour, 30*time.Minute, clk.now)
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		id, err := m.Create(ctx, Data{Subject: "s", Issuer: "i", Email: "a@b.c"})
		if err != nil {
			t.Fatal(err)
		}
		d, err := m.Load(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		clk.add(5 * time.Minute)
		// The record is deleted between Touch's read and its write: model it
		// with a store whose Replace runs after a Delete.
		racing := &deleteBeforeReplace{KV: kv}
		m.kv = racing
		if err := m.Touch(ctx, id, d); !errors.Is(err, ErrNoSession) {
			t.Errorf("Touch after a concurrent delete: %v", err)
		}
		m.kv = kv
		if _, err := m.Load(ctx, id); !errors.Is(err, ErrNoSession) {
			t.Errorf("the deleted session came back: %v", err)
		}
	})
}

// deleteBeforeReplace deletes the key just before replacing it.
type deleteBeforeReplace struct{ store.KV }

func (d *deleteBeforeReplace) Replace(ctx context.Context, key string, v []byte, ttl time.Duration) (bool, error) {
	if err := d.KV.Delete(ctx, key); err != nil {
		return false, err
	}
	return d.KV.Replace(ctx, key, v, ttl)
}
