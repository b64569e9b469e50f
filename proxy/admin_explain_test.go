package proxy

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/explain"
	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
)

// adminExplain serves the admin listener's handler, as serve does.
func adminExplain(t *testing.T, e *env) string {
	t.Helper()
	h := e.srv.AdminHandler()
	if h == nil {
		t.Fatal("no admin handler although admin.listen is set")
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts.URL
}

// withAdmin configures an admin listener.
func withAdmin() envOption { return withYAML("admin:\n  listen: 127.0.0.1:0\n") }

func adminGet(t *testing.T, base string, q url.Values) (int, string, string) {
	t.Helper()
	resp, err := http.Get(base + "/admin/explain?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(body)
}

func TestAdminExplain(t *testing.T) {
	e := newEnv(t, withMemoryStore(), withAdmin())
	base := adminExplain(t, e)
	status, ctype, body := adminGet(t, base, url.Values{"user": {thehivetest.HarrietEmail}, "group": {thehivetest.HRGroup}, "case": {"44"}})
	if status != 200 || !strings.HasPrefix(ctype, "application/json") {
		t.Fatalf("json: %d %s %s", status, ctype, body)
	}
	var r explain.Report
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatal(err)
	}
	sc, _ := thehivetest.Scenario().Case(thehivetest.CaseGroupTagID)
	if !r.Case.Shown || r.Case.Rule != "case.tag:portal:group={group}" || explain.ShownCount(r.Comments) != len(sc.VisibleComments) ||
		len(r.Comments) != len(sc.VisibleComments)+len(sc.HiddenComments) {
		t.Errorf("report: %+v, comments %+v", r.Case, r.Comments)
	}
	status, ctype, body = adminGet(t, base, url.Values{"user": {thehivetest.MalloryEmail}, "case": {thehivetest.CaseGroupTagID}, "format": {"text"}})
	if status != 200 || !strings.HasPrefix(ctype, "text/plain") || !strings.Contains(body, "Case:     HIDDEN") {
		t.Errorf("text: %d %s\n%s", status, ctype, body)
	}
}

func TestAdminExplainRefusals(t *testing.T) {
	e := newEnv(t, withMemoryStore(), withAdmin())
	base := adminExplain(t, e)
	for _, tc := range []struct {
		q    url.Values
		want int
	}{
		{url.Values{"case": {"42"}}, 400},
		{url.Values{"user": {"jo"}, "case": {"42"}}, 400},
		{url.Values{"user": {thehivetest.JaneEmail}, "case": {"#42"}}, 400},
		{url.Values{"user": {thehivetest.JaneEmail}, "case": {"42", "41"}}, 400},
		{url.Values{"user": {thehivetest.JaneEmail}, "case": {"42"}, "format": {"xml"}}, 400},
		{url.Values{"user": {thehivetest.JaneEmail}, "case": {"42"}, "extra": {"1"}}, 400},
		{url.Values{"user": {thehivetest.JaneEmail}, "case": {"999"}}, 404},
	} {
		if status, _, body := adminGet(t, base, tc.q); status != tc.want || !strings.Contains(body, `"type"`) {
			t.Errorf("%v: %d %s, want %d", tc.q, status, body, tc.want)
		}
	}
	// Never on the public listener.
	resp, err := http.Get(e.url + "/admin/explain?user=" + url.QueryEscape(thehivetest.JaneEmail) + "&case=42")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("public listener answered /admin/explain with %d", resp.StatusCode)
	}
}

func TestExplainerAgainstSimulator(t *testing.T) {
	sim := thehivetest.NewServer(t, thehivetest.WithSeed())
	vars := map[string]string{
		"PORTAL_PUBLIC_URL": "https://portal.example.com", "PORTAL_UPSTREAM_URL": sim.URL,
		"PORTAL_UPSTREAM_API_KEY": thehivetest.ServiceKey, "PORTAL_OIDC_ISSUER": "https://sso.example.com",
		"PORTAL_OIDC_CLIENT_ID": "portal", "PORTAL_OIDC_CLIENT_SECRET": "secret",
		"PORTAL_SESSION_SECRET": strings.Repeat("s", 32),
	}
	cfg, err := config.Load(strings.NewReader(""), func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	x, err := NewExplainer(cfg, nil, "test")
	if err != nil {
		t.Fatal(err)
	}
	r, err := x.Explain(t.Context(), explain.Viewer{Email: thehivetest.JaneEmail}, thehivetest.Case42ID)
	if err != nil {
		t.Fatal(err)
	}
	// The configuration names no service login: it was read from TheHive.
	if !r.Case.Shown || len(r.Comments) != 3 || x.serviceLogin != thehivetest.ServiceLogin {
		t.Errorf("report %+v, login %q", r.Case, x.serviceLogin)
	}
	sim.SetPathStatus("/api/v1/query", http.StatusInternalServerError)
	if _, err := x.Explain(t.Context(), explain.Viewer{Email: thehivetest.JaneEmail}, "42"); err == nil {
		t.Error("an upstream failure gave a report")
	}
}
