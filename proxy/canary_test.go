package proxy

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
)

// canaryScan checks texts for every canary of the seeded scenario: the
// CANARY- prefix, and the fixture texts of items that must stay hidden.
type canaryScan struct {
	t       *testing.T
	needles []string
	scanned atomic.Int64
}

func newCanaryScan(t *testing.T) *canaryScan {
	s := &canaryScan{t: t, needles: []string{thehivetest.CanaryPrefix, thehivetest.ServiceKey}}
	for _, c := range thehivetest.Scenario().Canaries {
		if c.Value != "" && !strings.HasPrefix(c.Value, thehivetest.CanaryPrefix) {
			s.needles = append(s.needles, c.Value)
		}
	}
	return s
}

func (s *canaryScan) checkText(where, text string) {
	s.scanned.Add(1)
	for _, n := range s.needles {
		if strings.Contains(text, n) {
			s.t.Errorf("canary %q leaked in %s", n, where)
		}
	}
}

// scanningTransport scans every answer's status line, headers and body.
type scanningTransport struct {
	scan *canaryScan
	next http.RoundTripper
}

func (st *scanningTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := st.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var hdr strings.Builder
	_ = resp.Header.Write(&hdr)
	where := req.Method + " " + req.URL.Path
	st.scan.checkText(where+" (status)", resp.Status)
	st.scan.checkText(where+" (headers)", hdr.String())
	st.scan.checkText(where+" (body)", string(body))
	return resp, nil
}
