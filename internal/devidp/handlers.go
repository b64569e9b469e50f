package devidp

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"

	"github.com/oauth2-proxy/mockoidc"

	"github.com/thehive-portal/thehive-portal/internal/idpshim"
)

// loginField is the form field of the sign-in page naming the chosen user.
const loginField = "login_as"

// maxFormBytes bounds an authorization or token request body.
const maxFormBytes = 64 << 10

// middleware sits in front of every mockoidc handler.
func (p *Provider) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		switch r.URL.Path {
		case mockoidc.AuthorizationEndpoint:
			p.authorize(next, w, r)
		case mockoidc.TokenEndpoint:
			p.token(next, w, r)
		default:
			p.serve(next, w, r)
		}
	})
}

// authorize shows the sign-in page; when the page is posted back with a
// chosen user, it queues that user in mockoidc and lets mockoidc finish
// the authorization request (which redirects to the client with a code).
func (p *Provider) authorize(next http.Handler, w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	f := r.Form
	if f.Get("code_challenge_method") != "S256" || f.Get("code_challenge") == "" || f.Get("nonce") == "" ||
		f.Get("redirect_uri") == "" || f.Get("client_id") != p.ClientID {
		writeError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	if r.Method != http.MethodPost || !f.Has(loginField) {
		p.showPage(w, f)
		return
	}
	if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		writeError(w, http.StatusForbidden, "access_denied")
		return
	}
	u, ok := p.user(r.PostForm.Get(loginField))
	if !ok {
		writeError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	p.serial.Lock()
	defer p.serial.Unlock()
	p.m.QueueUser(mockUser(u))
	next.ServeHTTP(w, r)
	// If mockoidc refused the request before taking the user, drop it:
	// it must not sign the next request in.
	p.m.UserQueue.Lock()
	p.m.UserQueue.Queue = nil
	p.m.UserQueue.Unlock()
}

// pageData is what the sign-in page shows.
type pageData struct {
	Action string
	Params []param
	Users  []User
}

type param struct{ Name, Value string }

// showPage renders the list of sample users; each button posts the
// authorization request back with the chosen user.
func (p *Provider) showPage(w http.ResponseWriter, f url.Values) {
	d := pageData{Action: mockoidc.AuthorizationEndpoint, Users: p.users}
	for name, values := range f {
		if name == loginField {
			continue
		}
		for _, v := range values {
			d.Params = append(d.Params, param{name, v})
		}
	}
	sort.Slice(d.Params, func(i, j int) bool { return d.Params[i].Name < d.Params[j].Name })
	var buf bytes.Buffer
	if err := p.page.Execute(&buf, d); err != nil {
		writeError(w, http.StatusInternalServerError, "server_error")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(buf.Bytes())
}

// token moves client_secret_basic credentials into the form, where
// mockoidc looks for them.
func (p *Provider) token(next http.Handler, w http.ResponseWriter, r *http.Request) {
	if status, code, ok := idpshim.BasicToForm(r); !ok {
		writeError(w, status, code)
		return
	}
	p.serve(next, w, r)
}

// writeError answers an OAuth error.
func writeError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code})
}
