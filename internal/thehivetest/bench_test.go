package thehivetest

import (
	"bytes"
	"io"
	"net/http"
	"testing"
)

func BenchmarkQueryBigCaseComments(b *testing.B) {
	srv := NewServer(b, WithRequestLog(16, 0))
	res := SeedBulk(srv.Sim, Bulk{BigCaseComments: 1000})
	body := []byte(`{"query":[{"_name":"getCase","idOrName":"` + res.BigCaseID + `"},{"_name":"comments"},` +
		`{"_name":"filter","_eq":{"_field":"external","_value":true}},{"_name":"page","from":0,"to":1000}]}`)
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequest("POST", srv.URL+"/api/v1/query", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+ServiceKey)
		req.Header.Set("Content-Type", "application/json")
		resp, err := srv.Client().Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		b.SetBytes(n)
	}
}

func BenchmarkUpload200MB(b *testing.B) {
	srv := NewServer(b, WithSeed(), WithDiscardAttachmentContent(), WithRequestLog(16, 4096))
	const size = 200 << 20
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		if resp := streamUpload(b, srv, "/api/v1/case/42/attachments", size); resp.StatusCode != 201 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
}
