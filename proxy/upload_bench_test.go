package proxy

import (
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/internal/oidctest"
	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
	"github.com/thehive-portal/thehive-portal/proxy/auth"
)

// BenchmarkUpload sends attachments of growing size through the portal to
// the simulator (which keeps only hashes). Streaming shows in B/op: the
// bytes allocated per upload stay flat while the file grows 16-fold.
//
//	go test -run '^$' -bench Upload -benchmem ./proxy
func BenchmarkUpload(b *testing.B) {
	sim := thehivetest.NewServer(b, thehivetest.WithSeed(), thehivetest.WithDiscardAttachmentContent(),
		thehivetest.WithRequestLog(1, 0))
	idp := oidctest.Start(b)
	portal := httptest.NewUnstartedServer(nil)
	vars := map[string]string{
		"PORTAL_PUBLIC_URL": "http://" + portal.Listener.Addr().String(), "PORTAL_UPSTREAM_URL": sim.URL,
		"PORTAL_UPSTREAM_API_KEY": thehivetest.ServiceKey, "PORTAL_OIDC_ISSUER": idp.Issuer(),
		"PORTAL_OIDC_CLIENT_ID": idp.ClientID, "PORTAL_OIDC_CLIENT_SECRET": idp.ClientSecret,
		"PORTAL_SESSION_SECRET": strings.Repeat("s", 32),
	}
	cfg, err := config.Load(strings.NewReader("limits:\n  max_upload_bytes: 1GiB\n  requests_per_minute: 1000000\n"),
		func(k string) string { return vars[k] })
	if err != nil {
		b.Fatal(err)
	}
	a, err := auth.New(context.Background(), cfg, &http.Client{Timeout: 5 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	srv, err := New(cfg, Deps{Auth: a})
	if err != nil {
		b.Fatal(err)
	}
	if err := srv.Init(context.Background()); err != nil {
		b.Fatal(err)
	}
	portal.Config.Handler = srv.Handler()
	portal.Start()
	b.Cleanup(portal.Close)
	token := idp.Token(b, oidctest.Claims{Email: thehivetest.AliceEmail, EmailVerified: true})
	for _, size := range []int64{8 << 20, 128 << 20} {
		b.Run(fmt.Sprintf("%dMiB", size>>20), func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				upload(b, portal.URL, token, size)
			}
		})
	}
}

// upload streams one generated file of size bytes as a multipart body.
func upload(b *testing.B, base, token string, size int64) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		w, _ := mw.CreateFormFile("attachments", "big.bin")
		_, err := io.Copy(w, io.LimitReader(zeros{}, size))
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, _ := http.NewRequest("POST", base+"/api/v1/case/"+thehivetest.CaseUserTagID+"/attachments", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		b.Fatalf("upload: %d", resp.StatusCode)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
