package storetest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/thehive-portal/thehive-portal/proxy/store"
)

func testIncr(t *testing.T, newKV NewKV) {
	kv := open(t, newKV)
	ctx := context.Background()
	for want := int64(1); want <= 3; want++ {
		got, err := kv.Incr(ctx, "n")
		if err != nil || got != want {
			t.Fatalf("Incr = %d, %v; want %d", got, err, want)
		}
	}
	mustGet(t, kv, "n", []byte("3"))

	mustSet(t, kv, "text", []byte("not a number"), time.Hour)
	_, err := kv.Incr(ctx, "text")
	mustFail(t, "Incr of a non-integer", err)
	mustGet(t, kv, "text", []byte("not a number"))

	// A counter set with a ttl keeps it. (The ttl leaves room for a slow
	// machine between Set and Incr; the check is not about speed.)
	mustSet(t, kv, "ttl", []byte("41"), time.Second)
	if got, err := kv.Incr(ctx, "ttl"); err != nil || got != 42 {
		t.Fatalf("Incr = %d, %v; want 42", got, err)
	}
	eventually(t, "counter with a ttl expires", func() bool {
		_, err := kv.Get(ctx, "ttl")
		return errors.Is(err, store.ErrNotFound)
	})
}

func testIncrConcurrent(t *testing.T, newKV NewKV) {
	kv := open(t, newKV)
	const workers, each = 8, 50
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		seen = map[int64]bool{}
	)
	for range workers {
		wg.Go(func() {
			for range each {
				n, err := kv.Incr(context.Background(), "n")
				if err != nil {
					t.Errorf("Incr: %v", err)
					return
				}
				mu.Lock()
				if seen[n] {
					t.Errorf("Incr returned %d twice", n)
				}
				seen[n] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	mustGet(t, kv, "n", []byte(strconv.Itoa(workers*each)))
}

func testAppend(t *testing.T, newKV NewKV) {
	kv := open(t, newKV)
	ctx := context.Background()
	for i := range 200 {
		f := map[string]string{"event": "read", "n": strconv.Itoa(i), "who": "a@example.com"}
		if err := kv.Append(ctx, "audit", f); err != nil {
			t.Fatalf("Append: %v", err)
		}
	}
	mustFail(t, "Append without fields", kv.Append(ctx, "audit", nil))
	mustFail(t, "Append without fields", kv.Append(ctx, "audit", map[string]string{}))

	// A stream is not a value: reading it is an error, never "absent".
	_, err := kv.Get(ctx, "audit")
	mustFail(t, "Get of a stream", err)
	_, err = kv.Incr(ctx, "audit")
	mustFail(t, "Incr of a stream", err)

	mustSet(t, kv, "value", []byte("v"), time.Hour)
	mustFail(t, "Append to a value", kv.Append(ctx, "value", map[string]string{"a": "b"}))
	mustGet(t, kv, "value", []byte("v"))

	// Set replaces a stream (as Redis SET does); Delete removes one.
	if err := kv.Append(ctx, "s2", map[string]string{"a": "b"}); err != nil {
		t.Fatal(err)
	}
	mustSet(t, kv, "s2", []byte("now a value"), time.Hour)
	mustGet(t, kv, "s2", []byte("now a value"))
	if err := kv.Delete(ctx, "audit"); err != nil {
		t.Fatal(err)
	}
	mustBeAbsent(t, kv, "audit")
}

func testIsolation(t *testing.T, newKV NewKV) {
	a, b := open(t, newKV), open(t, newKV)
	ctx := context.Background()
	mustSet(t, a, "k", []byte("a"), time.Hour)
	mustBeAbsent(t, b, "k")
	mustSet(t, b, "k", []byte("b"), time.Hour)
	mustGet(t, a, "k", []byte("a"))
	if err := b.Delete(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	mustGet(t, a, "k", []byte("a"))
	if n, err := a.Incr(ctx, "n"); err != nil || n != 1 {
		t.Fatalf("a.Incr = %d, %v", n, err)
	}
	if n, err := b.Incr(ctx, "n"); err != nil || n != 1 {
		t.Fatalf("b.Incr = %d, %v; counters are shared across stores", n, err)
	}
}

func testConcurrent(t *testing.T, newKV NewKV) {
	kv := open(t, newKV)
	const workers, ops, keys = 12, 150, 6
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			ctx := context.Background()
			for i := range ops {
				key := "k" + strconv.Itoa((w+i)%keys)
				var err error
				switch i % 4 {
				case 0, 1:
					err = kv.Set(ctx, key, fmt.Appendf(nil, "v-%d-%d", w, i), time.Minute)
				case 2:
					var v []byte
					v, err = kv.Get(ctx, key)
					if errors.Is(err, store.ErrNotFound) {
						err = nil
					} else if err == nil && !strings.HasPrefix(string(v), "v-") {
						err = fmt.Errorf("torn value %q", v)
					}
				case 3:
					err = kv.Delete(ctx, key)
				}
				if err != nil {
					t.Errorf("worker %d op %d: %v", w, i, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func testPing(t *testing.T, newKV NewKV) {
	if err := open(t, newKV).Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func testContextDone(t *testing.T, newKV NewKV) {
	kv := open(t, newKV)
	mustSet(t, kv, "k", []byte("v"), time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := kv.Get(ctx, "k")
	mustFail(t, "Get with a canceled context", err)
	_, err = kv.Get(ctx, "absent")
	mustFail(t, "Get of an absent key with a canceled context", err)
	mustFail(t, "Set with a canceled context", kv.Set(ctx, "k", []byte("v"), time.Hour))
}

func testClosed(t *testing.T, newKV NewKV) {
	kv := newKV(t)
	mustSet(t, kv, "k", []byte("v"), time.Hour)
	if err := kv.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	ctx := context.Background()
	check := func(what string, err error) {
		t.Helper()
		mustFail(t, what, err)
		if !errors.Is(err, store.ErrClosed) {
			t.Errorf("%s after Close: %v, want ErrClosed", what, err)
		}
	}
	_, err := kv.Get(ctx, "k")
	check("Get", err)
	_, err = kv.Get(ctx, "absent")
	check("Get of an absent key", err)
	check("Set", kv.Set(ctx, "k", []byte("v"), time.Hour))
	check("Delete", kv.Delete(ctx, "k"))
	_, err = kv.Incr(ctx, "n")
	check("Incr", err)
	check("Append", kv.Append(ctx, "s", map[string]string{"a": "b"}))
	check("Ping", kv.Ping(ctx))
	if err := kv.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
