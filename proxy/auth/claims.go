package auth

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
)

// Identity is who a verified token or sign-in speaks for. The stable key
// of a user is (Issuer, Subject); Email and Groups are what the portal's
// rules use.
type Identity struct {
	Subject string
	Issuer  string
	// Email is lower-case ASCII with exactly one @ (see NormalizeEmail).
	Email string
	// Groups from the groups claim: its strings when it is an array of
	// strings, the one value when it is a single string, none otherwise.
	Groups []string
	// EmailVerified is true only when email_verified is JSON true.
	EmailVerified bool
	// Expiry of the token the identity came from.
	Expiry time.Time
}

// maxEmailBytes is the longest address SMTP can carry (RFC 5321).
const maxEmailBytes = 254

// NormalizeEmail returns s lower-cased when it is an acceptable address:
// printable ASCII only, exactly one @, a non-empty local part of at most
// 64 bytes made of letters, digits, dots (not leading, trailing or doubled)
// and !#$%&'*+/=?^_`{|}~-, and a domain of dot-separated labels of letters,
// digits and inner hyphens. Quoted local parts, IP literals and non-ASCII
// (whose case folding differs between systems, e.g. the Kelvin sign) are
// refused.
func NormalizeEmail(s string) (string, bool) {
	if len(s) > maxEmailBytes || strings.Count(s, "@") != 1 {
		return "", false
	}
	local, domain, _ := strings.Cut(s, "@")
	if len(local) > 64 || !dotList(local, isAtext) || !dotList(domain, isLabel) {
		return "", false
	}
	return strings.ToLower(s), true
}

// dotList reports whether s is one or more non-empty dot-separated parts
// that each satisfy ok.
func dotList(s string, ok func(string) bool) bool {
	if s == "" {
		return false
	}
	for part := range strings.SplitSeq(s, ".") {
		if part == "" || !ok(part) {
			return false
		}
	}
	return true
}

func isAtext(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && !strings.ContainsRune("!#$%&'*+/=?^_`{|}~-", rune(c)) {
			return false
		}
	}
	return true
}

func isLabel(s string) bool {
	if len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '-' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// identity applies the email and group rules to verified claims.
func (a *Auth) identity(tok *oidc.IDToken, claims map[string]json.RawMessage) (Identity, error) {
	raw, ok := claims[a.emailClaim]
	var email string
	if !ok || json.Unmarshal(raw, &email) != nil || email == "" {
		return Identity{}, ErrNoEmail
	}
	email, ok = NormalizeEmail(email)
	if !ok {
		return Identity{}, ErrEmailInvalid
	}
	verified := isJSONTrue(claims["email_verified"])
	if a.requireVerified && !verified {
		return Identity{}, ErrEmailNotVerified
	}
	return Identity{
		Subject:       tok.Subject,
		Issuer:        tok.Issuer,
		Email:         email,
		Groups:        groups(claims[a.groupsClaim]),
		EmailVerified: verified,
		Expiry:        tok.Expiry,
	}, nil
}

// isJSONTrue reports whether raw is the JSON literal true (not "true").
func isJSONTrue(raw json.RawMessage) bool {
	var b bool
	return raw != nil && json.Unmarshal(raw, &b) == nil && b
}

// groups reads a groups claim: an array of strings, or one string. Empty
// strings are dropped; any other shape (numbers, objects, mixed arrays)
// yields no groups.
func groups(raw json.RawMessage) []string {
	if raw == nil {
		return nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		if one == "" {
			return nil
		}
		return []string{one}
	}
	var many []any
	if json.Unmarshal(raw, &many) != nil {
		return nil
	}
	out := make([]string, 0, len(many))
	for _, v := range many {
		g, ok := v.(string)
		if !ok {
			return nil
		}
		if g != "" {
			out = append(out, g)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
