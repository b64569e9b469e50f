package thehivetest

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

func TestComments(t *testing.T) {
	srv := NewServer(t, WithSeed())
	c := newClient(t, srv, ServiceKey)
	created := obj(t, c.expect(201, "POST", "/api/v1/case/42/comment", map[string]any{"message": "hello", "external": true}))
	assertShape(t, "comment", fixture(t, "comment-created.json"), created)
	if created["createdBy"] != ServiceLogin || created["external"] != true || created["isEdited"] != false {
		t.Fatalf("created: %v", created)
	}
	id := created["_id"].(string)
	c.expect(204, "PATCH", "/api/v1/comment/"+id, map[string]any{"message": "edited", "external": false})
	got, _ := srv.Comment(id)
	if got.Message != "edited" || got.External || !got.IsEdited || got.UpdatedBy != ServiceLogin || got.UpdatedAt == 0 {
		t.Fatalf("after patch: %+v", got)
	}
	internal := obj(t, c.expect(201, "POST", "/api/v1/case/~41001/comment", map[string]any{"message": "internal"}))
	if internal["external"] != false {
		t.Fatalf("default external: %v", internal)
	}
	c.expect(204, "DELETE", "/api/v1/comment/"+id, nil)
	c.expect(404, "DELETE", "/api/v1/comment/"+id, nil)
	c.expect(404, "PATCH", "/api/v1/comment/~1", map[string]any{"message": "x"})
	c.expect(400, "POST", "/api/v1/case/42/comment", map[string]any{"external": true})
	c.expect(400, "POST", "/api/v1/case/42/comment", map[string]any{"message": strings.Repeat("x", maxCommentBytes+1)})
	c.expect(404, "POST", "/api/v1/case/~9/comment", map[string]any{"message": "x"})
	if n := len(srv.Comments("42")); n != 4 {
		t.Fatalf("comments of #42: %d", n)
	}
}

func TestAttachmentUploadDownloadPatchDelete(t *testing.T) {
	srv := NewServer(t, WithSeed())
	c := newClient(t, srv, ServiceKey)
	body := c.upload(201, "/api/v1/case/42/attachments",
		part{"attachments", "a.txt", "text/plain", "hello world"},
		part{"attachments", "b.bin", "", "\x00\x01"},
		part{"canRename", "", "", "true"})
	resp := obj(t, body)
	assertShape(t, "upload", fixture(t, "case-attachments-upload-response.json"), resp)
	atts := resp["attachments"].([]any)
	a := atts[0].(map[string]any)
	sum := sha256.Sum256([]byte("hello world"))
	if len(atts) != 2 || a["id"] != hex.EncodeToString(sum[:]) || a["size"].(float64) != 11 ||
		a["contentType"] != "text/plain" || a["external"] != false || a["name"] != "a.txt" {
		t.Fatalf("upload: %s", body)
	}
	hashes := a["hashes"].([]any)
	if hashes[0] != a["id"] || hashes[1] != "2aae6c35c94fcfb415dbe95f408b9ce91ee846ed" || hashes[2] != "5eb63bbbe01eeed093cb22bb8f5acdc3" {
		t.Fatalf("hashes: %v", hashes)
	}
	if atts[1].(map[string]any)["contentType"] != "application/octet-stream" {
		t.Fatalf("default content type: %v", atts[1])
	}
	aid := a["_id"].(string)
	for _, path := range []string{
		"/api/v1/case/42/attachment/" + aid + "/download", "/api/v1/case/~41001/attachment/" + aid,
		"/api/v1/attachment/" + aid, "/api/v1/attachment/" + aid + "/download", "/api/v1/attachment/" + a["id"].(string),
	} {
		r, got := c.do("GET", path, nil)
		if r.StatusCode != 200 || string(got) != "hello world" || r.Header.Get("Content-Type") != "text/plain" ||
			r.Header.Get("Content-Disposition") != `attachment; filename="a.txt"` || r.Header.Get("Content-Length") != "11" {
			t.Fatalf("%s: %d %q %v", path, r.StatusCode, got, r.Header)
		}
	}
	// canRename gives a clash a new name.
	again := obj(t, c.upload(201, "/api/v1/case/42/attachments", part{"attachments", "a.txt", "text/plain", "x"}, part{"canRename", "", "", "true"}))
	if n := again["attachments"].([]any)[0].(map[string]any)["name"]; n != "a (1).txt" {
		t.Fatalf("renamed: %v", n)
	}
	c.expect(204, "PATCH", "/api/v1/case/42/attachment/"+aid, map[string]any{"external": true})
	if got, _ := srv.Attachment(aid); !got.External || got.UpdatedBy != ServiceLogin {
		t.Fatalf("after patch: %+v", got)
	}
	c.expect(400, "PATCH", "/api/v1/case/42/attachment/"+aid, map[string]any{"external": true, "name": "x"})
	c.expect(404, "PATCH", "/api/v1/case/41/attachment/"+aid, map[string]any{"external": true})
	c.expect(204, "DELETE", "/api/v1/case/42/attachment/"+aid, nil)
	c.expect(404, "GET", "/api/v1/attachment/"+aid, nil)
	c.upload(400, "/api/v1/case/42/attachments", part{"other", "a.txt", "", "x"})
	c.expect(400, "POST", "/api/v1/case/42/attachments", map[string]any{"attachments": "x"})
	c.upload(404, "/api/v1/case/~9/attachments", part{"attachments", "a.txt", "", "x"})
}

func TestAttachmentUploadExternalField(t *testing.T) {
	srv := NewServer(t, WithSeed())
	c := newClient(t, srv, ServiceKey)
	resp := obj(t, c.upload(201, "/api/v1/case/42/attachments", part{"external", "", "", "true"}, part{"attachments", "x.txt", "", "x"}))
	if resp["attachments"].([]any)[0].(map[string]any)["external"] != true {
		t.Fatalf("external: %v", resp)
	}
}

func TestDownloadHeadersAndScope(t *testing.T) {
	srv := NewServer(t, WithSeed())
	c := newClient(t, srv, ServiceKey)
	r, got := c.do("GET", "/api/v1/case/42/attachment/"+Attachment42External+"/download", nil)
	if r.StatusCode != 200 || int64(len(got)) != 20480 || string(got) != string(Filler(20480)) || r.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("fixture attachment download: %d %d %v", r.StatusCode, len(got), r.Header)
	}
	r, _ = c.do("GET", "/api/v1/case/42/attachment/"+Attachment42External, nil, "If-None-Match", `"`+"56f4aebb40ef30e080563c217071fe92488d1d0726ebb171ad0dee3779eed8f1"+`"`)
	if r.StatusCode != 304 {
		t.Fatalf("If-None-Match: %d", r.StatusCode)
	}
	// By default the case route does not check that the attachment is in the case.
	c.expect(200, "GET", "/api/v1/case/41/attachment/"+Attachment42Internal+"/download", nil)
	c.expect(404, "GET", "/api/v1/case/~9/attachment/"+Attachment42Internal+"/download", nil)
	c.expect(404, "GET", "/api/v1/case/42/attachment/~9/download", nil)
	strict := newClient(t, NewServer(t, WithSeed(), WithStrictAttachmentCase()), ServiceKey)
	strict.expect(404, "GET", "/api/v1/case/41/attachment/"+Attachment42Internal+"/download", nil)
	strict.expect(200, "GET", "/api/v1/case/42/attachment/"+Attachment42Internal+"/download", nil)
	strict.expect(404, "GET", "/api/v1/observable/"+Observable42Analyst+"/attachment/"+Attachment42File+"/download", nil)
	strict.expect(200, "GET", "/api/v1/observable/"+Observable42ByJane+"/attachment/"+Attachment42File+"/download", nil)
	strict.expect(200, "GET", "/api/v1/attachment/"+Attachment42Internal, nil)
	if cd := contentDisposition("a\"b\\c\r\né.txt"); cd != `attachment; filename="a\"b\\c_.txt"; filename*=UTF-8''a%22b%5Cc%0D%0A%C3%A9.txt` {
		t.Fatalf("content disposition: %s", cd)
	}
}

func TestObservables(t *testing.T) {
	srv := NewServer(t, WithSeed())
	c := newClient(t, srv, ServiceKey)
	got := decode(t, c.expect(201, "POST", "/api/v1/case/42/observable", map[string]any{
		"dataType": "ip", "data": []string{"10.0.0.1", "10.0.0.2"}, "message": "m", "tags": []string{"t"}, "ioc": true,
	})).([]any)
	want := fixture(t, "case-observables-query-response.json").([]any)
	if len(got) != 2 {
		t.Fatalf("created %d", len(got))
	}
	o := got[0].(map[string]any)
	if o["data"] != "10.0.0.1" || o["tlp"].(float64) != 2 || o["tlpLabel"] != "AMBER" || o["external"] != false || o["_createdBy"] != ServiceLogin {
		t.Fatalf("observable: %v", o)
	}
	assertShape(t, "observable", stripKeys(want[0], "sightedAt", "reports"), stripKeys(o, "reports"))
	// Multipart with _json as a form field, then as a file part, then without _json.
	for _, js := range []part{{"_json", "", "", `{"dataType":"file","message":"upload","external":true}`}, {"_json", "_json", "application/json", `{"dataType":"file","message":"upload"}`}, {}} {
		parts := []part{{"attachment", "evil.exe", "application/x-msdownload", "MZ"}}
		if js.name != "" {
			parts = append(parts, js)
		}
		arr := decode(t, c.upload(201, "/api/v1/case/42/observable", parts...)).([]any)
		f := arr[0].(map[string]any)
		assertShape(t, "file observable", stripKeys(want[1], "message"), stripKeys(f, "message"))
		att := f["attachment"].(map[string]any)
		if f["dataType"] != "file" || att["name"] != "evil.exe" || att["size"].(float64) != 2 {
			t.Fatalf("file observable: %v", f)
		}
		r, body := c.do("GET", "/api/v1/observable/"+f["_id"].(string)+"/attachment/"+att["_id"].(string)+"/download?asZip=false", nil)
		if r.StatusCode != 200 || string(body) != "MZ" {
			t.Fatalf("download: %d %q", r.StatusCode, body)
		}
	}
	id := o["_id"].(string)
	c.expect(200, "GET", "/api/v1/observable/"+id, nil)
	c.expect(204, "PATCH", "/api/v1/observable/"+id, map[string]any{"external": true, "addTags": []string{"portal:by=" + AliceEmail}, "tlp": 3})
	if ob, _ := srv.Observable(id); !ob.External || ob.TLP != 3 || len(ob.Tags) != 2 {
		t.Fatalf("after patch: %+v", ob)
	}
	c.expect(204, "DELETE", "/api/v1/observable/"+id, nil)
	c.expect(404, "GET", "/api/v1/observable/"+id, nil)
	c.expect(400, "POST", "/api/v1/case/42/observable", map[string]any{"dataType": "nope", "data": "x"})
	c.expect(400, "POST", "/api/v1/case/42/observable", map[string]any{"dataType": "ip"})
	c.expect(400, "POST", "/api/v1/case/42/observable", map[string]any{"data": "x"})
	c.upload(400, "/api/v1/case/42/observable", part{"_json", "", "", `{"dataType":`})
}

func TestObservableCopiesFileByHash(t *testing.T) {
	srv := NewServer(t, WithSeed())
	c := newClient(t, srv, ServiceKey)
	hash := "eebcf35392066852e1e8a38c43423975bfdbc39669c3b0789bfd893fbdf10bbf" // internal ~41404
	arr := decode(t, c.expect(201, "POST", "/api/v1/case/42/observable", map[string]any{
		"dataType": "file", "attachment": map[string]any{"name": "copy.txt", "contentType": "text/plain", "id": hash},
	})).([]any)
	att := arr[0].(map[string]any)["attachment"].(map[string]any)
	if att["id"] != hash || att["name"] != "copy.txt" {
		t.Fatalf("copied: %v", att)
	}
	c.expect(404, "POST", "/api/v1/case/42/observable", map[string]any{"dataType": "file", "attachment": map[string]any{"id": "00"}})
}

func stripKeys(v any, drop ...string) map[string]any {
	m := map[string]any{}
	for k, val := range v.(map[string]any) {
		m[k] = val
	}
	for _, k := range drop {
		delete(m, k)
	}
	return m
}

func TestTasksLogsAlerts(t *testing.T) {
	srv := NewServer(t, WithSeed())
	c := newClient(t, srv, ServiceKey)
	task := obj(t, c.expect(201, "POST", "/api/v1/case/42/task", map[string]any{"title": "Check logs", "mandatory": true}))
	if task["_type"] != "Task" || task["status"] != "Waiting" || task["group"] != "default" || task["mandatory"] != true {
		t.Fatalf("task: %v", task)
	}
	tid := task["_id"].(string)
	c.expect(204, "PATCH", "/api/v1/task/"+tid, map[string]any{"status": "InProgress"})
	if got := obj(t, c.expect(200, "GET", "/api/v1/task/"+tid, nil)); got["status"] != "InProgress" || got["startDate"] == nil {
		t.Fatalf("task after patch: %v", got)
	}
	c.expect(400, "PATCH", "/api/v1/task/"+tid, map[string]any{"status": "Bogus"})
	log := obj(t, c.expect(201, "POST", "/api/v1/task/"+tid+"/log", map[string]any{"message": "looked"}))
	if log["_type"] != "Log" || log["owner"] != ServiceLogin || len(log["attachments"].([]any)) != 0 {
		t.Fatalf("log: %v", log)
	}
	mlog := obj(t, c.upload(201, "/api/v1/task/"+tid+"/log", part{"_json", "_json", "application/json", `{"message":"with file"}`},
		part{"attachments", "shot.png", "image/png", "PNG"}))
	att := mlog["attachments"].([]any)[0].(map[string]any)
	c.expect(200, "GET", "/api/v1/log/"+mlog["_id"].(string)+"/attachment/"+att["_id"].(string)+"/download", nil)
	c.expect(204, "PATCH", "/api/v1/log/"+log["_id"].(string), map[string]any{"message": "x"})
	c.expect(204, "DELETE", "/api/v1/log/"+log["_id"].(string), nil)
	c.expect(404, "POST", "/api/v1/task/~9/log", map[string]any{"message": "x"})
	c.expect(204, "DELETE", "/api/v1/task/"+tid, nil)
	c.expect(404, "GET", "/api/v1/task/"+tid, nil)

	alert := obj(t, c.expect(201, "POST", "/api/v1/alert", map[string]any{
		"type": "mail", "source": "gw", "sourceRef": "r1", "title": "t", "description": "d",
	}))
	if alert["_type"] != "Alert" || alert["status"] != "New" || alert["severityLabel"] != "MEDIUM" {
		t.Fatalf("alert: %v", alert)
	}
	c.expect(200, "GET", "/api/v1/alert/"+alert["_id"].(string), nil)
	c.expect(200, "GET", "/api/v1/alert/mail;gw;r1", nil)
	c.expect(400, "POST", "/api/v1/alert", map[string]any{"type": "mail", "source": "gw", "sourceRef": "r1", "title": "t", "description": "d"})
	c.expect(400, "POST", "/api/v1/alert", map[string]any{"type": "mail"})
	cm := obj(t, c.expect(201, "POST", "/api/v1/alert/"+alert["_id"].(string)+"/comment", map[string]any{"message": "on alert"}))
	if cm["_type"] != "Comment" {
		t.Fatalf("alert comment: %v", cm)
	}
	c.expect(404, "GET", "/api/v1/alert/~9", nil)
}
