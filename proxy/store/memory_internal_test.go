package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock for Memory.now.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func mustMemory(tb testing.TB, opts ...MemoryOption) (*Memory, *fakeClock) {
	tb.Helper()
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	m := NewMemory(append(opts, func(m *Memory) { m.now = clock.now })...)
	tb.Cleanup(func() { _ = m.Close() })
	return m, clock
}

// checkAccounting recomputes the byte count and compares.
func checkAccounting(t *testing.T, m *Memory) {
	t.Helper()
	var sum int64
	for k, e := range m.entries {
		want := entrySize(k, len(e.value))
		if e.value != nil && e.expires.IsZero() {
			want = entrySize(k, counterSize)
		}
		if e.stream != nil {
			want = entrySize(k, 0)
			for _, f := range e.stream.items {
				want += fieldsSize(f)
			}
		}
		if e.size != want {
			t.Errorf("entry %q accounts %d bytes, want %d", k, e.size, want)
		}
		sum += e.size
	}
	if sum != m.bytes {
		t.Errorf("store accounts %d bytes, entries hold %d", m.bytes, sum)
	}
}

func TestMemoryExpiryWithClock(t *testing.T) {
	m, clock := mustMemory(t)
	ctx := context.Background()
	if err := m.Set(ctx, "k", []byte("v"), time.Minute); err != nil {
		t.Fatal(err)
	}
	clock.add(time.Minute - time.Nanosecond)
	if _, err := m.Get(ctx, "k"); err != nil {
		t.Fatalf("before expiry: %v", err)
	}
	clock.add(time.Nanosecond)
	if _, err := m.Get(ctx, "k"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("at expiry: %v, want ErrNotFound", err)
	}
	if len(m.entries) != 0 {
		t.Fatalf("expired key kept after a read: %d entries", len(m.entries))
	}
}

func TestMemorySweep(t *testing.T) {
	m, clock := mustMemory(t)
	ctx := context.Background()
	for i := range 100 {
		if err := m.Set(ctx, "old"+strconv.Itoa(i), []byte("v"), time.Second); err != nil {
			t.Fatal(err)
		}
	}
	clock.add(sweepEvery)
	if err := m.Set(ctx, "new", []byte("v"), time.Hour); err != nil {
		t.Fatal(err)
	}
	if len(m.entries) != 1 {
		t.Fatalf("after a sweep: %d entries, want 1", len(m.entries))
	}
	checkAccounting(t, m)
}

func TestMemoryMaxEntriesEvictsSoonestExpiry(t *testing.T) {
	m, _ := mustMemory(t, WithMaxEntries(10))
	ctx := context.Background()
	for i := range 10 {
		ttl := time.Hour + time.Duration(i)*time.Minute
		if err := m.Set(ctx, "k"+strconv.Itoa(i), []byte("v"), ttl); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 50 {
		if err := m.Set(ctx, "more"+strconv.Itoa(i), []byte("v"), 2*time.Hour); err != nil {
			t.Fatal(err)
		}
		if len(m.entries) > 10 {
			t.Fatalf("%d entries, limit 10", len(m.entries))
		}
	}
	// With only 10 keys, a sample covers all of them: the soonest go first.
	if _, err := m.Get(ctx, "k0"); !errors.Is(err, ErrNotFound) {
		t.Errorf("k0 (soonest expiry) survived: %v", err)
	}
	checkAccounting(t, m)
}

func TestMemoryMaxBytes(t *testing.T) {
	m, _ := mustMemory(t, WithMaxBytes(10_000))
	ctx := context.Background()
	big := make([]byte, 1000)
	for i := range 100 {
		if err := m.Set(ctx, "k"+strconv.Itoa(i), big, time.Hour); err != nil {
			t.Fatal(err)
		}
		if m.bytes > 10_000 {
			t.Fatalf("%d bytes held, limit 10000", m.bytes)
		}
	}
	if err := m.Set(ctx, "huge", make([]byte, 20_000), time.Hour); err == nil {
		t.Fatal("a value larger than the store was accepted")
	}
	checkAccounting(t, m)
}

// TestMemoryCountersNeverEvicted: a full store refuses a new key rather
// than resetting a counter (a version counter that restarts could revive
// stale cached data).
func TestMemoryCountersNeverEvicted(t *testing.T) {
	m, _ := mustMemory(t, WithMaxEntries(5))
	ctx := context.Background()
	for i := range 5 {
		if _, err := m.Incr(ctx, "n"+strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Set(ctx, "k", []byte("v"), time.Hour); !errors.Is(err, errFull) {
		t.Fatalf("Set in a store full of counters = %v, want errFull", err)
	}
	if _, err := m.Incr(ctx, "n5"); !errors.Is(err, errFull) {
		t.Fatalf("Incr of a new counter = %v, want errFull", err)
	}
	if n, err := m.Incr(ctx, "n0"); err != nil || n != 2 {
		t.Fatalf("Incr of an existing counter = %d, %v", n, err)
	}
	checkAccounting(t, m)
}

func TestMemoryStreamRing(t *testing.T) {
	m, _ := mustMemory(t, WithStreamLen(5))
	ctx := context.Background()
	for i := range 12 {
		if err := m.Append(ctx, "audit", map[string]string{"n": strconv.Itoa(i)}); err != nil {
			t.Fatal(err)
		}
	}
	got := m.entries["audit"].stream.entries()
	if len(got) != 5 {
		t.Fatalf("%d entries kept, want 5", len(got))
	}
	for i, f := range got {
		if want := strconv.Itoa(7 + i); f["n"] != want {
			t.Errorf("entry %d = %v, want n=%s", i, f, want)
		}
	}
	checkAccounting(t, m)
}

func TestMemoryIncrOverflow(t *testing.T) {
	m, _ := mustMemory(t)
	ctx := context.Background()
	if err := m.Set(ctx, "n", []byte(fmt.Sprint(int64(1<<63-1))), time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Incr(ctx, "n"); err == nil {
		t.Fatal("overflow accepted")
	}
	if err := m.Set(ctx, "n", []byte("99"), time.Hour); err != nil {
		t.Fatal(err)
	}
	if n, err := m.Incr(ctx, "n"); err != nil || n != 100 {
		t.Fatalf("Incr = %d, %v", n, err)
	}
	checkAccounting(t, m)
}
