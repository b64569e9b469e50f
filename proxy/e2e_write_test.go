package proxy

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
)

// multipartBody builds a multipart body: fields first, then files
// (name → content), as thehive4py (requests) sends them.
func multipartBody(t *testing.T, fields map[string]string, fileField string, files map[string]string) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	for name, content := range files {
		w, err := mw.CreateFormFile(fileField, name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte(content))
	}
	_ = mw.Close()
	return mw.FormDataContentType(), &buf
}

// TestWritesForEveryProfileAndMode: readers write nothing, contributors
// comment, upload and add observables, reporters also create cases; in both
// ways in. What reached TheHive carries the portal's markers.
func TestWritesForEveryProfileAndMode(t *testing.T) {
	e := newEnv(t, withYAML(profilesYAML))
	for name, c := range viewers(e, thehivetest.AliceEmail) {
		t.Run(name, func(t *testing.T) {
			profile, _, _ := strings.Cut(name, "/")
			canContribute := profile != "reader"
			checkComment(t, e, c, canContribute)
			checkUpload(t, e, c, canContribute)
			checkObservable(t, e, c, canContribute)
			checkCreateCase(t, e, c, profile == "reporter")
		})
	}
}

func wantStatus(t *testing.T, what string, r *response, allowed bool, okStatus int) bool {
	t.Helper()
	if !allowed {
		if r.StatusCode != http.StatusForbidden || gjson.GetBytes(r.body, "type").Str != "AuthorizationError" {
			t.Errorf("%s must be refused with 403, got %d %s", what, r.StatusCode, r.body)
		}
		return false
	}
	if r.StatusCode != okStatus {
		t.Errorf("%s: want %d, got %d %s", what, okStatus, r.StatusCode, r.body)
		return false
	}
	return true
}

func checkComment(t *testing.T, e *env, c *client, allowed bool) {
	text := "Two mailboxes were affected " + c.email
	r := c.postJSON("/api/v1/case/"+thehivetest.CaseUserTagID+"/comment", fmt.Sprintf(`{"message":%q}`, "[external] "+text))
	if !wantStatus(t, "comment", r, allowed, http.StatusCreated) {
		return
	}
	if gjson.GetBytes(r.body, "createdBy").Str != c.email || gjson.GetBytes(r.body, "message").Str != text {
		t.Errorf("created comment shows %s", r.body)
	}
	stored, ok := e.sim.Comment(gjson.GetBytes(r.body, "_id").Str)
	if !ok {
		t.Fatalf("comment %s not in TheHive", r.body)
	}
	want := "[external] _Posted by " + c.email + " through the external portal._\n\n" + text
	if stored.Message != want {
		t.Errorf("TheHive holds %q, want %q", stored.Message, want)
	}
}

func checkUpload(t *testing.T, e *env, c *client, allowed bool) {
	ct, body := multipartBody(t, nil, "attachments", map[string]string{"report " + c.email + ".txt": "evidence bytes"})
	r := c.do("POST", "/api/v1/case/"+thehivetest.CaseUserTagID+"/attachments", ct, body)
	if !wantStatus(t, "upload", r, allowed, http.StatusCreated) {
		return
	}
	aid := gjson.GetBytes(r.body, "attachments.0._id").Str
	if aid == "" || gjson.GetBytes(r.body, "attachments.#").Int() != 1 {
		t.Fatalf("upload answer %s", r.body)
	}
	kase, _ := e.sim.Case(thehivetest.CaseUserTagID)
	if !slices.Contains(kase.Tags, "portal:attachment="+aid) {
		t.Errorf("case tags %v lack the attachment marker of %s", kase.Tags, aid)
	}
	d := c.getJSON("/api/v1/case/" + thehivetest.CaseUserTagID + "/attachment/" + aid + "/download")
	if d.StatusCode != 200 || string(d.body) != "evidence bytes" ||
		!strings.HasPrefix(d.Header.Get("Content-Disposition"), "attachment;") {
		t.Errorf("download of the upload: %d %q %v", d.StatusCode, d.body, d.Header)
	}
}

func checkObservable(t *testing.T, e *env, c *client, allowed bool) {
	r := c.postJSON("/api/v1/case/"+thehivetest.CaseUserTagID+"/observable",
		`{"dataType":"ip","data":["198.51.100.7","198.51.100.8"],"message":"seen in the mail logs"}`)
	if !wantStatus(t, "observable", r, allowed, http.StatusCreated) {
		return
	}
	if gjson.GetBytes(r.body, "#").Int() != 2 || gjson.GetBytes(r.body, "0.createdBy").Str != c.email {
		t.Errorf("observable answer %s", r.body)
	}
	obs, ok := e.sim.Observable(gjson.GetBytes(r.body, "0._id").Str)
	if !ok || !slices.Contains(obs.Tags, "portal:by="+c.email) {
		t.Errorf("observable in TheHive: %+v", obs)
	}
	ct, body := multipartBody(t, map[string]string{"_json": `{"dataType":"file","message":"the attachment"}`},
		"attachment", map[string]string{"sample.bin": "MZ fake"})
	r = c.do("POST", "/api/v1/case/"+thehivetest.CaseUserTagID+"/observable", ct, body)
	if r.StatusCode != http.StatusCreated || gjson.GetBytes(r.body, "0.dataType").Str != "file" {
		t.Errorf("file observable: %d %s", r.StatusCode, r.body)
	}
}

func checkCreateCase(t *testing.T, e *env, c *client, allowed bool) {
	title := "Lost laptop " + c.email
	r := c.postJSON("/api/v1/case", fmt.Sprintf(`{"title":%q,"description":"Stolen at the airport","severity":2}`, title))
	if !wantStatus(t, "create case", r, allowed, http.StatusCreated) {
		return
	}
	id := gjson.GetBytes(r.body, "_id").Str
	kase, ok := e.sim.Case(id)
	if !ok || !slices.Contains(kase.Tags, "portal:user="+c.email) || !slices.Contains(kase.Tags, "portal:created-by="+c.email) {
		t.Fatalf("created case in TheHive: %+v", kase)
	}
	if g := c.getJSON("/api/v1/case/" + id); g.StatusCode != 200 || gjson.GetBytes(g.body, "title").Str != title {
		t.Errorf("the creator cannot read the new case: %d %s", g.StatusCode, g.body)
	}
}
