package proxy

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/tidwall/gjson"
	"github.com/tidwall/sjson"

	"github.com/thehive-portal/thehive-portal/proxy/store"
)

// shareCache caches what authorization reads about a case: its share
// markers (a projection holding only _id, _type, number, tags and access)
// and its attachments' share data (_id, _type, external, name,
// contentType, size). Decisions are always computed by the policy engine
// from these; the cache never holds a decision. It never fails open: a store
// error is logged and the caller reads TheHive instead.
type shareCache struct {
	kv      store.KV
	ttl     time.Duration
	log     *slog.Logger
	metrics *metrics // counts hits and misses; nil: none
}

// markerFields are the case fields kept in the cache.
var markerFields = []string{"_id", "_type", "number", "tags", "access"}

// attachmentFields are the attachment fields kept in the cache.
var attachmentFields = []string{"_id", "_type", "external", "name", "contentType", "size"}

func caseKey(id string) string        { return "share:case:" + id }
func attachmentsKey(id string) string { return "share:attachments:" + id }
func numberKey(n string) string       { return "share:number:" + n }

// project keeps only fields of obj (a JSON object), built by copying.
func project(obj gjson.Result, fields []string) []byte {
	out := []byte("{}")
	for _, f := range fields {
		if v := obj.Get(gjson.Escape(f)); v.Exists() {
			out, _ = sjson.SetRawBytes(out, f, []byte(v.Raw))
		}
	}
	return out
}

// get returns a cached value, or nil when absent or when the store fails.
func (c *shareCache) get(ctx context.Context, key string) []byte {
	if c == nil || c.kv == nil {
		return nil
	}
	v, err := c.kv.Get(ctx, key)
	if c.metrics != nil {
		c.metrics.cacheLookup(key, err == nil)
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil
	case err != nil:
		c.log.Warn("share cache read failed; reading TheHive", "err", err)
		return nil
	}
	return v
}

// put stores a value; failures are logged.
func (c *shareCache) put(ctx context.Context, key string, v []byte) {
	if c == nil || c.kv == nil {
		return
	}
	if err := c.kv.Set(ctx, key, v, c.ttl); err != nil {
		c.log.Warn("share cache write failed", "err", err)
	}
}

// dropCase forgets everything cached about a case. An error is returned so
// the webhook can report it (TheHive then retries or the TTL ends it).
func (c *shareCache) dropCase(ctx context.Context, id string) error {
	if c == nil || c.kv == nil {
		return nil
	}
	return c.kv.Delete(ctx, caseKey(id), attachmentsKey(id))
}
