package storetest

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/thehive-portal/thehive-portal/proxy/store"
)

// NewKV returns a fresh, empty store for one subtest. Two calls within one
// test must give stores that do not see each other's keys (for Redis: two
// prefixes). The suite closes each store when its subtest ends.
type NewKV func(t *testing.T) store.KV

// Run runs the conformance suite against the stores newKV returns. Run it
// with -race: several subtests use the store from many goroutines.
func Run(t *testing.T, newKV NewKV) {
	t.Helper()
	tests := []struct {
		name string
		run  func(t *testing.T, newKV NewKV)
	}{
		{"get: absent key is ErrNotFound", testGetAbsent},
		{"set: round trip, overwrite, copies", testSetGet},
		{"set: bad ttl and empty keys are errors", testBadInput},
		{"delete: several keys, absent ones ignored", testDelete},
		{"replace: only a live key is written", testReplace},
		{"add: only an absent key is written, once", testAdd},
		{"ttl: short ttl expires, long one stays", testTTL},
		{"ttl: set again replaces the ttl", testTTLReplaced},
		{"incr: counts from 1 and keeps the value readable", testIncr},
		{"incr: atomic under concurrency", testIncrConcurrent},
		{"append: stream entries and type errors", testAppend},
		{"prefix: two stores are isolated", testIsolation},
		{"concurrency: mixed operations", testConcurrent},
		{"ping", testPing},
		{"context: a done context is an error", testContextDone},
		{"close: every call fails with ErrClosed", testClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newKV)
		})
	}
}

// open calls newKV and closes the store when t ends.
func open(t *testing.T, newKV NewKV) store.KV {
	t.Helper()
	kv := newKV(t)
	t.Cleanup(func() { _ = kv.Close() })
	return kv
}

// mustGet fails t unless key holds want.
func mustGet(t *testing.T, kv store.KV, key string, want []byte) {
	t.Helper()
	got, err := kv.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("Get(%q) = %q, want %q", key, got, want)
	}
}

// mustSet fails t if Set fails.
func mustSet(t *testing.T, kv store.KV, key string, value []byte, ttl time.Duration) {
	t.Helper()
	if err := kv.Set(context.Background(), key, value, ttl); err != nil {
		t.Fatalf("Set(%q): %v", key, err)
	}
}

// mustBeAbsent fails t unless Get gives ErrNotFound.
func mustBeAbsent(t *testing.T, kv store.KV, key string) {
	t.Helper()
	if v, err := kv.Get(context.Background(), key); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get(%q) = %q, %v; want ErrNotFound", key, v, err)
	}
}

// mustFail fails t unless err is a real error: non-nil and not ErrNotFound.
func mustFail(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error", what)
	}
	if errors.Is(err, store.ErrNotFound) {
		t.Fatalf("%s: error %v looks like ErrNotFound; a failure must not read as absence", what, err)
	}
}

// eventually polls cond every 10ms for up to 10s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: still not true after 10s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func testGetAbsent(t *testing.T, newKV NewKV) {
	kv := open(t, newKV)
	mustBeAbsent(t, kv, "never-set")
}

func testSetGet(t *testing.T, newKV NewKV) {
	kv := open(t, newKV)
	mustSet(t, kv, "k", []byte("v1"), time.Hour)
	mustGet(t, kv, "k", []byte("v1"))
	mustSet(t, kv, "k", []byte("v2"), time.Hour)
	mustGet(t, kv, "k", []byte("v2"))

	binary := []byte{0, 1, 0xfe, 0xff, '\n', '\r', 0}
	mustSet(t, kv, "bin", binary, time.Hour)
	mustGet(t, kv, "bin", binary)

	mustSet(t, kv, "empty", nil, time.Hour)
	mustGet(t, kv, "empty", []byte{})

	odd := "key with spaces/:*?[]{}\x00é"
	mustSet(t, kv, odd, []byte("odd"), time.Hour)
	mustGet(t, kv, odd, []byte("odd"))

	in := []byte("original")
	mustSet(t, kv, "copy", in, time.Hour)
	in[0] = 'X'
	out, err := kv.Get(context.Background(), "copy")
	if err != nil {
		t.Fatal(err)
	}
	out[0] = 'Y'
	mustGet(t, kv, "copy", []byte("original"))
}

func testBadInput(t *testing.T, newKV NewKV) {
	kv := open(t, newKV)
	ctx := context.Background()
	for _, ttl := range []time.Duration{0, -time.Second} {
		mustFail(t, "Set with ttl "+ttl.String(), kv.Set(ctx, "k", []byte("v"), ttl))
	}
	mustBeAbsent(t, kv, "k")
	_, err := kv.Get(ctx, "")
	mustFail(t, `Get("")`, err)
	mustFail(t, `Set("")`, kv.Set(ctx, "", []byte("v"), time.Hour))
	mustFail(t, `Delete("")`, kv.Delete(ctx, "a", ""))
	_, err = kv.Incr(ctx, "")
	mustFail(t, `Incr("")`, err)
	mustFail(t, `Append("")`, kv.Append(ctx, "", map[string]string{"a": "b"}))
}

func testDelete(t *testing.T, newKV NewKV) {
	kv := open(t, newKV)
	ctx := context.Background()
	for _, k := range []string{"a", "b", "c"} {
		mustSet(t, kv, k, []byte(k), time.Hour)
	}
	if err := kv.Delete(ctx, "a", "b", "absent"); err != nil {
		t.Fatal(err)
	}
	mustBeAbsent(t, kv, "a")
	mustBeAbsent(t, kv, "b")
	mustGet(t, kv, "c", []byte("c"))
	if err := kv.Delete(ctx); err != nil {
		t.Fatalf("Delete with no keys: %v", err)
	}
	if err := kv.Delete(ctx, "absent"); err != nil {
		t.Fatalf("Delete of an absent key: %v", err)
	}
}

func testTTL(t *testing.T, newKV NewKV) {
	kv := open(t, newKV)
	mustSet(t, kv, "short", []byte("s"), 50*time.Millisecond)
	mustSet(t, kv, "long", []byte("l"), time.Hour)
	eventually(t, "short key expires", func() bool {
		_, err := kv.Get(context.Background(), "short")
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("Get: %v", err)
		}
		return errors.Is(err, store.ErrNotFound)
	})
	mustGet(t, kv, "long", []byte("l"))
}

func testTTLReplaced(t *testing.T, newKV NewKV) {
	kv := open(t, newKV)
	mustSet(t, kv, "k", []byte("first"), 50*time.Millisecond)
	mustSet(t, kv, "k", []byte("second"), time.Hour)
	// The marker is written after k's first ttl started: once it is
	// gone, that ttl has certainly passed.
	mustSet(t, kv, "marker", []byte("m"), 50*time.Millisecond)
	eventually(t, "marker expires", func() bool {
		_, err := kv.Get(context.Background(), "marker")
		return errors.Is(err, store.ErrNotFound)
	})
	mustGet(t, kv, "k", []byte("second"))
}

func testAdd(t *testing.T, newKV NewKV) {
	kv := open(t, newKV)
	ctx := context.Background()
	if ok, err := kv.Add(ctx, "a", []byte("1"), time.Minute); err != nil || !ok {
		t.Fatalf("Add of an absent key = %v, %v", ok, err)
	}
	if ok, err := kv.Add(ctx, "a", []byte("2"), time.Minute); err != nil || ok {
		t.Fatalf("Add of a live key = %v, %v", ok, err)
	}
	mustGet(t, kv, "a", []byte("1"))
	if ok, err := kv.Add(ctx, "short", []byte("1"), 50*time.Millisecond); err != nil || !ok {
		t.Fatalf("Add = %v, %v", ok, err)
	}
	eventually(t, "short expires", func() bool {
		ok, err := kv.Add(ctx, "short", []byte("2"), time.Minute)
		return err == nil && ok
	})
	mustGet(t, kv, "short", []byte("2"))
	var wins atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ok, err := kv.Add(ctx, "race", []byte("x"), time.Minute); err == nil && ok {
				wins.Add(1)
			}
		}()
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Errorf("%d of 16 concurrent Adds won, want exactly 1", wins.Load())
	}
}

func testReplace(t *testing.T, newKV NewKV) {
	kv := open(t, newKV)
	ctx := context.Background()
	ok, err := kv.Replace(ctx, "r", []byte("1"), time.Minute)
	if err != nil || ok {
		t.Fatalf("Replace of an absent key = %v, %v", ok, err)
	}
	mustBeAbsent(t, kv, "r")
	mustSet(t, kv, "r", []byte("1"), time.Minute)
	if ok, err := kv.Replace(ctx, "r", []byte("2"), time.Minute); err != nil || !ok {
		t.Fatalf("Replace of a live key = %v, %v", ok, err)
	}
	mustGet(t, kv, "r", []byte("2"))
	if err := kv.Delete(ctx, "r"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := kv.Replace(ctx, "r", []byte("3"), time.Minute); ok {
		t.Error("Replace wrote a deleted key back")
	}
	mustBeAbsent(t, kv, "r")
}
