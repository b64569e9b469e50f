package proxy

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
)

// The HTTP tests of the web portal. Every answer goes through the env's
// scanning client, so every page is also scanned for canaries.

// postForm sends a urlencoded form, as a browser does.
func (c *client) postForm(path string, fields url.Values) *response {
	c.e.t.Helper()
	return c.doWith("POST", path, "application/x-www-form-urlencoded", strings.NewReader(fields.Encode()),
		map[string]string{"X-CSRF-Token": ""})
}

// withCSRF returns fields plus the session's csrf field.
func (c *client) withCSRF(fields url.Values) url.Values {
	out := url.Values{"csrf": {c.csrf}}
	for k, v := range fields {
		out[k] = v
	}
	return out
}

// uploadBody builds the upload form's multipart body: the csrf field
// first (unless csrf is "-"), then the files.
func uploadBody(t *testing.T, csrf string, files map[string]string) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if csrf != "-" {
		_ = mw.WriteField("csrf", csrf)
	}
	for name, content := range files {
		w, err := mw.CreateFormFile("attachments", name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte(content))
	}
	_ = mw.Close()
	return mw.FormDataContentType(), &buf
}

func wantPage(t *testing.T, what string, r *response, status int, texts ...string) {
	t.Helper()
	if r.StatusCode != status || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
		t.Errorf("%s: %d %s, want a %d page", what, r.StatusCode, r.Header.Get("Content-Type"), status)
	}
	for _, s := range texts {
		if !strings.Contains(string(r.body), s) {
			t.Errorf("%s: the page lacks %q", what, s)
		}
	}
}

// TestWebSignedOutPages: the sign-in page, the pages of a visitor without
// a session or with an ended one, and the assets.
func TestWebSignedOutPages(t *testing.T) {
	e := newEnv(t, withMemoryStore())
	anon := &client{e: e, http: e.httpClient(nil)}
	wantPage(t, "home", anon.do("GET", "/", "", nil), http.StatusOK, "Sign in with SSO", `href="/auth/login?rd=%2fcases"`)
	wantPage(t, "case list", anon.do("GET", "/cases?status=open", "", nil), http.StatusUnauthorized,
		"Sign in with SSO", `href="/auth/login?rd=%2fcases%3fstatus%3dopen"`)
	r := anon.doWith("GET", "/cases/"+thehivetest.CaseUserTagID, "", nil, map[string]string{"Cookie": "portal=ended-session-id"})
	wantPage(t, "ended session", r, http.StatusUnauthorized, "Your session has expired", "/auth/login?rd=%2Fcases%2F~42001")
	if !strings.Contains(r.Header.Get("Set-Cookie"), "Max-Age=0") {
		t.Errorf("the ended session's cookie is kept: %q", r.Header.Get("Set-Cookie"))
	}
	css := anon.do("GET", "/static/portal.css", "", nil)
	if css.StatusCode != 200 || !strings.HasPrefix(css.Header.Get("Content-Type"), "text/css") {
		t.Errorf("stylesheet: %d %s", css.StatusCode, css.Header.Get("Content-Type"))
	}
	nav := map[string]string{"Sec-Fetch-Mode": "navigate"}
	wantPage(t, "unknown page", anon.doWith("GET", "/no/such/page", "", nil, nav), http.StatusNotFound, "Not found")
	if r := anon.do("GET", "/no/such/page", "", nil); !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Errorf("an API client's 404 is no longer JSON: %s", r.Header.Get("Content-Type"))
	}
}

// TestWebNotAuthorised: a user whom no profile admits gets a page, at
// sign-in and with a session whose profile went away.
func TestWebNotAuthorised(t *testing.T) {
	e := newEnv(t, withMemoryStore(), withYAML("profiles:\n  default: none\n"))
	jar, _ := cookiejar.New(nil)
	c := &client{e: e, http: e.httpClient(jar)}
	e.idp.QueueUser(thehivetest.AliceEmail, nil, true)
	r := c.doWith("GET", "/auth/login?rd=/cases", "", nil, map[string]string{"Sec-Fetch-Mode": "navigate"})
	wantPage(t, "sign-in without a profile", r, http.StatusForbidden, "Not authorised", "no access to this portal")
}

// TestWebCaseListSearchAndPages: the list shows only visible cases, and
// search, filter and pages count visible cases only.
func TestWebCaseListSearchAndPages(t *testing.T) {
	e := newEnv(t, withMemoryStore())
	for i := range 23 {
		e.sim.CreateCase("", thehivetest.NewCase{Title: fmt.Sprintf("Bulk shared %02d", i), Description: "Mailbox review",
			Tags: []string{"portal:user=" + thehivetest.AliceEmail}})
		e.sim.CreateCase("", thehivetest.NewCase{Title: fmt.Sprintf("Bulk hidden %02d", i), Description: "Mailbox review"})
	}
	c := e.browser(thehivetest.AliceEmail)
	visible := len(visibleCases(thehivetest.Scenario(), thehivetest.AliceEmail)) + 23
	r := c.do("GET", "/cases", "", nil)
	wantPage(t, "list", r, http.StatusOK, fmt.Sprintf("Cases 1 to 20 of %d", visible), `href="/cases?page=2"`)
	if strings.Contains(string(r.body), "Bulk hidden") {
		t.Error("the list shows a case that is not shared")
	}
	r = c.do("GET", "/cases?q=bulk+shared&sort=oldest&page=2", "", nil)
	wantPage(t, "search page 2", r, http.StatusOK, "Cases 21 to 23 of 23", "Bulk shared 22", "Page 2 of 2")
	wantPage(t, "by number", c.do("GET", "/cases?q=%2343", "", nil), http.StatusOK, "Cases 1 to 1 of 1", "#43")
	wantPage(t, "hidden number", c.do("GET", "/cases?q=50", "", nil), http.StatusOK, "No case matches.")
	wantPage(t, "closed", c.do("GET", "/cases?status=closed", "", nil), http.StatusOK, "No case matches.")
	r = c.do("GET", "/", "", nil)
	wantPage(t, "home when signed in", r, http.StatusOK, fmt.Sprintf("of %d", visible), "Sign out")
}

// TestWebCasePage: the case page shows what the API shows, and 404s are
// the same page for a missing and a hidden case.
func TestWebCasePage(t *testing.T) {
	e := newEnv(t, withMemoryStore())
	c := e.browser(thehivetest.JaneEmail)
	r := c.do("GET", "/cases/42", "", nil)
	wantPage(t, "case 42", r, http.StatusOK, "What is shared with you", "Comments", "Case opened",
		`href="/cases/~41001/attachments/~41400"`, `id="comment-~41210"`, `id="observable-~41505"`)
	if n := strings.Count(string(r.body), `class="comment"`); n != 2 {
		t.Errorf("case 42 shows %d comments, want the 2 external ones", n)
	}
	hidden := c.do("GET", "/cases/41", "", nil)
	missing := c.do("GET", "/cases/999", "", nil)
	wantPage(t, "hidden case", hidden, http.StatusNotFound, "Not found")
	if stripIDs(hidden.body) != stripIDs(missing.body) {
		t.Error("a hidden case and a missing case give different pages")
	}
	d := c.do("GET", "/cases/~41001/attachments/~41400", "", nil)
	if d.StatusCode != 200 || !strings.HasPrefix(d.Header.Get("Content-Disposition"), "attachment;") ||
		d.Header.Get("X-Content-Type-Options") != "nosniff" || d.Header.Get("Content-Type") != "application/octet-stream" {
		t.Errorf("download: %d %v", d.StatusCode, d.Header)
	}
	wantPage(t, "internal attachment", c.do("GET", "/cases/~41001/attachments/~41404", "", nil), http.StatusNotFound, "Not found")
}

var requestIDs = regexp.MustCompile(`[0-9a-f]{24}`)

func stripIDs(b []byte) string { return requestIDs.ReplaceAllString(string(b), "") }
