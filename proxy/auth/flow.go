package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Begin starts a sign-in: it stores a fresh state, nonce and PKCE verifier
// with the return path in a sealed, HttpOnly, SameSite=Lax cookie that
// lives ten minutes, and redirects (302) to the IdP with the state, the
// nonce, an S256 code challenge, the configured scopes and the redirect URL
// built from config.PublicURL (never from the request).
//
// returnTo is where Finish will say to go afterwards; anything but a safe
// relative path (see SafeReturnTo) becomes "/". Begin writes the response
// and errors only when randomness or sealing fails (nothing written then).
func (a *Auth) Begin(w http.ResponseWriter, r *http.Request, returnTo string) error {
	st := flowState{
		State:    randomToken(),
		Nonce:    randomToken(),
		Verifier: oauth2.GenerateVerifier(),
		ReturnTo: SafeReturnTo(returnTo),
		Created:  a.now().Unix(),
	}
	value, err := a.seal(st)
	if err != nil {
		return err
	}
	http.SetCookie(w, a.stateCookie(value, int(stateTTL.Seconds())))
	w.Header().Set("Cache-Control", "no-store")
	target := a.oauth.AuthCodeURL(st.State, oidc.Nonce(st.Nonce), oauth2.S256ChallengeOption(st.Verifier))
	http.Redirect(w, r, target, http.StatusFound)
	return nil
}

// randomToken returns 32 random bytes, base64url encoded.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (Go 1.24+); it crashes the program instead
	return base64.RawURLEncoding.EncodeToString(b)
}

// Finish completes a sign-in at CallbackPath. It deletes the state cookie
// whatever happens, so a callback URL works once.
//
// In order: an IdP "error" parameter gives *IdPError; a missing, tampered
// or expired state cookie gives ErrNoState, ErrStateInvalid or
// ErrStateExpired; a state parameter that is not exactly the cookie's
// (compared in constant time) gives ErrStateMismatch; no code gives
// ErrNoCode. Only then is the code exchanged, with the PKCE verifier,
// through the configured client and r's context (*ExchangeError on
// failure). The id_token of the response is verified like a bearer token
// but with the client id as the only audience (and azp, when present, must
// be the client id), its nonce must equal the stored one (ErrNonce), and
// the email rules apply.
//
// It returns the identity and the return path given to Begin. It writes
// only headers (the cookie deletion and Cache-Control): creating the
// session and redirecting are the caller's job.
func (a *Auth) Finish(w http.ResponseWriter, r *http.Request) (Identity, string, error) {
	w.Header().Set("Cache-Control", "no-store")
	st, stateErr := a.takeState(w, r)
	q := r.URL.Query()
	if q.Has("error") {
		return Identity{}, "", &IdPError{Code: oauthCode(q.Get("error"))}
	}
	if stateErr != nil {
		return Identity{}, "", stateErr
	}
	if states := q["state"]; len(states) != 1 || subtle.ConstantTimeCompare([]byte(states[0]), []byte(st.State)) != 1 {
		return Identity{}, "", ErrStateMismatch
	}
	codes := q["code"]
	if len(codes) != 1 || codes[0] == "" {
		return Identity{}, "", ErrNoCode
	}
	ctx := oidc.ClientContext(r.Context(), a.client)
	tok, err := a.oauth.Exchange(ctx, codes[0], oauth2.VerifierOption(st.Verifier))
	if err != nil {
		return Identity{}, "", exchangeError(err)
	}
	rawID, _ := tok.Extra("id_token").(string)
	if rawID == "" {
		return Identity{}, "", ErrNoIDToken
	}
	idt, claims, err := a.verify(ctx, rawID, []string{a.clientID})
	if err != nil {
		return Identity{}, "", err
	}
	if raw, ok := claims["azp"]; ok {
		var azp string
		if json.Unmarshal(raw, &azp) != nil || azp != a.clientID {
			return Identity{}, "", tokenError(ReasonParty, nil)
		}
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(st.Nonce)) != 1 {
		return Identity{}, "", ErrNonce
	}
	id, err := a.identity(idt, claims)
	if err != nil {
		return Identity{}, "", err
	}
	return id, SafeReturnTo(st.ReturnTo), nil
}

// exchangeError keeps the status and OAuth error code of a failed exchange
// but not the response body, which may echo the code.
func exchangeError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		e := &ExchangeError{}
		if re.Response != nil {
			e.Status = re.Response.StatusCode
		}
		if re.ErrorCode != "" {
			e.Code = oauthCode(re.ErrorCode)
		}
		return e
	}
	return &ExchangeError{cause: err}
}
