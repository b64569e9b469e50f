package proxy

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
)

// webPost is one form of the portal, sent with a given csrf field ("-":
// none) and extra headers.
type webPost struct {
	name string
	send func(c *client, csrf string, h map[string]string) *response
}

func webPosts(t *testing.T) []webPost {
	casePath := "/cases/" + thehivetest.CaseUserTagID
	form := func(path string, fields url.Values) func(c *client, csrf string, h map[string]string) *response {
		return func(c *client, csrf string, h map[string]string) *response {
			f := url.Values{}
			for k, v := range fields {
				f[k] = v
			}
			if csrf != "-" {
				f.Set("csrf", csrf)
			}
			return c.doWith("POST", path, "application/x-www-form-urlencoded", strings.NewReader(f.Encode()), h)
		}
	}
	return []webPost{
		{"comment", form(casePath+"/comments", url.Values{"message": {"csrf probe"}})},
		{"observables", form(casePath+"/observables", url.Values{"dataType": {"ip"}, "data": {"192.0.2.1"}})},
		{"case", form("/cases", url.Values{"title": {"csrf probe"}, "description": {"x"}})},
		{"upload", func(c *client, csrf string, h map[string]string) *response {
			ct, body := uploadBody(t, csrf, map[string]string{"probe.txt": "probe"})
			return c.doWith("POST", casePath+"/attachments", ct, body, h)
		}},
	}
}

// TestWebFormsNeedCSRF: every form without its token, with a wrong one,
// from another origin or in another encoding is refused with a page, and
// nothing reaches TheHive. With the token, each one works.
func TestWebFormsNeedCSRF(t *testing.T) {
	e := newEnv(t, withMemoryStore())
	c := e.browser(thehivetest.AliceEmail)
	for _, p := range webPosts(t) {
		e.sim.ResetRequests()
		// The header the API takes is no substitute for the field.
		header := map[string]string{"X-CSRF-Token": c.csrf}
		bad := map[string]*response{
			"missing":      p.send(c, "-", header),
			"empty":        p.send(c, "", header),
			"wrong":        p.send(c, wrongToken(c.csrf), header),
			"cross origin": p.send(c, c.csrf, map[string]string{"Origin": "https://evil.example"}),
			"cross site":   p.send(c, c.csrf, map[string]string{"Sec-Fetch-Site": "cross-site"}),
			"text/plain":   c.doWith("POST", "/cases", "text/plain", strings.NewReader("csrf="+c.csrf), nil),
		}
		for name, r := range bad {
			wantPage(t, p.name+" "+name, r, http.StatusForbidden, "This form could not be accepted")
		}
		// No write may reach TheHive. (A read of a case is harmless; under
		// heavy load a late read of the previous page once showed up here.)
		for _, req := range e.sim.Requests() {
			if req.Method != http.MethodGet {
				t.Errorf("%s without a valid token reached TheHive: %s %s", p.name, req.Method, req.Path)
			}
		}
		r := p.send(c, c.csrf, map[string]string{"Origin": e.url, "X-CSRF-Token": ""})
		if r.StatusCode != http.StatusOK || !strings.Contains(string(r.body), "role=\"status\"") {
			t.Errorf("%s with the token: %d %s", p.name, r.StatusCode, r.Request.URL)
		}
	}
}

// wrongToken is tok with its first character changed (a fixed
// replacement would equal tok when tok starts with it).
func wrongToken(tok string) string {
	if tok[0] == 'x' {
		return "y" + tok[1:]
	}
	return "x" + tok[1:]
}

// TestWebFormErrorsKeepValues: a refused form comes back with what was
// typed and the message next to the wrong field.
func TestWebFormErrorsKeepValues(t *testing.T) {
	e := newEnv(t, withMemoryStore())
	c := e.browser(thehivetest.AliceEmail)
	casePath := "/cases/" + thehivetest.CaseUserTagID
	r := c.postForm("/cases", c.withCSRF(url.Values{"title": {"Phishing <wave> of May"}, "description": {"  "}}))
	wantPage(t, "case without description", r, http.StatusBadRequest, `value="Phishing &lt;wave&gt; of May"`,
		`id="case-description-error"`, `aria-invalid="true"`)
	r = c.postForm(casePath+"/observables", c.withCSRF(url.Values{"dataType": {"registry-hive"},
		"data": {"evil.example\nbad.example"}, "message": {"from the proxy logs"}}))
	wantPage(t, "observable of an unknown type", r, http.StatusBadRequest, `id="observable-type-error"`,
		"evil.example\nbad.example</textarea>", `value="from the proxy logs"`)
	r = c.postForm(casePath+"/comments", c.withCSRF(url.Values{"message": {"[external]"}}))
	wantPage(t, "comment that is only a marker", r, http.StatusBadRequest, `id="comment-message-error"`, ">[external]</textarea>")
	ct, body := uploadBody(t, c.csrf, nil)
	r = c.doWith("POST", casePath+"/attachments", ct, body, nil)
	wantPage(t, "upload without files", r, http.StatusBadRequest, "The upload was refused")
	if strings.Contains(string(r.body), `id="attachments-error" class="field-error" role="alert" hidden`) {
		t.Error("the upload error is hidden")
	}
	e.sim.SetPathStatus("/api/v1/case/"+thehivetest.CaseUserTagID+"/comment", http.StatusInternalServerError)
	r = c.postForm(casePath+"/comments", c.withCSRF(url.Values{"message": {"Keep this text"}}))
	wantPage(t, "TheHive down", r, http.StatusBadGateway, "did not answer", ">Keep this text</textarea>")
}

// TestWebEscapesUserText: markup in cases and comments is shown as text.
func TestWebEscapesUserText(t *testing.T) {
	e := newEnv(t, withMemoryStore())
	payload := `<script>window.pwned=1</script><img src=x onerror="window.pwned=2">`
	kase := e.sim.CreateCase("", thehivetest.NewCase{Title: payload, Description: payload,
		Tags: []string{"portal:user=" + thehivetest.AliceEmail}})
	if _, err := e.sim.AddComment(kase.ID, "", "[external] "+payload, false); err != nil {
		t.Fatal(err)
	}
	c := e.browser(thehivetest.AliceEmail)
	c.postForm("/cases/"+kase.ID+"/comments", c.withCSRF(url.Values{"message": {payload}}))
	for _, path := range []string{"/cases", "/cases/" + kase.ID} {
		r := c.do("GET", path, "", nil)
		page := string(r.body)
		if strings.Contains(page, "<script>window") || strings.Contains(page, "<img") || strings.Contains(page, `onerror="`) {
			t.Errorf("%s renders user markup", path)
		}
		if !strings.Contains(page, "&lt;script&gt;window.pwned=1&lt;/script&gt;") {
			t.Errorf("%s does not show the text", path)
		}
	}
}

// TestWebReaderHasNoForms: a reader sees no form but sign-out, and posting
// anyway is refused before TheHive is asked to write.
func TestWebReaderHasNoForms(t *testing.T) {
	e := newEnv(t, withMemoryStore(), withYAML(profilesYAML))
	c := e.browser(thehivetest.AliceEmail)
	for _, path := range []string{"/cases", "/cases/" + thehivetest.CaseUserTagID} {
		r := c.do("GET", path, "", nil)
		if n := strings.Count(string(r.body), `method="post"`); n != 1 || !strings.Contains(string(r.body), `action="/auth/logout"`) {
			t.Errorf("%s: a reader sees %d forms that post (want sign-out only)", path, n)
		}
	}
	wantPage(t, "new case form", c.do("GET", "/cases/new", "", nil), http.StatusForbidden, "Not allowed")
	e.sim.ResetRequests()
	for _, p := range webPosts(t) {
		wantPage(t, "reader "+p.name, p.send(c, c.csrf, nil), http.StatusForbidden, "does not allow this")
	}
	for _, r := range e.sim.Requests() {
		if r.Method != http.MethodGet {
			t.Errorf("a reader's form reached TheHive: %s %s", r.Method, r.Path)
		}
	}
}

// TestWebWritesReachTheHive: what the forms send arrives with the
// portal's markers, and the answer page shows the new items.
func TestWebWritesReachTheHive(t *testing.T) {
	e := newEnv(t, withMemoryStore())
	c := e.browser(thehivetest.AliceEmail)
	casePath := "/cases/" + thehivetest.CaseUserTagID
	r := c.postForm(casePath+"/observables", c.withCSRF(url.Values{"dataType": {"domain"},
		"data": {"one.example\r\n\r\ntwo.example\r\n"}}))
	wantPage(t, "observables", r, http.StatusOK, "Your observables were added", "<code>one.example</code>", "<code>two.example</code>")
	n := 0
	for _, o := range e.sim.Observables(thehivetest.CaseUserTagID) {
		if strings.HasSuffix(o.Data, ".example") && len(o.Tags) == 1 && o.Tags[0] == "portal:by="+thehivetest.AliceEmail {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d observables with the portal's marker in TheHive, want 2", n)
	}
	ct, body := uploadBody(t, c.csrf, map[string]string{"a.txt": "first file", "b.pdf": "%PDF second"})
	r = c.doWith("POST", casePath+"/attachments", ct, body, nil)
	wantPage(t, "upload", r, http.StatusOK, "Your files were uploaded", ">a.txt</a>", ">b.pdf</a>")
	r = c.postForm("/cases", c.withCSRF(url.Values{"title": {"Stolen badge"}, "description": {"Lost at the gate"}, "severity": {"3"}}))
	wantPage(t, "new case", r, http.StatusOK, "Your case was created", "Stolen badge", "High")
	id := strings.TrimPrefix(r.Request.URL.Path, "/cases/")
	if kase, ok := e.sim.Case(id); !ok || kase.Severity != 3 || kase.Description != "Lost at the gate" {
		t.Errorf("the new case in TheHive: %+v", kase)
	}
	d := c.do("GET", "/cases/"+thehivetest.CaseUserTagID, "", nil)
	if !strings.Contains(string(d.body), "a.txt") {
		t.Error("the uploaded file is not listed")
	}
}
