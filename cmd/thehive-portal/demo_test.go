package main

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
)

// syncBuffer is a bytes.Buffer safe to write from the command's goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var (
	portalLine = regexp.MustCompile(`Portal\s+(http://127\.0\.0\.1:\d+)/\n`)
	shareLine  = regexp.MustCompile(`share --url (\S+) --case (\d+) --user`)
)

// shareInDemo runs the share command the banner suggests, for email.
func shareInDemo(t *testing.T, banner, email string) {
	t.Helper()
	m := shareLine.FindStringSubmatch(banner)
	if m == nil {
		t.Fatalf("no share example in the banner:\n%s", banner)
	}
	env := map[string]string{"THEHIVE_API_KEY": thehivetest.AnalystKey}
	out, _, err := runCmd(t, env, "share", "--url", m[1], "--case", m[2], "--user", email)
	if err != nil || !strings.Contains(out, "shared with user "+email) {
		t.Fatalf("share: %v\n%s", err, out)
	}
}

// TestDemoSignIn runs `demo` on free ports, signs in as a sample user on
// the development IdP's page with a browser-like client, reads the user
// and a shared case, then stops the demo.
func TestDemoSignIn(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"demo", "--listen", "127.0.0.1:0"}, nil, &out, io.Discard) }()
	portal := waitPortal(t, &out, done)
	for _, want := range []string{demoPaul.Email, demoSofia.Email, demoLiam.Email, demoJane.Email, "reader", "another client"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, out.String())
		}
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	signIn(t, client, portal, demoSofia.Email)

	var user struct{ Email, Profile string }
	getJSON(t, client, portal+"/api/v1/user/current", &user)
	if user.Email != demoSofia.Email || user.Profile != "contributor" {
		t.Errorf("signed in as %+v", user)
	}
	var cases []struct{ Title string }
	postJSON(t, client, portal+"/api/v1/query", `{"query":[{"_name":"listCase"}]}`, &cases)
	if len(cases) != 2 {
		t.Errorf("Sofia sees %d cases, want the BEC (domain) and ransomware (group) cases: %+v", len(cases), cases)
	}
	shareInDemo(t, out.String(), demoSofia.Email)
	postJSON(t, client, portal+"/api/v1/query", `{"query":[{"_name":"listCase"}]}`, &cases)
	if len(cases) != 3 {
		t.Errorf("after share, Sofia sees %d cases, want 3: %+v", len(cases), cases)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("demo ended with %v", err)
		}
	case <-time.After(35 * time.Second):
		t.Fatal("demo did not stop")
	}
	if _, err := http.Get(portal + "/healthz"); err == nil {
		t.Error("the portal still answers after the demo stopped")
	}
}

func waitPortal(t *testing.T, out *syncBuffer, done chan error) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("demo stopped: %v", err)
		default:
		}
		if m := portalLine.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no portal URL printed:\n%s", out.String())
	return ""
}

var (
	formAction = regexp.MustCompile(`<form method="post" action="([^"]+)">`)
	hiddenIn   = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
)

// signIn follows the portal's sign-in to the IdP page, picks the user as
// a browser would (posting the page's form), and follows back.
func signIn(t *testing.T, client *http.Client, portal, email string) {
	t.Helper()
	resp, err := client.Get(portal + "/auth/login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	action := formAction.FindSubmatch(page)
	if resp.StatusCode != 200 || action == nil || !bytes.Contains(page, []byte(email)) {
		t.Fatalf("sign-in page: %d\n%s", resp.StatusCode, page)
	}
	form := url.Values{"login_as": {email}}
	for _, m := range hiddenIn.FindAllSubmatch(page, -1) {
		form.Add(html.UnescapeString(string(m[1])), html.UnescapeString(string(m[2])))
	}
	target := resp.Request.URL.ResolveReference(&url.URL{Path: html.UnescapeString(string(action[1]))})
	resp, err = client.PostForm(target.String(), form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !strings.HasPrefix(resp.Request.URL.String(), portal) {
		t.Fatalf("sign-in ended at %s (%d)", resp.Request.URL, resp.StatusCode)
	}
}

func getJSON(t *testing.T, c *http.Client, u string, v any) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	decode(t, resp, v)
}

func postJSON(t *testing.T, c *http.Client, u, body string, v any) {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	// Cookie-authenticated writes need the session's CSRF token.
	req.Header.Set("X-CSRF-Token", csrfToken(t, c, u))
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	decode(t, resp, v)
}

// csrfToken reads the session's token from GET /api/v1/user/current.
func csrfToken(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	base, _ := url.Parse(u)
	resp, err := c.Get(base.Scheme + "://" + base.Host + "/api/v1/user/current")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.Header.Get("X-CSRF-Token")
}

func decode(t *testing.T, resp *http.Response, v any) {
	t.Helper()
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %d %s", resp.Request.URL, resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("%s: %v", body, err)
	}
}
