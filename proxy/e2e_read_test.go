package proxy

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
)

// profilesYAML maps SSO groups to the three profiles; no group: reader.
const profilesYAML = `
profiles:
  default: reader
  definitions:
    contributor: {writes: [comment, attachment, observable], groups: [contributors]}
    reporter: {writes: [comment, attachment, observable, case], groups: [reporters]}
`

// viewers are the ways a user reaches the portal, for every profile.
func viewers(e *env, email string, extraGroups ...string) map[string]*client {
	out := map[string]*client{}
	for _, p := range []struct{ name, group string }{{"reader", ""}, {"contributor", "contributors"}, {"reporter", "reporters"}} {
		groups := append([]string{}, extraGroups...)
		if p.group != "" {
			groups = append(groups, p.group)
		}
		out[p.name+"/bearer"] = e.bearer(email, groups...)
		out[p.name+"/browser"] = e.browser(email, groups...)
	}
	return out
}

// TestReadsForEveryProfileAndMode checks every read capability of
// DESIGN.md for every seeded persona, profile and way in, against what the
// seeded scenario says each may see.
func TestReadsForEveryProfileAndMode(t *testing.T) {
	e := newEnv(t, withYAML(profilesYAML))
	scenario := thehivetest.Scenario()
	for _, p := range scenario.Personas {
		for name, c := range viewers(e, p.Email, p.Groups...) {
			t.Run(p.Email+"/"+name, func(t *testing.T) {
				checkUser(t, c, name)
				checkCaseList(t, c, scenario)
				for _, sc := range scenario.Cases {
					checkCase(t, c, sc)
				}
			})
		}
	}
	if e.scan.scanned.Load() < 500 {
		t.Errorf("only %d texts scanned for canaries", e.scan.scanned.Load())
	}
}

func checkUser(t *testing.T, c *client, name string) {
	r := c.getJSON("/api/v1/user/current")
	wantProfile, _, _ := strings.Cut(name, "/")
	if r.StatusCode != 200 || gjson.GetBytes(r.body, "login").Str != c.email || gjson.GetBytes(r.body, "type").Str != "External" ||
		gjson.GetBytes(r.body, "profile").Str != wantProfile {
		t.Errorf("user/current = %d %s, want %s as %s", r.StatusCode, r.body, c.email, wantProfile)
	}
}

// visibleCases lists the seeded cases the email may see.
func visibleCases(s thehivetest.Seeded, email string) []string {
	var out []string
	for _, sc := range s.Cases {
		if slices.Contains(sc.VisibleTo, email) {
			out = append(out, sc.ID)
		}
	}
	sort.Strings(out)
	return out
}

func ids(t *testing.T, body []byte) []string {
	t.Helper()
	if !gjson.ValidBytes(body) || !gjson.ParseBytes(body).IsArray() {
		t.Fatalf("not a JSON array: %s", body)
	}
	var out []string
	gjson.ParseBytes(body).ForEach(func(_, v gjson.Result) bool {
		out = append(out, v.Get("_id").Str)
		return true
	})
	sort.Strings(out)
	return out
}

func checkCaseList(t *testing.T, c *client, s thehivetest.Seeded) {
	want := visibleCases(s, c.email)
	r := c.postJSON("/api/v1/query?name=cases", `{"query":[{"_name":"listCase"},{"_name":"page","from":0,"to":100,"extraData":["total"]}]}`)
	if got := ids(t, r.body); r.StatusCode != 200 || !slices.Equal(got, want) {
		t.Errorf("listCase = %d %v, want %v", r.StatusCode, got, want)
	}
	if r.Header.Get("X-Total") != strconv.Itoa(len(want)) {
		t.Errorf("X-Total = %q, want %d", r.Header.Get("X-Total"), len(want))
	}
	r = c.postJSON("/api/v1/query?name=cases.count", `{"query":[{"_name":"listCase"},{"_name":"count"}]}`)
	if string(r.body) != strconv.Itoa(len(want)) {
		t.Errorf("count = %s, want %d", r.body, len(want))
	}
}

// checkCase checks one seeded case: visible with exactly its visible
// children, or the uniform 404.
func checkCase(t *testing.T, c *client, sc thehivetest.SeededCase) {
	r := c.getJSON("/api/v1/case/" + sc.ID)
	byNumber := c.getJSON("/api/v1/case/" + strconv.Itoa(sc.Number))
	if !slices.Contains(sc.VisibleTo, c.email) {
		checkUniform404(t, r, sc.ID)
		checkUniform404(t, byNumber, strconv.Itoa(sc.Number))
		for _, child := range []string{"comments", "attachments", "observables"} {
			q := fmt.Sprintf(`{"query":[{"_name":"getCase","idOrName":%q},{"_name":%q}]}`, sc.ID, child)
			if r := c.postJSON("/api/v1/query", q); r.StatusCode != 200 || string(r.body) != "[]" {
				t.Errorf("%s of hidden case %s: %d %s", child, sc.ID, r.StatusCode, r.body)
			}
		}
		return
	}
	if r.StatusCode != 200 || gjson.GetBytes(r.body, "_id").Str != sc.ID || byNumber.StatusCode != 200 {
		t.Errorf("case %s: %d %s / by number %d", sc.ID, r.StatusCode, r.body, byNumber.StatusCode)
	}
	checkChildren(t, c, sc.ID, "comments", sc.VisibleComments)
	checkChildren(t, c, sc.ID, "attachments", sc.VisibleAttachments)
	checkChildren(t, c, sc.ID, "observables", sc.VisibleObservables)
	for _, a := range sc.VisibleAttachments {
		d := c.getJSON("/api/v1/case/" + sc.ID + "/attachment/" + a + "/download")
		if d.StatusCode != 200 || d.Header.Get("Content-Type") != "application/octet-stream" ||
			d.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("download %s/%s: %d %v", sc.ID, a, d.StatusCode, d.Header)
		}
	}
	for _, a := range sc.HiddenAttachments {
		if d := c.getJSON("/api/v1/case/" + sc.ID + "/attachment/" + a + "/download"); d.StatusCode != 404 {
			t.Errorf("download of hidden %s/%s: %d", sc.ID, a, d.StatusCode)
		}
	}
}

func checkChildren(t *testing.T, c *client, caseID, child string, want []string) {
	q := fmt.Sprintf(`{"query":[{"_name":"getCase","idOrName":%q},{"_name":%q}]}`, caseID, child)
	r := c.postJSON("/api/v1/query?name=case-"+child, q)
	w := append([]string{}, want...)
	sort.Strings(w)
	if got := ids(t, r.body); r.StatusCode != 200 || !slices.Equal(got, w) {
		t.Errorf("%s of %s = %d %v, want %v", child, caseID, r.StatusCode, got, w)
	}
}

// uniform404 is the one answer for a missing or hidden case.
const uniform404 = `{"type":"NotFoundError","message":"Case not found"}`

func checkUniform404(t *testing.T, r *response, id string) {
	t.Helper()
	var got, want any
	_ = json.Unmarshal(r.body, &got)
	_ = json.Unmarshal([]byte(uniform404), &want)
	if r.StatusCode != http.StatusNotFound || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("case %s: want the uniform 404, got %d %s", id, r.StatusCode, r.body)
	}
}

// TestTooManyItemsIsTheClientsToNarrow: a list whose answer holds more
// items than limits.max_list_items is a 400 asking for a filter, never a
// partial list; with a filter under the bound it answers.
func TestTooManyItemsIsTheClientsToNarrow(t *testing.T) {
	e := newEnv(t, withMemoryStore(), withYAML("limits:\n  max_list_items: 1\n"))
	alice := e.bearer(thehivetest.AliceEmail)
	r := alice.postJSON("/api/v1/query", `{"query":[{"_name":"listCase"}]}`)
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(string(r.body), "Too many results") {
		t.Errorf("list over the bound: %d %s", r.StatusCode, r.body)
	}
	r = alice.postJSON("/api/v1/query", `{"query":[{"_name":"listCase"},{"_name":"filter","_id":"`+thehivetest.CaseDomainTagID+`"}]}`)
	if r.StatusCode != http.StatusOK || !strings.Contains(string(r.body), thehivetest.CaseDomainTagID) {
		t.Errorf("narrowed list: %d %s", r.StatusCode, r.body)
	}
}
