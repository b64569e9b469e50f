package auth

import (
	"errors"
	"strconv"
)

// Errors returned by VerifyBearer and Finish. Match them with errors.Is.
// None of them ever holds a token, a code, a cookie or a client secret.
var (
	// ErrTokenInvalid: the token was refused (size, shape, signature,
	// algorithm, issuer, audience, expiry, subject). The caller answers 401.
	ErrTokenInvalid = errors.New("auth: invalid token")
	// ErrTokenExpired: the token is well signed but expired. It also
	// matches ErrTokenInvalid.
	ErrTokenExpired = errors.New("auth: token expired")
	// ErrNoEmail: the token has no email claim, or it is not a string.
	ErrNoEmail = errors.New("auth: token has no email")
	// ErrEmailInvalid: the email claim is not a plain ASCII address with
	// exactly one @.
	ErrEmailInvalid = errors.New("auth: email claim is not a valid address")
	// ErrEmailNotVerified: email_verified is not JSON true while
	// oidc.require_verified_email is on.
	ErrEmailNotVerified = errors.New("auth: email not verified")

	// ErrNoState: the callback came without the sign-in state cookie
	// (never started in this browser, already used, or expired by the
	// browser).
	ErrNoState = errors.New("auth: no sign-in in progress")
	// ErrStateInvalid: the state cookie does not open under our key
	// (tampered, truncated, from another deployment) or is duplicated.
	ErrStateInvalid = errors.New("auth: sign-in state invalid")
	// ErrStateExpired: the state cookie is older than ten minutes.
	ErrStateExpired = errors.New("auth: sign-in state expired")
	// ErrStateMismatch: the state parameter is missing, repeated or not the
	// one this browser started with. No code was exchanged.
	ErrStateMismatch = errors.New("auth: state mismatch")
	// ErrNoCode: the callback has no single code parameter.
	ErrNoCode = errors.New("auth: callback without code")
	// ErrIdP: the identity provider redirected back with an error; see
	// *IdPError for its code.
	ErrIdP = errors.New("auth: identity provider error")
	// ErrExchange: the code exchange failed; see *ExchangeError.
	ErrExchange = errors.New("auth: code exchange failed")
	// ErrNoIDToken: the token response holds no id_token.
	ErrNoIDToken = errors.New("auth: token response without id_token")
	// ErrNonce: the ID token's nonce is not the one this sign-in sent.
	ErrNonce = errors.New("auth: nonce mismatch")
)

// Reasons carried by TokenError.
const (
	ReasonTooLarge  = "too_large" // over MaxTokenBytes
	ReasonMalformed = "malformed" // not three base64url parts
	ReasonRejected  = "rejected"  // signature, algorithm, kid, issuer or nbf (go-oidc)
	ReasonExpired   = "expired"   // exp in the past
	ReasonAudience  = "audience"  // no accepted audience
	ReasonParty     = "azp"       // ID token azp is not our client
	ReasonSubject   = "subject"   // empty sub
	ReasonClaims    = "claims"    // claims are not a JSON object
)

// TokenError is a refused token. Reason is one of the Reason constants;
// the cause (go-oidc's message, which never quotes the token but may quote
// an issuer or audience) is only reachable through Unwrap and is not part
// of Error.
type TokenError struct {
	Reason string
	cause  error
}

func (e *TokenError) Error() string { return "auth: invalid token (" + e.Reason + ")" }

// Is reports ErrTokenInvalid for every TokenError, and ErrTokenExpired for
// expired ones.
func (e *TokenError) Is(target error) bool {
	return target == ErrTokenInvalid || target == ErrTokenExpired && e.Reason == ReasonExpired
}

// Unwrap returns the cause, if any.
func (e *TokenError) Unwrap() error { return e.cause }

func tokenError(reason string, cause error) error { return &TokenError{Reason: reason, cause: cause} }

// IdPError is an error redirect from the identity provider. Code is its
// "error" parameter when that is a plain token (letters, digits, _ . -, at
// most 64 bytes), otherwise "invalid". The free-text error_description is
// attacker-controllable and deliberately dropped.
type IdPError struct {
	Code string
}

func (e *IdPError) Error() string { return "auth: identity provider returned " + strconv.Quote(e.Code) }

// Is reports ErrIdP.
func (e *IdPError) Is(target error) bool { return target == ErrIdP }

// ExchangeError is a failed code exchange. Status is the token endpoint's
// HTTP status (0 when no answer came), Code its OAuth error code (cleaned
// like IdPError.Code). The response body, which may echo the code, is not
// kept; the cause (e.g. a timeout) is reachable through Unwrap.
type ExchangeError struct {
	Status int
	Code   string
	cause  error
}

func (e *ExchangeError) Error() string {
	s := "auth: code exchange failed"
	if e.Status != 0 {
		s += ": status " + strconv.Itoa(e.Status)
	}
	if e.Code != "" {
		s += " " + strconv.Quote(e.Code)
	}
	return s
}

// Is reports ErrExchange.
func (e *ExchangeError) Is(target error) bool { return target == ErrExchange }

// Unwrap returns the cause.
func (e *ExchangeError) Unwrap() error { return e.cause }

// oauthCode keeps an OAuth error code only when it is a short plain token.
func oauthCode(s string) string {
	if s == "" || len(s) > 64 {
		return "invalid"
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
			return "invalid"
		}
	}
	return s
}
