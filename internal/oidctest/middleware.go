package oidctest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/thehive-portal/thehive-portal/internal/idpshim"
)

// middleware sits in front of every mockoidc handler.
func (p *Provider) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e := Endpoint(r.URL.Path)
		p.mu.Lock()
		p.hits[e]++
		down := p.down
		f, failing := p.popFailure(e)
		p.mu.Unlock()
		switch {
		case down:
			writeError(w, http.StatusServiceUnavailable, "temporarily_unavailable")
			return
		case failing:
			writeError(w, f.status, f.code)
			return
		}
		switch e {
		case EndpointAuthorize:
			p.authorize(next, w, r)
		case EndpointToken:
			p.token(next, w, r)
		default:
			p.serve(next, w, r)
		}
	})
}

// popFailure takes the next queued failure of e. p.mu must be held.
func (p *Provider) popFailure(e Endpoint) (failure, bool) {
	q := p.failures[e]
	if len(q) == 0 {
		return failure{}, false
	}
	p.failures[e] = q[1:]
	return q[0], true
}

// authorize records the request and, unless lenient, insists on PKCE S256
// and a nonce, which mockoidc treats as optional.
func (p *Provider) authorize(next http.Handler, w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	p.mu.Lock()
	p.authReqs = append(p.authReqs, cloneValues(r.Form))
	lenient := p.lenient
	p.mu.Unlock()
	if !lenient && (r.Form.Get("code_challenge_method") != "S256" ||
		r.Form.Get("code_challenge") == "" || r.Form.Get("nonce") == "") {
		writeError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	p.serve(next, w, r)
}

// token moves client_secret_basic credentials into the form, where mockoidc
// looks for them, and applies a pending ID-token rewrite.
func (p *Provider) token(next http.Handler, w http.ResponseWriter, r *http.Request) {
	if status, code, ok := idpshim.BasicToForm(r); !ok {
		writeError(w, status, code)
		return
	}
	p.mu.Lock()
	hook := p.idHook
	p.mu.Unlock()
	if hook == nil {
		p.serve(next, w, r)
		return
	}
	rec := httptest.NewRecorder()
	p.serve(next, rec, r)
	body := rec.Body.Bytes()
	if rec.Code == http.StatusOK {
		p.mu.Lock()
		p.idHook = nil
		p.mu.Unlock()
		var err error
		if body, err = p.rewriteIDToken(body, hook); err != nil {
			writeError(w, http.StatusInternalServerError, "server_error")
			return
		}
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(body)
}

// rewriteIDToken applies hook to the claims of the id_token in a token
// response and re-signs it.
func (p *Provider) rewriteIDToken(body []byte, hook func(map[string]any)) ([]byte, error) {
	var resp map[string]any
	if err := json.Unmarshal(body, &resp); err != nil {
		return nil, err
	}
	raw, _ := resp["id_token"].(string)
	claims, err := decodePayload(raw)
	if err != nil {
		return nil, err
	}
	hook(claims)
	key, kid := p.signingKey()
	if resp["id_token"], err = signRS256(key, kid, claims); err != nil {
		return nil, err
	}
	return json.Marshal(resp)
}

func writeError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code})
}

// decodePayload returns the claims of a compact JWS without verifying it.
func decodePayload(token string) (map[string]any, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, errMalformed
	}
	b, err := b64.DecodeString(parts[1])
	if err != nil {
		return nil, err
	}
	var claims map[string]any
	return claims, json.Unmarshal(b, &claims)
}
