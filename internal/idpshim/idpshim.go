// Package idpshim holds what the development IdP (internal/devidp) and the
// test IdP (internal/oidctest) both add in front of mockoidc.
package idpshim

import (
	"net/http"
	"net/url"
)

// BasicToForm moves client_secret_basic credentials into the parsed form,
// where mockoidc looks for them. It parses the form. On a refusal it returns
// the HTTP status and the OAuth error code to answer with, and ok false.
func BasicToForm(r *http.Request) (status int, code string, ok bool) {
	if err := r.ParseForm(); err != nil {
		return http.StatusBadRequest, "invalid_request", false
	}
	user, pass, basic := r.BasicAuth()
	if !basic {
		return 0, "", true
	}
	if r.PostForm.Has("client_secret") {
		// RFC 6749 2.3: one authentication method per request.
		return http.StatusBadRequest, "invalid_request", false
	}
	id, err1 := url.QueryUnescape(user)
	secret, err2 := url.QueryUnescape(pass)
	if err1 != nil || err2 != nil {
		return http.StatusUnauthorized, "invalid_client", false
	}
	for _, form := range []url.Values{r.Form, r.PostForm} {
		form.Set("client_id", id)
		form.Set("client_secret", secret)
	}
	return 0, "", true
}
