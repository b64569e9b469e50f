package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultRedisTimeout is the per-command timeout used when
// RedisOptions.Timeout is zero.
const DefaultRedisTimeout = 500 * time.Millisecond

// RedisOptions configures NewRedis. Printing it (fmt, slog) never shows
// the URL's credentials.
type RedisOptions struct {
	// URL is a redis://, rediss:// or unix:// URL, such as
	// redis://user:password@127.0.0.1:6379/0. It is a credential: pass
	// config.Redis.URL.Reveal() here and nowhere else. Timeout settings in
	// its query string are overridden by Timeout.
	URL string
	// Prefix is put before every key the store reads or writes, e.g.
	// "thehive-portal:". Required.
	Prefix string
	// Timeout bounds each command, from waiting for a pooled connection
	// (or dialing one) to reading the reply. Default DefaultRedisTimeout.
	Timeout time.Duration
}

// String shows the options with the URL's user info and query removed.
func (o RedisOptions) String() string {
	return fmt.Sprintf("{URL:%s Prefix:%q Timeout:%s}", redactURL(o.URL), o.Prefix, o.Timeout)
}

// GoString redacts like String, for %#v.
func (o RedisOptions) GoString() string { return "store.RedisOptions" + o.String() }

// Format redacts for every fmt verb.
func (o RedisOptions) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = f.Write([]byte(o.GoString()))
		return
	}
	_, _ = f.Write([]byte(o.String()))
}

// LogValue redacts the URL in slog output.
func (o RedisOptions) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("url", redactURL(o.URL)),
		slog.String("prefix", o.Prefix),
		slog.Duration("timeout", o.Timeout),
	)
}

// redactURL keeps only the scheme, host and path of a URL.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || raw == "" {
		return "[redacted]"
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
}

// Redis is a KV on a Redis server. Create it with NewRedis.
type Redis struct {
	client       *redis.Client
	prefix       string
	timeout      time.Duration
	streamMaxLen int64
	closeOnce    sync.Once
}

var _ KV = (*Redis)(nil)

// errBadURL is returned for a URL go-redis cannot parse. The parser's own
// error is dropped because it may quote the URL, password included.
var errBadURL = errors.New("store: invalid redis URL (details withheld: the URL may hold a password)")

// NewRedis builds a Redis store. It does not connect: the first command
// (or Ping) does. The client has CLIENT SETINFO disabled (DisableIdentity,
// see CVE-2025-29923), dial, read, write and pool timeouts of
// opts.Timeout, honours context deadlines, and retries a failed command
// once.
func NewRedis(opts RedisOptions) (*Redis, error) {
	if opts.Prefix == "" {
		return nil, errors.New("store: redis prefix must not be empty")
	}
	if opts.Timeout < 0 {
		return nil, errors.New("store: redis timeout must not be negative")
	}
	if opts.Timeout == 0 {
		opts.Timeout = DefaultRedisTimeout
	}
	o, err := redis.ParseURL(opts.URL)
	if err != nil {
		return nil, errBadURL
	}
	// Set after parsing so that the URL's query cannot undo them.
	o.DisableIdentity = true
	o.DialTimeout = opts.Timeout
	o.ReadTimeout = opts.Timeout
	o.WriteTimeout = opts.Timeout
	o.PoolTimeout = opts.Timeout
	o.ContextTimeoutEnabled = true
	o.MaxRetries = 1
	o.DialerRetries = 1
	return &Redis{
		client:       redis.NewClient(o),
		prefix:       opts.Prefix,
		timeout:      opts.Timeout,
		streamMaxLen: StreamMaxLen,
	}, nil
}

// Prefix returns the prefix put before every key.
func (r *Redis) Prefix() string { return r.prefix }

// deadline bounds one command by the store's timeout (or ctx's, if sooner).
func (r *Redis) deadline(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, r.timeout)
}

// wrap adds the operation; it never names the key or the URL.
func wrap(op string, err error) error {
	if errors.Is(err, redis.ErrClosed) {
		return fmt.Errorf("store: redis %s: %w", op, ErrClosed)
	}
	return fmt.Errorf("store: redis %s: %w", op, err)
}

// Get implements KV. redis.Nil becomes ErrNotFound; every other error is
// returned wrapped.
func (r *Redis) Get(ctx context.Context, key string) ([]byte, error) {
	if err := checkKeys(key); err != nil {
		return nil, err
	}
	ctx, cancel := r.deadline(ctx)
	defer cancel()
	v, err := r.client.Get(ctx, r.prefix+key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, wrap("get", err)
	}
	return v, nil
}

// Set implements KV. A ttl under a millisecond is rounded up to one.
func (r *Redis) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	_, err := r.set(ctx, key, value, ttl, "")
	return err
}

// Replace implements KV with SET … XX.
func (r *Redis) Replace(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error) {
	return r.set(ctx, key, value, ttl, "XX")
}

// Add implements KV with SET … NX.
func (r *Redis) Add(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error) {
	return r.set(ctx, key, value, ttl, "NX")
}

// set runs SET with an optional NX or XX mode and reports whether it
// wrote.
func (r *Redis) set(ctx context.Context, key string, value []byte, ttl time.Duration, mode string) (bool, error) {
	if err := checkKeys(key); err != nil {
		return false, err
	}
	if ttl <= 0 {
		return false, errBadTTL
	}
	ttl = max(ttl, time.Millisecond)
	ctx, cancel := r.deadline(ctx)
	defer cancel()
	err := r.client.SetArgs(ctx, r.prefix+key, value, redis.SetArgs{Mode: mode, TTL: ttl}).Err()
	switch {
	case errors.Is(err, redis.Nil):
		return false, nil // the NX or XX condition did not hold
	case err != nil:
		return false, wrap("set", err)
	}
	return true, nil
}

// Delete implements KV with one DEL.
func (r *Redis) Delete(ctx context.Context, keys ...string) error {
	if err := checkKeys(keys...); err != nil {
		return err
	}
	if len(keys) == 0 {
		return nil
	}
	full := make([]string, len(keys))
	for i, k := range keys {
		full[i] = r.prefix + k
	}
	ctx, cancel := r.deadline(ctx)
	defer cancel()
	if err := r.client.Del(ctx, full...).Err(); err != nil {
		return wrap("del", err)
	}
	return nil
}

// Incr implements KV with INCR.
func (r *Redis) Incr(ctx context.Context, key string) (int64, error) {
	if err := checkKeys(key); err != nil {
		return 0, err
	}
	ctx, cancel := r.deadline(ctx)
	defer cancel()
	n, err := r.client.Incr(ctx, r.prefix+key).Result()
	if err != nil {
		return 0, wrap("incr", err)
	}
	return n, nil
}

// Append implements KV with XADD MAXLEN ~ StreamMaxLen. Fields are sent in
// sorted order.
func (r *Redis) Append(ctx context.Context, stream string, fields map[string]string) error {
	if err := checkKeys(stream); err != nil {
		return err
	}
	if len(fields) == 0 {
		return errNoFields
	}
	values := make([]string, 0, 2*len(fields))
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		values = append(values, k, fields[k])
	}
	ctx, cancel := r.deadline(ctx)
	defer cancel()
	err := r.client.XAdd(ctx, &redis.XAddArgs{
		Stream: r.prefix + stream,
		MaxLen: r.streamMaxLen,
		Approx: true,
		Values: values,
	}).Err()
	if err != nil {
		return wrap("xadd", err)
	}
	return nil
}

// Ping implements KV.
func (r *Redis) Ping(ctx context.Context) error {
	ctx, cancel := r.deadline(ctx)
	defer cancel()
	if err := r.client.Ping(ctx).Err(); err != nil {
		return wrap("ping", err)
	}
	return nil
}

// Close implements KV; it closes the connection pool.
func (r *Redis) Close() error {
	var err error
	r.closeOnce.Do(func() {
		if e := r.client.Close(); e != nil {
			err = wrap("close", e)
		}
	})
	return err
}
