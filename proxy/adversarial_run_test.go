package proxy

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
)

// TestAdversarial runs every attack of the table: each must end with its
// safe outcome, no denial may be a 5xx, and afterwards TheHive's request
// log must show nothing a client controlled beyond validated values.
func TestAdversarial(t *testing.T) {
	e := newEnv(t)
	list := attacks()
	if len(list) < 60 {
		t.Fatalf("only %d attacks", len(list))
	}
	clients := map[string]*client{
		"alice":   e.bearer(thehivetest.AliceEmail),
		"jane":    e.bearer(thehivetest.JaneEmail),
		"mallory": e.bearer(thehivetest.MalloryEmail),
		"anon":    {e: e, http: e.httpClient(nil)},
	}
	for _, a := range list {
		t.Run(a.name, func(t *testing.T) {
			if a.setup != nil {
				a.setup(e)
			}
			defer e.sim.ClearFaults()
			c := clients[a.as]
			if tok, ok := e.tokens[a.as]; ok {
				c = &client{e: e, http: e.httpClient(nil), token: tok}
			}
			r := c.doWith(a.method, a.path, a.ctype, strings.NewReader(a.body), a.headers)
			if r.StatusCode != a.want {
				t.Errorf("%s %s: status %d, want %d (%s)", a.method, a.path, r.StatusCode, a.want, r.body)
			}
			if a.want < 500 && r.StatusCode >= 500 {
				t.Errorf("a denial answered %d", r.StatusCode)
			}
			if a.check != nil {
				a.check(t, e, r)
			}
		})
	}
	checkUpstreamLog(t, e)
}

// allowedOps are the only query operations the portal may send.
var allowedOps = map[string]bool{"listCase": true, "getCase": true, "comments": true, "attachments": true,
	"observables": true, "filter": true, "sort": true, "page": true}

// checkUpstreamLog asserts on everything TheHive received: only the
// service key, no client cookie, organisation, identity header or query
// string, only the allowed query chains, and no marker a user typed.
func checkUpstreamLog(t *testing.T, e *env) {
	t.Helper()
	reqs := e.sim.Requests()
	if len(reqs) < 30 {
		t.Fatalf("only %d upstream requests recorded", len(reqs))
	}
	for _, r := range reqs {
		where := r.Method + " " + r.RequestURI
		if got := r.Header.Get("Authorization"); got != "Bearer "+thehivetest.ServiceKey {
			t.Errorf("%s: Authorization %q", where, got)
		}
		for _, h := range []string{"Cookie", "X-Organisation", "X-Userid", "X-User", "X-Http-Method-Override", "X-Forwarded-For"} {
			if r.Header.Get(h) != "" {
				t.Errorf("%s: client header %s reached TheHive", where, h)
			}
		}
		if r.RawQuery != "" {
			t.Errorf("%s: a query string reached TheHive", where)
		}
		if r.Method != http.MethodGet && r.Method != http.MethodPost && r.Method != http.MethodPatch {
			t.Errorf("%s: method reached TheHive", where)
		}
		body := string(r.Body)
		if r.Path == "/api/v1/query" {
			gjson.Get(body, "query").ForEach(func(_, op gjson.Result) bool {
				if !allowedOps[op.Get("_name").Str] {
					t.Errorf("%s: operation %s reached TheHive", where, op.Get("_name").Str)
				}
				return true
			})
		}
		for _, forged := range []string{"_Posted by ceo@acme.example", "portal:user=mallory", "portal:by=mallory"} {
			if strings.Contains(body, forged) {
				t.Errorf("%s: a user-typed marker reached TheHive: %s", where, forged)
			}
		}
	}
}

// multipartBodyRaw builds a one-part multipart body into buf.
func multipartBodyRaw(field, name, content string, buf *bytes.Buffer) (string, string) {
	mw := multipart.NewWriter(buf)
	if name == "" {
		_ = mw.WriteField(field, content)
	} else {
		w, _ := mw.CreateFormFile(field, name)
		_, _ = w.Write([]byte(content))
	}
	_ = mw.Close()
	return mw.FormDataContentType(), buf.String()
}
