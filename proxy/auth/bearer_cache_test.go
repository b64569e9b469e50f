package auth

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/thehive-portal/thehive-portal/internal/oidctest"
)

// TestVerifiedTokenCacheNeverOutlivesExpiry: a remembered token still
// fails once its expiry has passed, and once the cache's minute is over it
// is verified again.
func TestVerifiedTokenCacheNeverOutlivesExpiry(t *testing.T) {
	idp := oidctest.Start(t)
	a, clock := mustNew(t, testConfig(idp, "http://127.0.0.1:1"))
	ctx := context.Background()
	claims := oidctest.Claims{Email: "a@example.com", EmailVerified: true, Groups: []string{"g"},
		Expiry: time.Now().Add(30 * time.Second)}
	tok := idp.Token(t, claims)
	for range 2 {
		id, err := a.VerifyBearer(ctx, tok)
		if err != nil || id.Email != "a@example.com" || len(id.Groups) != 1 {
			t.Fatalf("VerifyBearer = %+v, %v", id, err)
		}
		id.Groups[0] = "changed by a caller"
	}
	if id, _ := a.VerifyBearer(ctx, tok); id.Groups[0] != "g" {
		t.Errorf("a caller changed the remembered groups: %v", id.Groups)
	}
	clock.Advance(31 * time.Second)
	if _, err := a.VerifyBearer(ctx, tok); !errors.Is(err, ErrTokenExpired) {
		t.Errorf("after expiry: err = %v, want ErrTokenExpired", err)
	}
}

// TestVerifiedTokenCacheEndsAfterTTL: a long-lived token is verified again
// after verifiedTTL, so a token signed by a key the IdP removed then fails.
func TestVerifiedTokenCacheEndsAfterTTL(t *testing.T) {
	var c verifiedCache
	now := time.Now()
	c.put("t", Identity{Email: "a@example.com", Expiry: now.Add(time.Hour)}, now)
	if _, ok := c.get("t", now.Add(verifiedTTL-time.Second)); !ok {
		t.Error("not remembered within the TTL")
	}
	if _, ok := c.get("t", now.Add(verifiedTTL)); ok {
		t.Error("remembered past the TTL")
	}
	c.put("no-exp", Identity{Email: "a@example.com"}, now)
	if _, ok := c.get("no-exp", now); ok {
		t.Error("a token without expiry was remembered")
	}
	if _, ok := c.get("other", now); ok {
		t.Error("an unknown token was found")
	}
}
