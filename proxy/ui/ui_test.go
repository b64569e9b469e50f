package ui

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"
)

const hostile = `<script>alert(1)</script><img src=x onerror=alert(2)><x onclick="a()">"'&`

func mustRenderer(t *testing.T) *Renderer {
	t.Helper()
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// views returns one of each page, every text field hostile, every form
// shown with values and errors.
func views() map[string]View {
	l := Layout{Title: hostile, User: "alice@example.com", CSRF: "token-123", Section: "cases", CanCreate: true}
	form := func(action string, fields ...string) Form {
		f := Form{Action: action, Values: map[string]string{}, Errors: map[string]string{}, Error: hostile}
		for _, k := range fields {
			f.Values[k], f.Errors[k] = hostile, hostile
		}
		return f
	}
	at := time.Date(2026, 5, 4, 10, 30, 0, 0, time.UTC)
	return map[string]View{
		"signin":  SignIn{Layout: Layout{Title: "Sign in"}, ReturnTo: "/cases", Notice: hostile},
		"message": Message{Layout: l, Heading: hostile, Text: hostile, LinkURL: "/cases", LinkText: hostile, RequestID: hostile},
		"cases": CaseList{Layout: l, Search: hostile, StatusOptions: []Option{{Value: hostile, Label: hostile}},
			Rows:  []CaseRow{{URL: "/cases/~1", Number: "1", Title: hostile, Severity: hostile, Status: hostile, Created: at}},
			Total: 1, First: 1, Last: 1, Page: 1, Pages: 2, NextURL: "/cases?page=2", Error: hostile},
		"case": Case{Layout: l, Number: "7", Title: hostile, Description: hostile, Status: hostile, Tags: []string{hostile},
			Fields: []Field{{hostile, hostile}}, Timeline: []Event{{hostile, at}}, Shared: []string{hostile}, Done: hostile,
			Comments:       []Comment{{ID: "~2", Author: hostile, Message: hostile + "\nsecond line", At: at}},
			Attachments:    []Attachment{{ID: "~3", Name: hostile, ContentType: hostile, URL: "/cases/~1/attachments/~3", Size: 1536, At: at}},
			Observables:    []Observable{{ID: "~4", Type: hostile, Data: hostile, Message: hostile, Author: hostile, At: at}},
			CommentForm:    &Form{Action: "/cases/~1/comments", Values: map[string]string{"message": hostile}, Errors: map[string]string{"message": hostile}},
			UploadForm:     &UploadForm{Form: form("/cases/~1/attachments", "attachments"), MaxBytes: 100 << 20, MaxFiles: 20},
			ObservableForm: &ObservableForm{Form: form("/cases/~1/observables", "dataType", "data", "message"), Types: []Option{{Value: "ip", Label: "ip"}}}},
		"newcase": NewCase{Layout: l, Form: form("/cases", "title", "description", "severity"),
			Severities: []Option{{Value: "2", Label: "Medium", Selected: true}}},
	}
}

func render(t *testing.T, r *Renderer, v View) string {
	t.Helper()
	var buf bytes.Buffer
	if err := r.Render(&buf, v); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestPagesEscapeEverything: no text of a view becomes markup.
func TestPagesEscapeEverything(t *testing.T) {
	r := mustRenderer(t)
	for name, v := range views() {
		page := render(t, r, v)
		if strings.Contains(page, "<script>alert") || strings.Contains(page, "<img") || strings.Contains(page, "<x") {
			t.Errorf("%s: hostile text became markup", name)
		}
	}
}

var (
	inlineScript = regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]`)
	tagRe        = regexp.MustCompile(`<[a-zA-Z][^>]*>`)
	quotedValue  = regexp.MustCompile(`="[^"]*"`)
	hrefRe       = regexp.MustCompile(`(?i)\s(?:href|src|action)="(?:javascript:|https?:|//)`)
	inlineStyle  = regexp.MustCompile(`(?i)<style|\sstyle=|\son[a-z]+=|javascript:|https?://`)
	formRe       = regexp.MustCompile(`(?s)<form[^>]*method="post"[^>]*>(.*?)</form>`)
	controlRe    = regexp.MustCompile(`<(?:input|textarea|select)\s[^>]*>`)
)

// TestPagesFollowTheRules: no inline script or style and no other origin
// (the CSP), every post form starts with the csrf field, and every visible
// control has a label.
func TestPagesFollowTheRules(t *testing.T) {
	r := mustRenderer(t)
	for name, v := range views() {
		page := render(t, r, v)
		if m := inlineScript.FindString(page); m != "" {
			t.Errorf("%s: inline script %q", name, m)
		}
		for _, tag := range tagRe.FindAllString(page, -1) {
			// Values are escaped text (checked above); look at the names,
			// and at the URLs the portal itself puts in href and src.
			names := quotedValue.ReplaceAllString(tag, `=""`)
			if m := inlineStyle.FindString(names); m != "" || hrefRe.MatchString(tag) {
				t.Errorf("%s: inline style, handler or another origin: %q", name, tag)
			}
		}
		for _, f := range formRe.FindAllStringSubmatch(page, -1) {
			if first := controlRe.FindString(f[1]); !strings.Contains(first, `name="csrf" value="token-123"`) {
				t.Errorf("%s: a form starts with %q, not the csrf field", name, first)
			}
		}
		for _, c := range controlRe.FindAllString(page, -1) {
			id := regexp.MustCompile(`\sid="([^"]+)"`).FindStringSubmatch(c)
			if strings.Contains(c, `type="hidden"`) {
				continue
			}
			if id == nil || !strings.Contains(page, `<label for="`+id[1]+`"`) {
				t.Errorf("%s: control without a label: %s", name, c)
			}
		}
	}
}

func TestCommentKeepsLineBreaksAsText(t *testing.T) {
	page := render(t, mustRenderer(t), views()["case"].(Case))
	if !strings.Contains(page, "&#34;&#39;&amp;\nsecond line</div>") {
		t.Error("the comment's line break is not kept in a text block")
	}
}

func TestAssetsAreVersioned(t *testing.T) {
	r := mustRenderer(t)
	names := map[string]bool{}
	for _, a := range r.Assets() {
		names[a.Name] = true
		if a.Version == "" || len(a.Body) == 0 || a.ContentType == "" {
			t.Errorf("asset %+v", a.Name)
		}
	}
	if !names["portal.css"] || !names["upload.js"] {
		t.Errorf("assets: %v", names)
	}
	if page := render(t, r, views()["case"]); !strings.Contains(page, `src="/static/upload.js?v=`) {
		t.Error("the case page with an upload form does not load its script")
	}
	if page := render(t, r, views()["cases"]); strings.Contains(page, "<script") {
		t.Error("a page without upload loads a script")
	}
}

func TestFormatBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1 KB", 1536: "1.5 KB", 100 << 20: "100 MB", 5 << 30: "5 GB"} {
		if got := FormatBytes(n); got != want {
			t.Errorf("FormatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}
