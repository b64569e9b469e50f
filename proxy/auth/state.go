package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

const (
	// stateTTL is how long a sign-in may take, from Begin to Finish.
	stateTTL = 10 * time.Minute
	// stateSkew tolerates a state cookie created slightly in the future
	// (replicas with skewed clocks).
	stateSkew = time.Minute
	// maxStateCookie bounds what open accepts before decoding.
	maxStateCookie = 4096
)

// flowState is what a sign-in carries from Begin to Finish, sealed in the
// state cookie. Nothing in it reaches the IdP except the state value and
// the nonce and challenge derived from it.
type flowState struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	ReturnTo string `json:"r"`
	Created  int64  `json:"c"` // unix seconds
}

// stateAEAD derives the cookie key as HMAC-SHA256(secret, "auth-state"), so
// it differs from every other key taken from the session secret, and
// returns AES-256-GCM with random nonces.
func stateAEAD(secret string) (cipher.AEAD, error) {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("auth-state"))
	block, err := aes.NewCipher(mac.Sum(nil))
	if err != nil {
		return nil, fmt.Errorf("auth: state key: %w", err)
	}
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		return nil, fmt.Errorf("auth: state key: %w", err)
	}
	return aead, nil
}

// seal encrypts st; the cookie name is bound as associated data.
func (a *Auth) seal(st flowState) (string, error) {
	plain, err := json.Marshal(st)
	if err != nil {
		return "", fmt.Errorf("auth: seal state: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(a.aead.Seal(nil, nil, plain, []byte(a.cookieName))), nil
}

// open decrypts and checks a state cookie value.
func (a *Auth) open(value string) (flowState, error) {
	var st flowState
	if len(value) > maxStateCookie {
		return st, ErrStateInvalid
	}
	sealed, err := base64.RawURLEncoding.DecodeString(value)
	if err != nil {
		return st, ErrStateInvalid
	}
	plain, err := a.aead.Open(nil, nil, sealed, []byte(a.cookieName))
	if err != nil || json.Unmarshal(plain, &st) != nil ||
		st.State == "" || st.Nonce == "" || st.Verifier == "" {
		return flowState{}, ErrStateInvalid
	}
	created, now := time.Unix(st.Created, 0), a.now()
	if now.Sub(created) > stateTTL || created.After(now.Add(stateSkew)) {
		return flowState{}, ErrStateExpired
	}
	return st, nil
}

// stateCookie is the state cookie with value, living maxAge seconds (a
// negative maxAge deletes it). With an https public URL it is a __Host-
// cookie: Secure, Path=/, no Domain, so no sibling host can plant one.
func (a *Auth) stateCookie(value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name:     a.cookieName,
		Value:    value,
		Path:     "/",
		MaxAge:   maxAge,
		Secure:   a.secure,
		HttpOnly: true,
		// Lax: the cookie must ride on the IdP's top-level redirect back.
		SameSite: http.SameSiteLaxMode,
	}
}

// takeState reads the state cookie and always deletes it, so that a state
// serves one callback only.
func (a *Auth) takeState(w http.ResponseWriter, r *http.Request) (flowState, error) {
	http.SetCookie(w, a.stateCookie("", -1))
	cookies := r.CookiesNamed(a.cookieName)
	switch {
	case len(cookies) == 0:
		return flowState{}, ErrNoState
	case len(cookies) > 1:
		return flowState{}, ErrStateInvalid
	}
	return a.open(cookies[0].Value)
}
