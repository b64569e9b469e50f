package store_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/thehive-portal/thehive-portal/proxy/store"
	"github.com/thehive-portal/thehive-portal/proxy/store/storetest"
)

func TestMain(m *testing.M) {
	storetest.SilenceRedisLog()
	os.Exit(m.Run())
}

func TestMemoryConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.KV { return store.NewMemory() })
}

func TestRedisConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.KV { return storetest.NewRedis(t) })
}

// TestRedisUnreachable: a Redis that is gone gives errors, never
// ErrNotFound, and gives them without hanging.
func TestRedisUnreachable(t *testing.T) {
	kv := storetest.Unreachable(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := kv.Get(ctx, "session:x")
	if err == nil || errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get on a dead Redis = %v, want an error that is not ErrNotFound", err)
	}
	if ctx.Err() != nil {
		t.Fatalf("Get on a dead Redis ran into the test's 10s guard: %v", err)
	}
	if strings.Contains(err.Error(), "not-the-password") {
		t.Fatalf("error shows the password: %v", err)
	}
	if err := kv.Set(ctx, "k", []byte("v"), time.Minute); err == nil {
		t.Fatal("Set on a dead Redis succeeded")
	}
	if _, err := kv.Incr(ctx, "n"); err == nil {
		t.Fatal("Incr on a dead Redis succeeded")
	}
	if err := kv.Ping(ctx); err == nil {
		t.Fatal("Ping on a dead Redis succeeded")
	}
}

func TestNewRedisRejects(t *testing.T) {
	const pw = "s3cr3t-pw"
	tests := []struct {
		name string
		opts store.RedisOptions
	}{
		{"bad scheme", store.RedisOptions{URL: "http://u:" + pw + "@127.0.0.1:6379/0", Prefix: "p:"}},
		{"bad port", store.RedisOptions{URL: "redis://u:" + pw + "@127.0.0.1:port/0", Prefix: "p:"}},
		{"bad db", store.RedisOptions{URL: "redis://u:" + pw + "@127.0.0.1:6379/x" + pw, Prefix: "p:"}},
		{"unknown parameter", store.RedisOptions{URL: "redis://:" + pw + "@127.0.0.1:6379/0?" + pw + "=1", Prefix: "p:"}},
		{"control character", store.RedisOptions{URL: "redis://:" + pw + "@127.0.0.1:6379/0\x7f", Prefix: "p:"}},
		{"empty prefix", store.RedisOptions{URL: "redis://127.0.0.1:6379/0"}},
		{"negative timeout", store.RedisOptions{URL: "redis://127.0.0.1:6379/0", Prefix: "p:", Timeout: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kv, err := store.NewRedis(tt.opts)
			if err == nil {
				_ = kv.Close()
				t.Fatal("NewRedis accepted the options")
			}
			if strings.Contains(err.Error(), pw) {
				t.Fatalf("error shows the password: %v", err)
			}
		})
	}
}

// TestRedisWrongPassword: an AUTH failure is an error that does not show
// the password. (The test server has no password, so any AUTH fails.)
func TestRedisWrongPassword(t *testing.T) {
	storetest.Raw(t) // skips when there is no server
	const pw = "wrong-s3cr3t"
	url := storetest.RedisURL()
	if !strings.HasPrefix(url, "redis://") || strings.Contains(url, "@") {
		t.Skip("REDIS_URL is not a plain redis:// URL without credentials")
	}
	kv, err := store.NewRedis(store.RedisOptions{
		URL:    strings.Replace(url, "redis://", "redis://someone:"+pw+"@", 1),
		Prefix: storetest.TestPrefix + "auth:",
	})
	if err != nil {
		t.Fatal(err)
	}
	defer kv.Close()
	_, err = kv.Get(context.Background(), "k")
	if err == nil || errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get with a wrong password = %v, want an auth error", err)
	}
	if strings.Contains(err.Error(), pw) {
		t.Fatalf("error shows the password: %v", err)
	}
}

func TestRedisOptionsRedacted(t *testing.T) {
	o := store.RedisOptions{URL: "redis://user:s3cr3t@redis.internal:6379/2?dial_timeout=1", Prefix: "p:", Timeout: time.Second}
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("x", "redis", o)
	for _, s := range []string{fmt.Sprint(o), fmt.Sprintf("%+v", o), fmt.Sprintf("%#v", o), fmt.Sprintf("%s", o), fmt.Sprintf("%q", o), logged.String()} {
		if strings.Contains(s, "s3cr3t") || strings.Contains(s, "user") {
			t.Errorf("credentials shown: %s", s)
		}
		if !strings.Contains(s, "redis.internal:6379") {
			t.Errorf("host missing: %s", s)
		}
	}
}

// TestRedisKeysOnServer: every key is written under the prefix and values
// are stored as given.
func TestRedisKeysOnServer(t *testing.T) {
	kv := storetest.NewRedis(t)
	raw := storetest.Raw(t)
	ctx := context.Background()
	if err := kv.Set(ctx, "k", []byte("v"), time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := kv.Incr(ctx, "n"); err != nil {
		t.Fatal(err)
	}
	if err := kv.Append(ctx, "audit", map[string]string{"a": "b"}); err != nil {
		t.Fatal(err)
	}
	dump := storetest.Dump(t, raw, kv.Prefix())
	if len(dump) != 3 || string(dump[kv.Prefix()+"k"]) != "v" || string(dump[kv.Prefix()+"n"]) != "1" {
		t.Fatalf("keys on the server: %q", dump)
	}
	if ttl := raw.PTTL(ctx, kv.Prefix()+"k").Val(); ttl <= 0 || ttl > time.Minute {
		t.Errorf("PTTL = %v, want (0, 1m]", ttl)
	}
	if ttl := raw.PTTL(ctx, kv.Prefix()+"n").Val(); ttl != -1 {
		t.Errorf("counter PTTL = %v, want none (-1)", ttl)
	}
	if ttl := raw.PTTL(ctx, kv.Prefix()+"audit").Val(); ttl != -1 {
		t.Errorf("stream PTTL = %v, want none (-1)", ttl)
	}
	all, err := raw.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range all {
		if k == "k" || k == "n" || k == "audit" {
			t.Errorf("unprefixed key %q on the server", k)
		}
	}
}

// TestRedisStreamTrimmed: XADD carries MAXLEN ~, so a stream stays near
// its bound (trimmed by whole radix-tree nodes, so allow slack).
func TestRedisStreamTrimmed(t *testing.T) {
	kv := storetest.NewRedis(t)
	raw := storetest.Raw(t)
	store.SetStreamMaxLen(kv, 10)
	ctx := context.Background()
	for i := range 1000 {
		if err := kv.Append(ctx, "audit", map[string]string{"n": strconv.Itoa(i), "b": "x", "a": "y"}); err != nil {
			t.Fatal(err)
		}
	}
	n, err := raw.XLen(ctx, kv.Prefix()+"audit").Result()
	if err != nil {
		t.Fatal(err)
	}
	if n < 10 || n > 250 {
		t.Fatalf("XLEN = %d, want about 10 (at most a few hundred)", n)
	}
	last, err := raw.XRevRangeN(ctx, kv.Prefix()+"audit", "+", "-", 1).Result()
	if err != nil || len(last) != 1 || last[0].Values["n"] != "999" || last[0].Values["a"] != "y" {
		t.Fatalf("last entry = %v, %v", last, err)
	}
}
