package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// maxJWKSBytes bounds the key set document read from the IdP.
const maxJWKSBytes = 1 << 20

var (
	errSignature = errors.New("auth: signature does not verify")
	errCooldown  = errors.New("auth: unknown key id; key set refetch suppressed by keys_refetch_cooldown")
)

// keySet is the oidc.KeySet behind the verifier: the IdP's published keys
// with a refetch cooldown.
//
// go-oidc's RemoteKeySet refetches the key set whenever a signature does
// not verify against its cache: for every unknown kid and also for a known
// kid with a forged signature, so every forged token can cost a JWKS
// request. It also stores fetched keys only after releasing the callers
// that waited on the fetch, so a gate wrapped around it fails legitimate
// tokens for a moment after each refetch. keySet therefore keeps the keys
// itself:
//
//   - a token whose kid is in the cached set is checked against those keys
//     only; a bad signature never causes a fetch;
//   - a token with an unseen kid (or none, when no cached key verifies it)
//     may cause one fetch, if none happened within the cooldown (the first
//     fetch is always allowed); concurrent callers share that fetch;
//     otherwise it fails at once;
//   - the cache is replaced only by a successful fetch, so an IdP outage
//     does not stop tokens signed with known keys from verifying.
type keySet struct {
	url      string
	client   *http.Client
	cooldown time.Duration
	algs     []jose.SignatureAlgorithm
	now      func() time.Time

	mu        sync.Mutex
	keys      []jose.JSONWebKey
	lastFetch time.Time  // zero: never fetched
	inflight  *fetchCall // non-nil while a fetch runs
}

type fetchCall struct {
	done chan struct{}
	err  error // set before done is closed
}

// VerifySignature implements oidc.KeySet. go-oidc has already checked the
// algorithm against the same allow-list.
func (k *keySet) VerifySignature(ctx context.Context, jwt string) ([]byte, error) {
	jws, err := jose.ParseSignedCompact(jwt, k.algs)
	if err != nil || len(jws.Signatures) != 1 {
		return nil, errors.New("auth: malformed jws")
	}
	kid := jws.Signatures[0].Header.KeyID
	payload, known := verifyWith(jws, kid, k.cached())
	switch {
	case payload != nil:
		return payload, nil
	case known:
		return nil, errSignature
	}
	if err := k.refresh(ctx, kid); err != nil {
		return nil, err
	}
	if payload, _ := verifyWith(jws, kid, k.cached()); payload != nil {
		return payload, nil
	}
	return nil, errSignature
}

// verifyWith tries the keys published under kid (all keys when kid is
// empty). known reports whether kid names a cached key.
func verifyWith(jws *jose.JSONWebSignature, kid string, keys []jose.JSONWebKey) (payload []byte, known bool) {
	for i := range keys {
		if kid != "" && keys[i].KeyID != kid {
			continue
		}
		if p, err := jws.Verify(&keys[i]); err == nil {
			return p, true
		}
		known = kid != ""
	}
	return nil, known
}

func (k *keySet) cached() []jose.JSONWebKey {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.keys
}

// refresh fetches the key set for a token with an unseen kid, unless a
// fetch happened within the cooldown; callers arriving during a fetch wait
// for it (or for ctx).
func (k *keySet) refresh(ctx context.Context, kid string) error {
	k.mu.Lock()
	call := k.inflight
	if call == nil {
		if kid != "" && slices.ContainsFunc(k.keys, func(key jose.JSONWebKey) bool { return key.KeyID == kid }) {
			k.mu.Unlock()
			return nil // fetched by someone else meanwhile
		}
		now := k.now()
		if !k.lastFetch.IsZero() && now.Sub(k.lastFetch) < k.cooldown {
			k.mu.Unlock()
			return errCooldown
		}
		k.lastFetch = now
		call = &fetchCall{done: make(chan struct{})}
		k.inflight = call
		// Detached from ctx: one caller's cancellation must not fail the
		// fetch for the others. The client's Timeout bounds it.
		go k.fetchInto(call)
	}
	k.mu.Unlock()
	select {
	case <-call.done:
		return call.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (k *keySet) fetchInto(call *fetchCall) {
	keys, err := k.fetch()
	k.mu.Lock()
	if err == nil {
		k.keys = keys
	}
	k.inflight = nil
	call.err = err
	k.mu.Unlock()
	close(call.done)
}

// fetch reads and parses the key set.
func (k *keySet) fetch() ([]jose.JSONWebKey, error) {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, k.url, nil)
	if err != nil {
		return nil, fmt.Errorf("auth: jwks: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Cache-Control", "no-cache")
	resp, err := k.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("auth: jwks: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("auth: jwks: status %d", resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxJWKSBytes+1))
	if err != nil {
		return nil, fmt.Errorf("auth: jwks: %w", err)
	}
	if len(body) > maxJWKSBytes {
		return nil, errors.New("auth: jwks: document too large")
	}
	return parseJWKS(body)
}

// parseJWKS keeps the public signature keys of a JWK set. Keys of a type
// go-jose does not know, private or symmetric keys, and keys whose "use"
// is not "sig" are skipped rather than failing the whole set.
func parseJWKS(body []byte) ([]jose.JSONWebKey, error) {
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(body, &set); err != nil {
		return nil, fmt.Errorf("auth: jwks: %w", err)
	}
	var keys []jose.JSONWebKey
	for _, raw := range set.Keys {
		var key jose.JSONWebKey
		if json.Unmarshal(raw, &key) != nil || !key.Valid() || !key.IsPublic() || (key.Use != "" && key.Use != "sig") {
			continue
		}
		switch key.Key.(type) {
		case *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey:
			keys = append(keys, key)
		}
	}
	if len(keys) == 0 {
		return nil, errors.New("auth: jwks: no usable signature key")
	}
	return keys, nil
}
