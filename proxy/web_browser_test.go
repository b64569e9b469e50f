package proxy

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
)

// The portal in a real headless Chromium, against the real server, the
// TheHive simulator, the in-process IdP and Redis: one browser and one tab
// for the whole file, the steps in order (each needs the one before).
// Screenshots go to ../screenshots (or $PORTAL_SCREENSHOTS); refresh the
// README's with
//
//	PORTAL_UPDATE_SCREENSHOT=1 go test -run TestPortalInBrowser ./proxy

// xssPayload must stay text wherever it is shown.
const xssPayload = `<script>window.__xss=1</script><img src=x onerror="window.__xss=2">`

func TestPortalInBrowser(t *testing.T) {
	e := newEnv(t, withYAML(profilesYAML))
	xss := e.sim.CreateCase("", thehivetest.NewCase{Title: "Payload " + xssPayload, Description: xssPayload,
		Tags: []string{"portal:user=" + thehivetest.AliceEmail}})
	if _, err := e.sim.AddComment(xss.ID, "", "[external] Planted "+xssPayload, false); err != nil {
		t.Fatal(err)
	}
	b := newTab(t, e)
	steps := []struct {
		name string
		run  func(b *tab)
	}{
		{"sign in", func(b *tab) { browserSignIn(b, thehivetest.AliceEmail, "reporters") }},
		{"case list, search, open", browserCaseList},
		{"comment", browserComment},
		{"upload with progress", browserUpload},
		{"observables one per line", browserObservables},
		{"case page", browserCasePage},
		{"script payloads stay text", func(b *tab) { browserPayloads(b, xss.ID) }},
		{"create a case", browserCreateCase},
		{"phone and keyboard", browserPhoneAndKeyboard},
		{"sign out", browserSignOut},
		{"reader sees no forms", browserReader},
		{"session expired", browserExpired},
	}
	for _, s := range steps {
		if !t.Run(s.name, func(t *testing.T) { s.run(b.in(t)) }) {
			return
		}
	}
}

// in is the tab for a subtest.
func (b *tab) in(t *testing.T) *tab {
	c := *b
	c.t = t
	return &c
}

func browserSignIn(b *tab, email string, groups ...string) {
	b.e.idp.QueueUser(email, groups, true)
	if st := b.open("/"); st != 200 || b.text("main h1") != "Sign in" {
		b.t.Fatalf("home: %d %q", st, b.text("main h1"))
	}
	if st := b.submit(`a.signin`); st != 200 || b.path() != "/cases" {
		b.t.Fatalf("sign-in ended with %d at %s", st, b.path())
	}
	if !strings.Contains(b.text(".who"), email) {
		b.t.Errorf("the header shows %q", b.text(".who"))
	}
}

func browserCaseList(b *tab) {
	want := len(visibleCases(thehivetest.Scenario(), thehivetest.AliceEmail)) + 1
	if n := b.count("table.cases tbody tr"); n != want {
		b.t.Errorf("the list shows %d cases, want %d", n, want)
	}
	b.screenshot("case-list")
	b.do("search", chromedp.SetValue(chromedp.ID("q"), "43"))
	b.submit(`form.search button[type="submit"]`)
	if n := b.count("table.cases tbody tr"); n != 1 || !strings.Contains(b.text("table.cases tbody"), "#43") {
		b.t.Fatalf("search by number: %d rows: %q", n, b.text("table.cases tbody"))
	}
	b.submit(`table.cases tbody a`)
	if b.path() != "/cases/"+thehivetest.CaseUserTagID || !strings.Contains(b.text("h1"), "#43") {
		b.t.Fatalf("the case link led to %s (%q)", b.path(), b.text("h1"))
	}
}

func browserComment(b *tab) {
	text := "Both laptops were re-imaged.\nThe user changed her password."
	b.do("type a comment", chromedp.SetValue(chromedp.ID("comment-message"), text))
	if st := b.submit(`#comment-form button[type="submit"]`); st != 200 || !strings.Contains(b.text(".done"), "comment was added") {
		b.t.Fatalf("comment: %d %q", st, b.text(".done"))
	}
	if got := b.text("ol.comments li:last-child .text"); got != text {
		b.t.Errorf("the newest comment, shown last, reads %q", got)
	}
	if got := b.text("ol.comments li:last-child .author"); got != thehivetest.AliceEmail {
		b.t.Errorf("the new comment's author: %q", got)
	}
}

func browserUpload(b *tab) {
	dir := b.t.TempDir()
	files := map[string]string{"timeline.txt": "09:12 first login\n09:14 mailbox rule", "headers.eml": "Received: from mx"}
	var paths []string
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			b.t.Fatal(err)
		}
		paths = append(paths, p)
	}
	// Record what the progress status says, across the reload.
	js[chromedp.Void](b, `new MutationObserver(function () {
		var s = document.getElementById('upload-status').textContent;
		sessionStorage.setItem('progress', (sessionStorage.getItem('progress') || '') + '|' + s);
	}).observe(document.getElementById('upload-status'), {childList: true, characterData: true, subtree: true})`)
	b.do("choose files", chromedp.SetUploadFiles(chromedp.ID("upload-files"), paths))
	if st := b.submit(`#upload-form button[type="submit"]`); st != 200 || !strings.Contains(b.text(".done"), "files were uploaded") {
		b.t.Fatalf("upload: %d %q", st, b.text(".done"))
	}
	if p := js[string](b, `sessionStorage.getItem('progress') || ''`); !strings.Contains(p, "Uploading") || !strings.Contains(p, "Done.") {
		b.t.Errorf("the progress status said %q", p)
	}
	for name, content := range files {
		if !strings.Contains(b.text("#attachments ul.files"), name) {
			b.t.Errorf("%s is not listed", name)
		}
		if !simHasFile(b.e, thehivetest.CaseUserTagID, name, content) {
			b.t.Errorf("%s did not reach TheHive intact", name)
		}
	}
}

func simHasFile(e *env, caseID, name, content string) bool {
	for _, a := range e.sim.Attachments(caseID) {
		if got, ok := e.sim.AttachmentContent(a.ID); ok && a.Name == name && string(got) == content {
			return true
		}
	}
	return false
}

func browserObservables(b *tab) {
	b.do("fill the observable form",
		chromedp.SetValue(chromedp.ID("observable-type"), "ip"),
		chromedp.SetValue(chromedp.ID("observable-data"), "198.51.100.7\n\n198.51.100.8\n"),
		chromedp.SetValue(chromedp.ID("observable-message"), "Seen in the VPN logs"))
	if st := b.submit(`#observable-form button[type="submit"]`); st != 200 || !strings.Contains(b.text(".done"), "observables were added") {
		b.t.Fatalf("observables: %d %q", st, b.text(".done"))
	}
	table := b.text("#observables table")
	for _, ip := range []string{"198.51.100.7", "198.51.100.8"} {
		if !strings.Contains(table, ip) {
			b.t.Errorf("%s is not listed: %q", ip, table)
		}
	}
}

var downloadHref = regexp.MustCompile(`^/cases/~42001/attachments/~[0-9]+$`)

func browserCasePage(b *tab) {
	b.open("/cases/" + thehivetest.CaseUserTagID)
	if !strings.Contains(b.text("aside.shared"), "What is shared with you") || b.count("ol.timeline li") < 2 {
		b.t.Errorf("the notice or the timeline is missing")
	}
	href := js[string](b, `document.querySelector('#attachments ul.files a').getAttribute('href')`)
	if !downloadHref.MatchString(href) || b.count("#attachments ul.files a[download]") < 2 {
		b.t.Errorf("download link %q", href)
	}
	got := jsAwait(b, `fetch(`+quoteJS(href)+`).then(function (r) {
		return r.headers.get('content-disposition') + '|' + r.headers.get('x-content-type-options') + '|' + r.headers.get('content-type');
	})`)
	if !strings.HasPrefix(got, "attachment;") || !strings.HasSuffix(got, "|nosniff|application/octet-stream") {
		b.t.Errorf("the download answers %q", got)
	}
	// Tall enough to show the comments, files and observables too.
	b.do("tall screen", chromedp.EmulateViewport(1280, 1500))
	b.open("/cases/" + thehivetest.CaseUserTagID)
	png := b.screenshot("case-page")
	b.do("desktop screen", chromedp.EmulateViewport(1280, 900))
	if os.Getenv("PORTAL_UPDATE_SCREENSHOT") != "" {
		updateReadmeScreenshot(b.t, png)
	}
}

// updateReadmeScreenshot copies the case page's screenshot to
// docs/portal.png (PORTAL_UPDATE_SCREENSHOT=1).
func updateReadmeScreenshot(t *testing.T, png string) {
	data, err := os.ReadFile(png)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 300<<10 {
		t.Errorf("the screenshot is %d KB, over 300 KB", len(data)>>10)
	}
	if err := os.MkdirAll(filepath.Join("..", "docs"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("..", "docs", "portal.png"), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func jsAwait(b *tab, expr string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func browserPayloads(b *tab, caseID string) {
	b.open("/cases/" + caseID)
	b.do("post a payload", chromedp.SetValue(chromedp.ID("comment-message"), "Posted "+xssPayload))
	b.submit(`#comment-form button[type="submit"]`)
	for _, path := range []string{"/cases/" + caseID, "/cases"} {
		b.open(path)
		if js[string](b, `typeof window.__xss`) != "undefined" {
			b.t.Errorf("%s: a payload ran", path)
		}
		if n := b.count("main img, main script, #comments img, #comments script"); n != 0 {
			b.t.Errorf("%s: %d elements came from user text", path, n)
		}
	}
	b.open("/cases/" + caseID)
	for i, want := range []string{"Planted " + xssPayload, "Posted " + xssPayload} {
		if got := b.text("ol.comments li:nth-child(" + strconv.Itoa(i+1) + ") .text"); got != want {
			b.t.Errorf("comment %d reads %q, want the text %q", i+1, got, want)
		}
	}
	if !strings.Contains(b.text("h1"), "<img src=x") || !strings.Contains(b.text(".details ~ .text"), "<script>") {
		b.t.Errorf("the title or description is not shown as text: %q", b.text("h1"))
	}
}

func browserCreateCase(b *tab) {
	b.submit(`nav a[href="/cases/new"]`)
	title := "Suspicious invoice from a supplier"
	b.do("forget the description",
		chromedp.SetValue(chromedp.ID("case-title"), title),
		chromedp.RemoveAttribute(chromedp.ID("case-description"), "required"))
	if st := b.submit(`#case-form button[type="submit"]`); st != 400 || b.text("#case-description-error") == "" {
		b.t.Fatalf("a case without description: %d, error %q", st, b.text("#case-description-error"))
	}
	if got := js[string](b, `document.getElementById('case-title').value`); got != title {
		b.t.Errorf("the title typed was lost: %q", got)
	}
	b.do("describe", chromedp.SetValue(chromedp.ID("case-description"), "The invoice asks for new bank details."),
		chromedp.SetValue(chromedp.ID("case-severity"), "3"))
	if st := b.submit(`#case-form button[type="submit"]`); st != 200 || !strings.Contains(b.text(".done"), "case was created") {
		b.t.Fatalf("create: %d %q", st, b.text(".done"))
	}
	id := strings.TrimPrefix(b.path(), "/cases/")
	kase, ok := b.e.sim.Case(id)
	if !ok || kase.Title != title || kase.Severity != 3 || !slices.Contains(kase.Tags, "portal:created-by="+thehivetest.AliceEmail) {
		b.t.Errorf("the case in TheHive: %+v", kase)
	}
}

func browserPhoneAndKeyboard(b *tab) {
	b.do("phone screen", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	for _, path := range []string{"/cases", "/cases/" + thehivetest.CaseUserTagID} {
		b.open(path)
		if js[bool](b, `document.documentElement.scrollWidth > window.innerWidth + 1`) {
			b.t.Errorf("%s is wider than a phone screen", path)
		}
	}
	b.screenshot("case-page-phone")
	b.do("desktop screen", chromedp.EmulateViewport(1280, 900))
	b.open("/cases")
	b.do("tab", chromedp.KeyEvent(kb.Tab))
	if got := js[string](b, `document.activeElement.className`); got != "skip" {
		b.t.Errorf("the first Tab focuses %q, want the skip link", got)
	}
}

func browserSignOut(b *tab) {
	if st := b.submit(`form.signout button`); st != 200 || b.path() != "/" || b.text("main h1") != "Sign in" {
		b.t.Fatalf("sign out: %d at %s", st, b.path())
	}
	if st := b.open("/cases"); st != 401 || !strings.Contains(b.text("main"), "Sign in with SSO") {
		b.t.Errorf("after sign-out, /cases: %d", st)
	}
}

func browserReader(b *tab) {
	browserSignIn(b, thehivetest.AliceEmail)
	if b.count(`a[href="/cases/new"]`) != 0 {
		b.t.Error("a reader is offered to create a case")
	}
	b.open("/cases/" + thehivetest.CaseUserTagID)
	if n := b.count(`main form`); n != 0 {
		b.t.Errorf("a reader sees %d forms on the case page", n)
	}
	if b.count(`form[method="post"]`) != 1 || b.count("ol.comments li") == 0 {
		b.t.Error("the reader's page lacks the sign-out form or the comments")
	}
}

func browserExpired(b *tab) {
	if err := b.e.srv.sessions.Delete(context.Background(), b.sessionCookie()); err != nil {
		b.t.Fatal(err)
	}
	if st := b.open("/cases/" + thehivetest.CaseUserTagID); st != 401 || b.text("main h1") != "Your session has expired" {
		b.t.Fatalf("ended session: %d %q", st, b.text("main h1"))
	}
	b.e.idp.QueueUser(thehivetest.AliceEmail, nil, true)
	if st := b.submit(`main a.button`); st != 200 || b.path() != "/cases/"+thehivetest.CaseUserTagID {
		b.t.Errorf("signing in again led to %d at %s", st, b.path())
	}
}
