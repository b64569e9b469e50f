package thehivetest

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"runtime"
	"testing"
)

// streamUpload sends size bytes as one `attachments` part, generated while sent.
func streamUpload(tb testing.TB, srv *Server, path string, size int64) *http.Response {
	tb.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		w, err := mw.CreateFormFile("attachments", "big.bin")
		if err == nil {
			_, err = io.CopyN(w, fillerReader{}, size)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequest("POST", srv.URL+path, pr)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+ServiceKey)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := srv.Client().Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp
}

func TestDiscardedUploadDoesNotBuffer(t *testing.T) {
	srv := NewServer(t, WithSeed(), WithDiscardAttachmentContent(), WithRequestLog(10, 4096))
	const size = 64 << 20
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	resp := streamUpload(t, srv, "/api/v1/case/42/attachments", size)
	runtime.ReadMemStats(&after)
	if resp.StatusCode != 201 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > size/4 {
		t.Fatalf("a %d MiB upload allocated %d MiB", size>>20, alloc>>20)
	}
	atts := srv.Attachments("42")
	a := atts[len(atts)-1]
	if a.Size != size || a.HashID == "" {
		t.Fatalf("attachment: %+v", a)
	}
	if _, stored := srv.AttachmentContent(a.ID); stored {
		t.Fatal("content stored despite WithDiscardAttachmentContent")
	}
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/attachment/"+a.ID+"/download", nil)
	req.Header.Set("Authorization", "Bearer "+ServiceKey)
	r, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	n, _ := io.Copy(io.Discard, r.Body)
	if n != size || r.Header.Get("Content-Length") != itoa(size) {
		t.Fatalf("filler download: %d bytes, Content-Length %s", n, r.Header.Get("Content-Length"))
	}
	if rec := srv.Requests(); len(rec[len(rec)-2].Body) != 4096 || !rec[len(rec)-2].BodyTruncated {
		t.Fatal("recorded upload body not capped")
	}
}

func TestStoredUploadKeepsContent(t *testing.T) {
	srv := NewServer(t, WithSeed())
	resp := streamUpload(t, srv, "/api/v1/case/42/attachments", 100000)
	if resp.StatusCode != 201 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	atts := srv.Attachments("42")
	content, ok := srv.AttachmentContent(atts[len(atts)-1].ID)
	if !ok || !bytes.Equal(content, Filler(100000)) {
		t.Fatalf("stored %d bytes", len(content))
	}
}

func TestUploadLimit(t *testing.T) {
	srv := NewServer(t, WithSeed(), WithMaxUploadBytes(1<<20), WithMaxJSONBytes(1024))
	if resp := streamUpload(t, srv, "/api/v1/case/42/attachments", 2<<20); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d", resp.StatusCode)
	}
	c := newClient(t, srv, ServiceKey)
	body := obj(t, c.expect(413, "POST", "/api/v1/case/42/comment", m{"message": string(Filler(2000))}))
	if body["type"] != "Unknown" {
		t.Fatalf("413 body %v", body)
	}
	c.upload(413, "/api/v1/case/42/observable", part{"_json", "", "", string(Filler(2000))})
	if n := len(srv.Attachments("42")); n != 2 {
		t.Fatalf("%d attachments after refused uploads", n)
	}
}
