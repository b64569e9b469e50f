package session

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/proxy/store"
	"github.com/thehive-portal/thehive-portal/proxy/store/storetest"
)

func TestMain(m *testing.M) {
	storetest.SilenceRedisLog()
	os.Exit(m.Run())
}

const (
	testTTL  = 8 * time.Hour
	testIdle = time.Hour
)

var testSecret = config.Secret(strings.Repeat("s", 40))

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)} }

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// recordingKV counts calls and remembers the ttl of each Set.
type recordingKV struct {
	store.KV
	mu   sync.Mutex
	gets int
	sets int
	ttls []time.Duration
}

func (r *recordingKV) Get(ctx context.Context, key string) ([]byte, error) {
	r.mu.Lock()
	r.gets++
	r.mu.Unlock()
	return r.KV.Get(ctx, key)
}

func (r *recordingKV) Set(ctx context.Context, key string, v []byte, ttl time.Duration) error {
	r.mu.Lock()
	r.sets++
	r.ttls = append(r.ttls, ttl)
	r.mu.Unlock()
	return r.KV.Set(ctx, key, v, ttl)
}

func (r *recordingKV) Replace(ctx context.Context, key string, v []byte, ttl time.Duration) (bool, error) {
	r.mu.Lock()
	r.sets++
	r.ttls = append(r.ttls, ttl)
	r.mu.Unlock()
	return r.KV.Replace(ctx, key, v, ttl)
}

func (r *recordingKV) counts() (gets, sets int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.gets, r.sets
}

func (r *recordingKV) lastTTL() time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ttls[len(r.ttls)-1]
}

// errBoom is what failingKV returns.
var errBoom = errors.New("boom: store down")

// failingKV fails every call.
type failingKV struct{}

func (failingKV) Get(context.Context, string) ([]byte, error)              { return nil, errBoom }
func (failingKV) Set(context.Context, string, []byte, time.Duration) error { return errBoom }
func (failingKV) Replace(context.Context, string, []byte, time.Duration) (bool, error) {
	return false, errBoom
}
func (failingKV) Add(context.Context, string, []byte, time.Duration) (bool, error) {
	return false, errBoom
}
func (failingKV) Delete(context.Context, ...string) error                 { return errBoom }
func (failingKV) Incr(context.Context, string) (int64, error)             { return 0, errBoom }
func (failingKV) Append(context.Context, string, map[string]string) error { return errBoom }
func (failingKV) Ping(context.Context) error                              { return errBoom }
func (failingKV) Close() error                                            { return nil }

var _ store.KV = failingKV{}

// backend is one store the tests run against. dump returns the raw keys
// and values it holds (Redis: read from the server with SCAN and GET).
type backend struct {
	name string
	open func(t *testing.T) (kv store.KV, dump func(t *testing.T) map[string][]byte)
}

var backends = []backend{
	{"memory", func(t *testing.T) (store.KV, func(*testing.T) map[string][]byte) {
		d := &dumpKV{KV: store.NewMemory(), keys: map[string]bool{}}
		t.Cleanup(func() { _ = d.Close() })
		return d, d.dump
	}},
	{"redis", func(t *testing.T) (store.KV, func(*testing.T) map[string][]byte) {
		kv := storetest.NewRedis(t)
		raw := storetest.Raw(t)
		return kv, func(t *testing.T) map[string][]byte { return storetest.Dump(t, raw, kv.Prefix()) }
	}},
}

// dumpKV remembers the keys written to a Memory so that its content can
// be dumped.
type dumpKV struct {
	store.KV
	mu   sync.Mutex
	keys map[string]bool
}

func (d *dumpKV) Set(ctx context.Context, key string, v []byte, ttl time.Duration) error {
	d.mu.Lock()
	d.keys[key] = true
	d.mu.Unlock()
	return d.KV.Set(ctx, key, v, ttl)
}

func (d *dumpKV) dump(t *testing.T) map[string][]byte {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := map[string][]byte{}
	for k := range d.keys {
		v, err := d.KV.Get(context.Background(), k)
		if err == nil {
			out[k] = v
		} else if !errors.Is(err, store.ErrNotFound) {
			t.Fatal(err)
		}
	}
	return out
}

// forEachBackend runs fn once per backend.
func forEachBackend(t *testing.T, fn func(t *testing.T, kv store.KV, dump func(*testing.T) map[string][]byte)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			kv, dump := b.open(t)
			fn(t, kv, dump)
		})
	}
}

// mustManager builds a Manager with the test secret and ttls.
func mustManager(t *testing.T, kv store.KV, c *clock) *Manager {
	t.Helper()
	m, err := NewManager(kv, testSecret, testTTL, testIdle, c.now)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// mustCreate creates a session for a sample user.
func mustCreate(t *testing.T, m *Manager, email string) string {
	t.Helper()
	id, err := m.Create(context.Background(), Data{
		Subject: "sub-" + email, Issuer: "https://idp.example.com", Email: email,
		Groups: []string{"grp-" + email}, Profile: "reporter",
	})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	return id
}

// mustNoSession fails t unless err is ErrNoSession.
func mustNoSession(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, ErrNoSession) {
		t.Fatalf("%s: %v, want ErrNoSession", what, err)
	}
}
