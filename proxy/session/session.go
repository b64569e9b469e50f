package session

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/proxy/store"
)

// ErrNoSession means the id names no usable session: unknown, expired,
// idle too long, malformed or tampered with. The caller treats the
// browser as signed out. A store failure is never ErrNoSession.
var ErrNoSession = errors.New("session: no session")

// MinSecretLen is the minimum length of the session secret in bytes.
const MinSecretLen = 32

// csrfBytes is the entropy of a CSRF token.
const csrfBytes = 32

// Data is what a session holds. It is stored as JSON, sealed.
type Data struct {
	// Subject and Issuer identify the user: identity is (Issuer, Subject).
	Subject string `json:"sub"`
	Issuer  string `json:"iss"`
	// Email is the verified email of the user.
	Email string `json:"email"`
	// Groups are the user's SSO groups.
	Groups []string `json:"groups,omitempty"`
	// Profile is the portal profile the user was given at sign-in.
	Profile string `json:"profile"`
	// CSRF is the token forms and POST /auth/logout must send back. Create
	// sets it (any value passed in is replaced); compare with CheckCSRF.
	CSRF string `json:"csrf"`
	// Created and LastSeen are set by the Manager.
	Created  time.Time `json:"created"`
	LastSeen time.Time `json:"last_seen"`
	// Expires is the absolute end of the session. Create takes it from the
	// caller (e.g. the ID token's expiry) and caps it at now+ttl; zero
	// means now+ttl.
	Expires time.Time `json:"expires"`
}

// CheckCSRF reports, in constant time, whether token is the session's CSRF
// token. An empty token never matches.
func (d *Data) CheckCSRF(token string) bool {
	if d == nil || d.CSRF == "" || token == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(token), []byte(d.CSRF)) == 1
}

// String shows the session without its CSRF token.
func (d Data) String() string {
	return fmt.Sprintf("{Subject:%q Issuer:%q Email:%q Groups:%q Profile:%q CSRF:[redacted] Created:%s LastSeen:%s Expires:%s}",
		d.Subject, d.Issuer, d.Email, d.Groups, d.Profile,
		d.Created.Format(time.RFC3339), d.LastSeen.Format(time.RFC3339), d.Expires.Format(time.RFC3339))
}

// LogValue logs the session without its CSRF token.
func (d Data) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("sub", d.Subject), slog.String("iss", d.Issuer),
		slog.String("email", d.Email), slog.String("profile", d.Profile),
		slog.Time("expires", d.Expires),
	)
}

// Manager creates, loads, refreshes and deletes sessions in a store.KV.
// It is safe for concurrent use. See the package documentation for the
// security design.
type Manager struct {
	kv         store.KV
	secret     config.Secret
	ttl        time.Duration
	idleTTL    time.Duration
	touchEvery time.Duration
	now        func() time.Time
}

// NewManager returns a Manager. secret must be at least MinSecretLen bytes
// (config.Session.Secret); changing it ends every session. ttl is the
// longest a session may last and idleTTL (at most ttl) ends a session not
// used for that long. now is the clock (nil: time.Now).
func NewManager(kv store.KV, secret config.Secret, ttl, idleTTL time.Duration, now func() time.Time) (*Manager, error) {
	switch {
	case kv == nil:
		return nil, errors.New("session: no store")
	case len(secret.Reveal()) < MinSecretLen:
		return nil, fmt.Errorf("session: secret must be at least %d bytes", MinSecretLen)
	case ttl <= 0:
		return nil, errors.New("session: ttl must be positive")
	case idleTTL <= 0 || idleTTL > ttl:
		return nil, errors.New("session: idle ttl must be positive and at most ttl")
	}
	if now == nil {
		now = time.Now
	}
	return &Manager{
		kv: kv, secret: secret, ttl: ttl, idleTTL: idleTTL,
		touchEvery: min(time.Minute, idleTTL/4),
		now:        now,
	}, nil
}

// Create stores a new session for d and returns its id, the only thing the
// cookie may hold. Every call mints a fresh random 256-bit id (never reuse
// one that came with the request: session fixation) and a fresh CSRF
// token. Created and LastSeen are set to now; Expires is capped at now+ttl.
func (m *Manager) Create(ctx context.Context, d Data) (string, error) {
	if d.Subject == "" || d.Issuer == "" {
		return "", errors.New("session: create: subject and issuer are required")
	}
	now := m.now()
	if limit := now.Add(m.ttl); d.Expires.IsZero() || d.Expires.After(limit) {
		d.Expires = limit
	}
	if !d.Expires.After(now) {
		return "", errors.New("session: create: expiry is not in the future")
	}
	d.Created, d.LastSeen = now, now
	var err error
	if d.CSRF, err = newToken(csrfBytes); err != nil {
		return "", fmt.Errorf("session: create: %w", err)
	}
	id, err := newToken(idBytes)
	if err != nil {
		return "", fmt.Errorf("session: create: %w", err)
	}
	if _, err := m.write(ctx, id, &d, now, false); err != nil {
		return "", fmt.Errorf("session: create: %w", err)
	}
	return id, nil
}

// Load returns the session named by id. It returns ErrNoSession when id is
// malformed (checked before the store is asked), unknown, tampered with,
// past its absolute expiry, older than the current ttl, or idle for
// idleTTL. Any other error means the store failed: answer 503, never
// "signed out but allowed".
func (m *Manager) Load(ctx context.Context, id string) (*Data, error) {
	if !validID(id) {
		return nil, ErrNoSession
	}
	key := m.storeKey(id)
	record, err := m.kv.Get(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, fmt.Errorf("session: load: %w", err)
	}
	plain, err := m.open(id, key, record)
	if err != nil {
		return nil, ErrNoSession
	}
	var d Data
	if err := json.Unmarshal(plain, &d); err != nil {
		return nil, ErrNoSession
	}
	now := m.now()
	if !now.Before(d.Expires) || now.Sub(d.Created) >= m.ttl {
		return nil, ErrNoSession
	}
	if now.Sub(d.LastSeen) >= m.idleTTL {
		// Best effort: the record would otherwise stay until Expires.
		_ = m.kv.Delete(ctx, key)
		return nil, ErrNoSession
	}
	return &d, nil
}

// Touch records activity on the session id, sliding its idle expiry. It
// writes at most once per min(1 minute, idleTTL/4) and never moves
// Expires. It re-reads the stored session, so a session deleted meanwhile
// gives ErrNoSession instead of coming back, and only LastSeen changes
// (other edits to d are not stored). On success d.LastSeen is updated.
func (m *Manager) Touch(ctx context.Context, id string, d *Data) error {
	if d == nil || !validID(id) {
		return ErrNoSession
	}
	now := m.now()
	if now.Sub(d.LastSeen) < m.touchEvery {
		return nil
	}
	cur, err := m.Load(ctx, id)
	if err != nil {
		return err
	}
	if now.Sub(cur.LastSeen) >= m.touchEvery {
		cur.LastSeen = now
		written, err := m.write(ctx, id, cur, now, true)
		if err != nil {
			return fmt.Errorf("session: touch: %w", err)
		}
		if !written {
			return ErrNoSession // deleted meanwhile: never written back
		}
	}
	d.LastSeen = cur.LastSeen
	return nil
}

// Delete removes the session id (sign-out). A malformed id names no
// session, so it is not an error; a store failure is.
func (m *Manager) Delete(ctx context.Context, id string) error {
	if !validID(id) {
		return nil
	}
	if err := m.kv.Delete(ctx, m.storeKey(id)); err != nil {
		return fmt.Errorf("session: delete: %w", err)
	}
	return nil
}

// write seals d and stores it until d.Expires. With replace, it writes
// only over a live record (so a session deleted meanwhile stays deleted)
// and reports whether it did.
func (m *Manager) write(ctx context.Context, id string, d *Data, now time.Time, replace bool) (bool, error) {
	ttl := d.Expires.Sub(now)
	if ttl <= 0 {
		return false, ErrNoSession
	}
	plain, err := json.Marshal(d)
	if err != nil {
		return false, err
	}
	key := m.storeKey(id)
	record, err := m.seal(id, key, plain)
	if err != nil {
		return false, err
	}
	if replace {
		return m.kv.Replace(ctx, key, record, ttl)
	}
	return true, m.kv.Set(ctx, key, record, ttl)
}
