package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/thehive-portal/thehive-portal/proxy/store"
)

// DefaultRedisURL is the server used when REDIS_URL is not set.
const DefaultRedisURL = "redis://127.0.0.1:6379/0"

// TestPrefix starts the prefix of every store NewRedis returns.
const TestPrefix = "thehive-portal-test:"

// RedisURL returns $REDIS_URL, or DefaultRedisURL.
func RedisURL() string {
	if u := os.Getenv("REDIS_URL"); u != "" {
		return u
	}
	return DefaultRedisURL
}

// Raw returns a plain go-redis client on the test server, for tests that
// read what a store wrote. It is closed when the test ends. Like NewRedis,
// it skips (or, with CI set, fails) the test when the server is down.
func Raw(tb testing.TB) *redis.Client {
	tb.Helper()
	o, err := redis.ParseURL(RedisURL())
	if err != nil {
		tb.Fatalf("storetest: REDIS_URL is not a valid Redis URL")
	}
	o.DisableIdentity = true
	o.DialTimeout, o.ReadTimeout, o.WriteTimeout = 2*time.Second, 2*time.Second, 2*time.Second
	o.DialerRetries = 1 // an absent server is reported at once
	c := redis.NewClient(o)
	tb.Cleanup(func() { _ = c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		unreachable(tb, err)
	}
	return c
}

// unreachable skips the test, or fails it when CI is set.
func unreachable(tb testing.TB, err error) {
	tb.Helper()
	where := "[unparsable REDIS_URL]"
	if u, perr := url.Parse(RedisURL()); perr == nil {
		where = u.Scheme + "://" + u.Host + u.Path // no credentials
	}
	msg := "storetest: Redis is not reachable at " + where + " (" + err.Error() + "); " +
		"start one with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 " +
		`--save "" --appendonly no, or set REDIS_URL`
	if os.Getenv("CI") != "" {
		tb.Fatal(msg + " [CI is set: failing]")
	}
	tb.Skip(msg)
}

// NewRedis returns a store.Redis on the test server under a fresh random
// prefix. Its keys are deleted (SCAN by prefix) and the store is closed
// when the test ends.
func NewRedis(tb testing.TB) *store.Redis {
	tb.Helper()
	raw := Raw(tb)
	prefix := TestPrefix + randomHex(tb) + ":"
	kv, err := store.NewRedis(store.RedisOptions{URL: RedisURL(), Prefix: prefix, Timeout: 2 * time.Second})
	if err != nil {
		tb.Fatalf("storetest: %v", err)
	}
	tb.Cleanup(func() {
		_ = kv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		for key := range Dump(tb, raw, prefix) {
			if err := raw.Del(ctx, key).Err(); err != nil {
				tb.Errorf("storetest: cleanup: %v", err)
				return
			}
		}
	})
	return kv
}

// Dump returns every key under prefix with its raw value, read with SCAN
// and GET. Keys that hold no string (streams) map to nil.
func Dump(tb testing.TB, raw *redis.Client, prefix string) map[string][]byte {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out := map[string][]byte{}
	iter := raw.Scan(ctx, 0, escapeGlob(prefix)+"*", 1000).Iterator()
	for iter.Next(ctx) {
		key := iter.Val()
		typ, err := raw.Type(ctx, key).Result()
		if err != nil {
			tb.Fatalf("storetest: dump: %v", err)
		}
		if typ != "string" {
			out[key] = nil
			continue
		}
		v, err := raw.Get(ctx, key).Bytes()
		switch {
		case err == nil:
			out[key] = v
		case !errors.Is(err, redis.Nil): // expired since SCAN: skip
			tb.Fatalf("storetest: dump: %v", err)
		}
	}
	if err := iter.Err(); err != nil {
		tb.Fatalf("storetest: dump: %v", err)
	}
	return out
}

// Unreachable returns a store.Redis pointed at a port on 127.0.0.1 where
// nothing listens, with a short timeout.
func Unreachable(tb testing.TB) *store.Redis {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		tb.Fatal(err)
	}
	kv, err := store.NewRedis(store.RedisOptions{
		URL:     "redis://:not-the-password@" + addr + "/0",
		Prefix:  TestPrefix + "unreachable:",
		Timeout: 200 * time.Millisecond,
	})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = kv.Close() })
	return kv
}

func randomHex(tb testing.TB) string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		tb.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// escapeGlob quotes the characters SCAN MATCH treats specially.
func escapeGlob(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[]\^`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// SilenceRedisLog discards go-redis' own log lines, such as the dial
// failures that tests provoke on purpose. It changes a process-wide
// setting: call it only from TestMain.
func SilenceRedisLog() { redis.SetLogger(discardLog{}) }

type discardLog struct{}

func (discardLog) Printf(context.Context, string, ...any) {}
