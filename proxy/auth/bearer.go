package auth

import (
	"context"
	"encoding/json"
	"errors"
	"slices"

	"github.com/coreos/go-oidc/v3/oidc"
)

// MaxTokenBytes bounds a bearer token. Longer ones are refused before any
// parsing (go-jose and JWT parsers have had allocation bugs on large or
// many-dot inputs).
const MaxTokenBytes = 8 << 10

// VerifyBearer verifies a JWT from an "Authorization: Bearer" header and
// returns who it speaks for.
//
// The token must be at most MaxTokenBytes and exactly three non-empty
// base64url parts; it must be signed by the issuer's key set with one of
// oidc.signing_algs (never none or HMAC), carry the configured issuer
// exactly, name the client id or one of oidc.audiences in aud, have a
// subject and not be expired. Then the email and group rules apply (see
// Identity and NormalizeEmail). Errors are *TokenError (ErrTokenInvalid,
// ErrTokenExpired), ErrNoEmail, ErrEmailInvalid or ErrEmailNotVerified.
//
// A token whose kid is unknown can make the key set be fetched at most
// once per oidc.keys_refetch_cooldown; in between such tokens fail at once.
//
// A token that verified is remembered for up to a minute, never past its
// expiry (see verifiedCache); only tokens that verified are remembered.
func (a *Auth) VerifyBearer(ctx context.Context, raw string) (Identity, error) {
	if len(raw) > MaxTokenBytes {
		return Identity{}, tokenError(ReasonTooLarge, nil)
	}
	if !wellFormed(raw) {
		return Identity{}, tokenError(ReasonMalformed, nil)
	}
	now := a.now()
	if id, ok := a.verified.get(raw, now); ok {
		return id, nil
	}
	tok, claims, err := a.verify(ctx, raw, a.bearerAudiences)
	if err != nil {
		return Identity{}, err
	}
	id, err := a.identity(tok, claims)
	if err == nil {
		a.verified.put(raw, id, now)
	}
	return id, err
}

// wellFormed reports whether s is three non-empty dot-separated parts of
// unpadded base64url characters.
func wellFormed(s string) bool {
	parts, n := 1, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.':
			if n == 0 {
				return false
			}
			parts, n = parts+1, 0
		case isAlnum(c) || c == '-' || c == '_':
			n++
		default:
			return false
		}
	}
	return parts == 3 && n > 0
}

// verify checks signature, algorithm, issuer and expiry (go-oidc, through
// the cooldown key set), then that aud holds one of audiences and that
// there is a subject, and returns the token and its claims.
func (a *Auth) verify(ctx context.Context, raw string, audiences []string) (*oidc.IDToken, map[string]json.RawMessage, error) {
	tok, err := a.verifier.Verify(ctx, raw)
	if err != nil {
		var expired *oidc.TokenExpiredError
		if errors.As(err, &expired) {
			return nil, nil, tokenError(ReasonExpired, err)
		}
		return nil, nil, tokenError(ReasonRejected, err)
	}
	if !slices.ContainsFunc(tok.Audience, func(aud string) bool { return slices.Contains(audiences, aud) }) {
		return nil, nil, tokenError(ReasonAudience, nil)
	}
	if tok.Subject == "" {
		return nil, nil, tokenError(ReasonSubject, nil)
	}
	var claims map[string]json.RawMessage
	if err := tok.Claims(&claims); err != nil {
		return nil, nil, tokenError(ReasonClaims, err)
	}
	return tok, claims, nil
}
