package main

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
)

// scratchRedis is the Redis database the portal uses during the bench,
// with a prefix of its own that cleanup removes.
type scratchRedis struct {
	url, prefix string
	c           *redis.Client
}

// openRedis connects to url and pings it; nil and the reason when Redis
// does not answer.
func openRedis(ctx context.Context, url string) (*scratchRedis, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, err
	}
	c := redis.NewClient(opt)
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := c.Ping(pctx).Err(); err != nil {
		_ = c.Close()
		return nil, err
	}
	return &scratchRedis{url: url, prefix: "portal-bench-" + randomHex(6) + ":", c: c}, nil
}

// cleanup deletes every key under the prefix and closes the client.
func (r *scratchRedis) cleanup() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	it := r.c.Scan(ctx, 0, r.prefix+"*", 500).Iterator()
	var keys []string
	for it.Next(ctx) {
		if keys = append(keys, it.Val()); len(keys) == 500 {
			r.c.Del(ctx, keys...)
			keys = keys[:0]
		}
	}
	if len(keys) > 0 {
		r.c.Del(ctx, keys...)
	}
	_ = r.c.Close()
}
