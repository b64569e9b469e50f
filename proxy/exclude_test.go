package proxy

import (
	"slices"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
)

// TestListsLeaveUnreadFieldsInTheHive: every list query the portal sends
// asks TheHive to leave out the fields neither the filter nor the policy
// reads (so hidden fields such as assignee or userPermissions never reach
// the portal), never one that it shows or decides on, and the answers
// still hold every shown field.
func TestListsLeaveUnreadFieldsInTheHive(t *testing.T) {
	e := newEnv(t, withMemoryStore())
	alice := e.bearer(thehivetest.AliceEmail)
	e.sim.ResetRequests()
	r := alice.postJSON("/api/v1/query", `{"query":[{"_name":"listCase"}]}`)
	if r.StatusCode != 200 || !gjson.GetBytes(r.body, "0.title").Exists() || !gjson.GetBytes(r.body, "0.tags").Exists() {
		t.Fatalf("list: %d %s", r.StatusCode, r.body)
	}
	r = alice.postJSON("/api/v1/query", `{"query":[{"_name":"getCase","idOrName":"`+thehivetest.CaseUserTagID+`"},{"_name":"comments"}]}`)
	if r.StatusCode != 200 || !gjson.GetBytes(r.body, "0.message").Exists() {
		t.Fatalf("comments: %d %s", r.StatusCode, r.body)
	}
	cfg := e.srv.cfg
	kept := map[string][]string{
		"listCase": append(cfg.View.Fields.Case, "tags", "access"),
		"comments": append(cfg.View.Fields.Comment, "createdBy", "message", "external"),
	}
	want := map[string][]string{"listCase": {"assignee", "userPermissions", "summary"}, "comments": {"updatedBy"}}
	if len(cfg.View.CaseCustomFields) == 0 { // no custom field is shown
		want["listCase"] = append(want["listCase"], "customFields")
	}
	seen := 0
	for _, req := range e.sim.Requests() {
		if req.Path != "/api/v1/query" {
			continue
		}
		name := ""
		for _, op := range gjson.GetBytes(req.Body, "query.#._name").Array() {
			if kept[op.Str] != nil {
				name = op.Str
			}
		}
		if name == "" {
			continue
		}
		seen++
		var excluded []string
		for _, f := range gjson.GetBytes(req.Body, "excludeFields").Array() {
			excluded = append(excluded, f.Str)
		}
		for _, f := range kept[name] {
			if slices.Contains(excluded, f) {
				t.Errorf("%s: excludes %s, which the portal reads", name, f)
			}
		}
		for _, f := range want[name] {
			if !slices.Contains(excluded, f) {
				t.Errorf("%s: does not exclude %s (excludes %s)", name, f, strings.Join(excluded, ","))
			}
		}
	}
	if seen < 2 {
		t.Errorf("saw %d list queries", seen)
	}
	if got := e.srv.exclude[config.KindCase]; slices.Contains(got, "_id") || slices.Contains(got, "title") {
		t.Errorf("case excludes %v", got)
	}
}
