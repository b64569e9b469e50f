package auth

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/thehive-portal/thehive-portal/internal/oidctest"
)

func TestVerifyBearer(t *testing.T) {
	idp := oidctest.Start(t)
	cfg := testConfig(idp, "http://127.0.0.1:1")
	cfg.OIDC.Audiences = []string{"portal-api"}
	a, _ := mustNew(t, cfg)
	base := oidctest.Claims{Email: "a@example.com", EmailVerified: true, Groups: []string{"g1", "g2"}}
	with := func(edit func(*oidctest.Claims)) oidctest.Claims {
		c := base
		edit(&c)
		return c
	}
	extra := func(k string, v any) oidctest.Claims {
		return with(func(c *oidctest.Claims) { c.Extra = map[string]any{k: v} })
	}
	omit := func(k string) oidctest.Claims { return with(func(c *oidctest.Claims) { c.Omit = []string{k} }) }
	valid := idp.Token(t, base)
	parts := strings.Split(valid, ".")

	tests := []struct {
		name   string
		token  string
		want   error
		reason string   // TokenError.Reason when want is a token error
		email  string   // wanted email on success
		groups []string // wanted groups on success
	}{
		{name: "valid", token: valid, email: "a@example.com", groups: []string{"g1", "g2"}},
		{name: "extra configured audience", token: idp.Token(t, with(func(c *oidctest.Claims) { c.Audience = []string{"portal-api"} })), email: "a@example.com", groups: base.Groups},
		{name: "client among audiences", token: idp.Token(t, with(func(c *oidctest.Claims) { c.Audience = []string{"x", idp.ClientID} })), email: "a@example.com", groups: base.Groups},
		{name: "wrong audience", token: idp.WrongAudienceToken(t, base), want: ErrTokenInvalid, reason: ReasonAudience},
		{name: "no audience", token: idp.Token(t, omit("aud")), want: ErrTokenInvalid, reason: ReasonAudience},
		{name: "expired", token: idp.ExpiredToken(t, base), want: ErrTokenExpired, reason: ReasonExpired},
		{name: "not yet valid", token: idp.Token(t, extra("nbf", time.Now().Add(time.Hour).Unix())), want: ErrTokenInvalid, reason: ReasonRejected},
		{name: "other issuer", token: idp.OtherIssuerToken(t, base), want: ErrTokenInvalid, reason: ReasonRejected},
		{name: "alg none", token: idp.TokenAlgNone(t, base), want: ErrTokenInvalid, reason: ReasonMalformed},
		{name: "alg none with a signature", token: idp.TokenAlgNone(t, base) + parts[2], want: ErrTokenInvalid, reason: ReasonRejected},
		{name: "HS256 with the public key", token: idp.TokenHS256PublicKey(t, base), want: ErrTokenInvalid, reason: ReasonRejected},
		{name: "unknown kid", token: idp.TokenWithKID(t, base, "unknown"), want: ErrTokenInvalid, reason: ReasonRejected},
		{name: "signed by another key", token: idp.TokenOtherKey(t, base), want: ErrTokenInvalid, reason: ReasonRejected},
		{name: "payload swapped", token: parts[0] + "." + strings.Split(idp.Token(t, extra("email", "b@example.com")), ".")[1] + "." + parts[2], want: ErrTokenInvalid, reason: ReasonRejected},
		{name: "no subject", token: idp.Token(t, omit("sub")), want: ErrTokenInvalid, reason: ReasonSubject},
		{name: "email_verified false", token: idp.Token(t, with(func(c *oidctest.Claims) { c.EmailVerified = false })), want: ErrEmailNotVerified},
		{name: "email_verified absent", token: idp.Token(t, omit("email_verified")), want: ErrEmailNotVerified},
		{name: `email_verified "true"`, token: idp.Token(t, extra("email_verified", "true")), want: ErrEmailNotVerified},
		{name: "email_verified 1", token: idp.Token(t, extra("email_verified", 1)), want: ErrEmailNotVerified},
		{name: "no email", token: idp.Token(t, omit("email")), want: ErrNoEmail},
		{name: "email not a string", token: idp.Token(t, extra("email", []string{"a@example.com"})), want: ErrNoEmail},
		{name: "email null", token: idp.Token(t, extra("email", nil)), want: ErrNoEmail},
		{name: "two @", token: idp.Token(t, extra("email", "x@evil.com@example.com")), want: ErrEmailInvalid},
		{name: "no @", token: idp.Token(t, extra("email", "example.com")), want: ErrEmailInvalid},
		{name: "space in email", token: idp.Token(t, extra("email", "a b@example.com")), want: ErrEmailInvalid},
		{name: "newline in email", token: idp.Token(t, extra("email", "a@example.com\n")), want: ErrEmailInvalid},
		{name: "non-ASCII email", token: idp.Token(t, extra("email", "\u212Aelvin@example.com")), want: ErrEmailInvalid},
		{name: "empty domain label", token: idp.Token(t, extra("email", "a@example..com")), want: ErrEmailInvalid},
		{name: "upper-case email", token: idp.Token(t, extra("email", "Alice@Example.COM")), email: "alice@example.com", groups: base.Groups},
		{name: "groups as one string", token: idp.Token(t, extra("groups", "solo")), email: "a@example.com", groups: []string{"solo"}},
		{name: "groups as object", token: idp.Token(t, extra("groups", map[string]any{"g1": true})), email: "a@example.com"},
		{name: "groups mixed array", token: idp.Token(t, extra("groups", []any{"g1", 2})), email: "a@example.com"},
		{name: "groups with null", token: idp.Token(t, extra("groups", []any{"g1", nil})), email: "a@example.com"},
		{name: "groups as number", token: idp.Token(t, extra("groups", 7)), email: "a@example.com"},
		{name: "no groups", token: idp.Token(t, omit("groups")), email: "a@example.com"},
		{name: "oversized", token: idp.TokenOversized(t, base, MaxTokenBytes), want: ErrTokenInvalid, reason: ReasonTooLarge},
		{name: "many dots", token: strings.Repeat(".", 100000), want: ErrTokenInvalid, reason: ReasonTooLarge},
		{name: "two segments", token: parts[0] + "." + parts[1], want: ErrTokenInvalid, reason: ReasonMalformed},
		{name: "four segments", token: valid + "." + parts[2], want: ErrTokenInvalid, reason: ReasonMalformed},
		{name: "empty segment", token: parts[0] + ".." + parts[2], want: ErrTokenInvalid, reason: ReasonMalformed},
		{name: "padding", token: valid + "=", want: ErrTokenInvalid, reason: ReasonMalformed},
		{name: "Bearer prefix kept", token: "Bearer " + valid, want: ErrTokenInvalid, reason: ReasonMalformed},
		{name: "empty", token: "", want: ErrTokenInvalid, reason: ReasonMalformed},
		{name: "garbage", token: "not-a-token", want: ErrTokenInvalid, reason: ReasonMalformed},
		{name: "base64 garbage", token: "abc.def.ghi", want: ErrTokenInvalid, reason: ReasonRejected},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, err := a.VerifyBearer(context.Background(), tc.token)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				if id.Email != tc.email || !slices.Equal(id.Groups, tc.groups) || id.Subject != "user-1" ||
					id.Issuer != idp.Issuer() || !id.EmailVerified {
					t.Errorf("identity = %+v, want email %q groups %q", id, tc.email, tc.groups)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			var te *TokenError
			if errors.As(err, &te) != (tc.reason != "") || te != nil && te.Reason != tc.reason {
				t.Errorf("err = %v, want reason %q", err, tc.reason)
			}
			for _, part := range strings.Split(tc.token, ".") {
				if len(part) > 8 && strings.Contains(err.Error(), part) {
					t.Errorf("error text holds part of the token: %v", err)
				}
			}
		})
	}
}

func TestVerifyBearerClaimNames(t *testing.T) {
	idp := oidctest.Start(t)
	cfg := testConfig(idp, "http://127.0.0.1:1")
	cfg.OIDC.EmailClaim, cfg.OIDC.GroupsClaim = "upn", "roles"
	f := false
	cfg.OIDC.RequireVerifiedEmail = &f
	a, _ := mustNew(t, cfg)
	raw := idp.Token(t, oidctest.Claims{Email: "ignored@example.com", Groups: []string{"ignored"},
		Extra: map[string]any{"upn": "U@Corp.example", "roles": []string{"r1"}}, Omit: []string{"email_verified"}})
	id, err := a.VerifyBearer(context.Background(), raw)
	if err != nil || id.Email != "u@corp.example" || !slices.Equal(id.Groups, []string{"r1"}) || id.EmailVerified {
		t.Errorf("identity = %+v, %v", id, err)
	}
}

func TestNormalizeEmail(t *testing.T) {
	for in, want := range map[string]string{
		"A.B+tag@Sub.Example.com":                "a.b+tag@sub.example.com",
		"x@localhost":                            "x@localhost",
		"o'neil@example.com":                     "o'neil@example.com",
		".a@example.com":                         "",
		"a.@example.com":                         "",
		"a@-example.com":                         "",
		"a@example.com.":                         "",
		"\"a b\"@example.com":                    "",
		"a@[127.0.0.1]":                          "",
		"@example.com":                           "",
		"a@":                                     "",
		strings.Repeat("a", 65) + "@example.com": "",
	} {
		got, ok := NormalizeEmail(in)
		if got != want || ok != (want != "") {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
