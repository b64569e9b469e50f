package proxy

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// chromiumPath is Debian's chromium, which scripts/test.sh installs.
const chromiumPath = "/usr/bin/chromium"

// stepTimeout bounds one browser step.
const stepTimeout = 20 * time.Second

// tab is one headless Chromium tab on the portal of an env. Every page it
// loads is scanned for canaries (rendered HTML, after scripts ran).
type tab struct {
	t   *testing.T
	e   *env
	ctx context.Context
}

// newTab starts a headless Chromium with a fresh profile, for the whole
// test. Without Chromium the test skips, or fails when CI is set.
func newTab(t *testing.T, e *env) *tab {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		requirePart(t, chromiumPath)
	}
	profile, err := os.MkdirTemp("", "portal-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { removeProfile(profile) })
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-extensions", true),
		chromedp.UserDataDir(profile), chromedp.WindowSize(1280, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", chromiumPath, err)
	}
	return &tab{t: t, e: e, ctx: ctx}
}

// removeProfile removes Chromium's profile; its helpers may still write
// for a moment after the browser stopped.
func removeProfile(dir string) {
	for range 50 {
		if os.RemoveAll(dir) == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// do runs steps within the step timeout, then scans the page.
func (b *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	b.scan(what)
}

// open loads a page of the portal and returns its status.
func (b *tab) open(path string) int64 {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.e.url+path))
	if err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
	b.scan(path)
	return resp.Status
}

// submit clicks a button that navigates, waits for the new page and
// returns its status.
func (b *tab) submit(sel string) int64 {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		b.t.Fatalf("click %s: %v", sel, err)
	}
	b.scan("after " + sel)
	return resp.Status
}

// js evaluates an expression in the page.
func js[T any](b *tab, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// text is the text of the first element matching a CSS selector ("" when
// there is none).
func (b *tab) text(sel string) string {
	b.t.Helper()
	return js[string](b, `(function(){var el=document.querySelector(`+quoteJS(sel)+`);return el?el.textContent:""}())`)
}

// count is how many elements match a CSS selector.
func (b *tab) count(sel string) int {
	b.t.Helper()
	return js[int](b, `document.querySelectorAll(`+quoteJS(sel)+`).length`)
}

func (b *tab) path() string {
	b.t.Helper()
	return js[string](b, `location.pathname`)
}

// scan checks the rendered page for canaries.
func (b *tab) scan(where string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
	if err != nil {
		b.t.Fatalf("read the page (%s): %v", where, err)
	}
	b.e.scan.checkText("browser page "+where, html)
}

// screenshot saves the viewport as a PNG in the screenshot folder and
// returns the file's path.
func (b *tab) screenshot(name string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := os.Getenv("PORTAL_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join("..", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s", path)
	return path
}

// sessionCookie is the value of the portal's session cookie in the
// browser.
func (b *tab) sessionCookie() string {
	b.t.Helper()
	res, err := chromedp.Call(b.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{b.e.url}})
	if err != nil {
		b.t.Fatal(err)
	}
	for _, c := range res.Cookies {
		if c.Name == b.e.srv.cookieName() {
			return c.Value
		}
	}
	return ""
}

// quoteJS quotes s as a JavaScript string literal.
func quoteJS(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`, "<", `\x3c`)
	return "'" + r.Replace(s) + "'"
}
