package main

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
)

// Benchmark data: the bench user sees benchCases cases among
// benchCases+otherCases; one of them has bigComments comments, half of
// them external.
const (
	benchCases  = 200
	otherCases  = 100
	bigComments = 1000
	otherEmail  = "someone@other-client.example.com"
)

// benchData names what the scenarios read and write.
type benchData struct {
	caseID       string // an ordinary shared case (get one case)
	bigCaseID    string // the case with many comments and the attachment
	uploadCaseID string // the case uploads go to
	attachmentID string // the external attachment downloaded
}

// fixture is what runs in this process: the simulator, the mock IdP, the
// bare proxy, and the bench user's token.
type fixture struct {
	sim     *thehivetest.Sim
	simURL  string
	idp     *mockoidc.MockOIDC
	token   string
	bareURL string
	data    benchData
	servers []*http.Server
}

// startFixture starts the simulator with the benchmark data, the IdP and
// the bare proxy on free loopback ports.
func startFixture(o options) (*fixture, error) {
	fx := &fixture{sim: thehivetest.New(thehivetest.WithDiscardAttachmentContent(), thehivetest.WithRequestLog(1, 0))}
	var err error
	if fx.data, err = seed(fx.sim, int64(o.downloadMB)<<20); err != nil {
		fx.close()
		return nil, err
	}
	if fx.simURL, err = fx.serve(fx.sim); err == nil {
		err = fx.startIdP()
	}
	if err == nil {
		fx.bareURL, err = fx.serve(bareProxy(fx.simURL))
	}
	if err != nil {
		fx.close()
		return nil, err
	}
	return fx, nil
}

// seed adds the benchmark data: benchCases cases shared with the bench
// user (one with bigComments comments, alternately external and internal,
// the internal ones holding canaries), otherCases shared with someone else,
// and an external attachment of size bytes on the big case.
func seed(sim *thehivetest.Sim, size int64) (benchData, error) {
	mine := thehivetest.SeedBulk(sim, thehivetest.Bulk{Cases: benchCases - 1, BigCaseComments: bigComments})
	thehivetest.SeedBulk(sim, thehivetest.Bulk{Cases: otherCases, SharedWith: otherEmail})
	att, err := sim.AddAttachment(mine.BigCaseID, "", "evidence.bin", "application/octet-stream", thehivetest.Filler(size), true)
	if err != nil {
		return benchData{}, fmt.Errorf("seed attachment: %w", err)
	}
	return benchData{caseID: mine.CaseIDs[0], bigCaseID: mine.BigCaseID, uploadCaseID: mine.CaseIDs[1], attachmentID: att.ID}, nil
}

// serve runs h on a free loopback port and returns its base URL.
func (fx *fixture) serve(h http.Handler) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	fx.servers = append(fx.servers, srv)
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), nil
}

// bareProxy is the baseline: a reverse proxy to TheHive that sets the
// service key and does nothing else. Its transport is the one the portal
// uses for TheHive (a clone of the default with 64 idle connections per
// host and a 64 KiB read buffer), so that both keep and read their
// upstream connections alike.
func bareProxy(simURL string) http.Handler {
	u, _ := url.Parse(simURL)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	tr.ReadBufferSize = 64 << 10
	return &httputil.ReverseProxy{
		Transport: tr,
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(u)
			pr.Out.Header.Set("Authorization", "Bearer "+thehivetest.ServiceKey)
		},
	}
}

// startIdP runs mockoidc on a loopback port and mints the bench user's
// RS256 bearer token with its key.
func (fx *fixture) startIdP() error {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	m, err := mockoidc.NewServer(key)
	if err != nil {
		return fmt.Errorf("idp: %w", err)
	}
	kid, err := m.Keypair.KeyID() // cached without a lock: compute before serving
	if err != nil {
		return fmt.Errorf("idp: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("idp: listen: %w", err)
	}
	if err := m.Start(ln, nil); err != nil {
		_ = ln.Close()
		return fmt.Errorf("idp: %w", err)
	}
	fx.idp = m
	now := time.Now()
	fx.token, err = signToken(key, kid, map[string]any{
		"iss": m.Issuer(), "aud": []string{m.ClientID}, "sub": "bench-user",
		"email": thehivetest.BulkEmail, "email_verified": true,
		"iat": now.Unix(), "exp": now.Add(2 * time.Hour).Unix(),
	})
	return err
}

// signToken signs claims as a compact RS256 JWT with key id kid.
func signToken(key *rsa.PrivateKey, kid string, claims map[string]any) (string, error) {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

// close stops the servers, the IdP and the simulator.
func (fx *fixture) close() {
	var errs []error
	for _, s := range fx.servers {
		errs = append(errs, s.Close())
	}
	if fx.idp != nil {
		errs = append(errs, fx.idp.Shutdown())
	}
	fx.sim.Close()
	_ = errors.Join(errs...)
}

// randomHex returns n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
