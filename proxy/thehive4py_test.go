package proxy

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
)

// fixture reads one of the TheHive fixtures kept by the simulator.
func fixture(t *testing.T, name string) gjson.Result {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "internal", "thehivetest", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return gjson.ParseBytes(b)
}

// sameShape checks that every key of got exists in the fixture object with
// the same JSON type, and that the keys thehive4py reads are present.
func sameShape(t *testing.T, what string, got, fix gjson.Result, required ...string) {
	t.Helper()
	if !got.IsObject() {
		t.Errorf("%s: not an object: %s", what, got.Raw)
		return
	}
	isBool := func(r gjson.Result) bool { return r.Type == gjson.True || r.Type == gjson.False }
	got.ForEach(func(k, v gjson.Result) bool {
		f := fix.Get(gjson.Escape(k.Str))
		if k.Str == "createdBy" && !f.Exists() && v.Type == gjson.String {
			return true // the portal's author field on observables (DESIGN.md)
		}
		if !f.Exists() || (f.Type != v.Type && !(isBool(f) && isBool(v))) {
			t.Errorf("%s: key %q (%s) is not in TheHive's shape (%s)", what, k.Str, v.Type, f.Type)
		}
		return true
	})
	for _, r := range required {
		if !got.Get(r).Exists() {
			t.Errorf("%s: key %q missing", what, r)
		}
	}
}

// TestThehive4pyWire replays the wire requests of thehive4py 2.x
// (thehive-api.md §10) as an external user and checks the answers have the
// shapes thehive4py expects.
func TestThehive4pyWire(t *testing.T) {
	e := newEnv(t)
	c := e.bearer(thehivetest.JaneEmail)
	caseFix := fixture(t, "case.json")
	id := thehivetest.Case42ID

	r := c.getJSON("/api/v1/case/" + id)
	sameShape(t, "case.get", gjson.ParseBytes(r.body), caseFix, "_id", "_type", "number", "title", "description", "severity", "status", "stage", "startDate", "extraData")
	r = c.getJSON("/api/v1/case/42")
	sameShape(t, "case.get by number", gjson.ParseBytes(r.body), caseFix, "_id", "number")

	find := `{"query":[{"_name":"listCase"},{"_name":"filter","_and":[{"_eq":{"_field":"status","_value":"InProgress"}},{"_like":{"_field":"title","_value":"*phish*"}}]},{"_name":"sort","_fields":[{"_createdAt":"desc"}]},{"_name":"page","from":0,"to":10,"extraData":[]}]}`
	r = c.postJSON("/api/v1/query?name=cases", find)
	if got := ids(t, r.body); r.StatusCode != 200 || !slices.Equal(got, []string{thehivetest.Case42ID, thehivetest.CaseAllExternalID}) {
		t.Fatalf("case.find: %d %s", r.StatusCode, r.body)
	}
	sameShape(t, "case.find", gjson.GetBytes(r.body, "0"), caseFix, "_id")
	r = c.postJSON("/api/v1/query?name=cases.count", `{"query":[{"_name":"listCase"},{"_name":"filter","_eq":{"_field":"status","_value":"InProgress"}},{"_name":"count"}]}`)
	if r.StatusCode != 200 || gjson.ParseBytes(r.body).Type != gjson.Number {
		t.Errorf("case.count: %d %s", r.StatusCode, r.body)
	}
	for child, fix := range map[string]string{"comments": "case-comments-query-response.json",
		"attachments": "case-attachments-query-response.json", "observables": "case-observables-query-response.json"} {
		sortBy := "_createdAt"
		if child == "comments" {
			sortBy = "createdAt"
		}
		body := fmt.Sprintf(`{"query":[{"_name":"getCase","idOrName":%q},{"_name":%q},{"_name":"sort","_fields":[{%q:"asc"}]},{"_name":"page","from":0,"to":10,"extraData":[]}],"excludeFields":[]}`, id, child, sortBy)
		r = c.postJSON("/api/v1/query?name=case-"+child, body)
		arr := gjson.ParseBytes(r.body)
		if r.StatusCode != 200 || !arr.IsArray() || len(arr.Array()) == 0 {
			t.Fatalf("find_%s: %d %s", child, r.StatusCode, r.body)
		}
		for _, it := range arr.Array() {
			sameShape(t, "find_"+child, it, fixture(t, fix).Get("0"), "_id", "_type")
		}
	}
	r = c.postJSON("/api/v1/query?name=case-comments", `{"query":[{"_name":"getCase","idOrName":42},{"_name":"comments"}]}`)
	if len(gjson.ParseBytes(r.body).Array()) != 2 {
		t.Errorf("find_comments with an int id: %s", r.body)
	}

	r = c.postJSON("/api/v1/case/"+id+"/comment", `{"message":"Attached the list of affected mailboxes."}`)
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("comment.create_in_case: %d %s", r.StatusCode, r.body)
	}
	sameShape(t, "comment.create_in_case", gjson.ParseBytes(r.body), fixture(t, "comment-created.json"), "_id", "createdBy", "createdAt", "message", "isEdited", "extraData")

	ct, body := multipartBody(t, nil, "attachments", map[string]string{"affected-mailboxes.txt": "alice\nbob\n"})
	r = c.do("POST", "/api/v1/case/"+id+"/attachments", ct, body)
	if r.StatusCode != http.StatusCreated || !gjson.GetBytes(r.body, "attachments").IsArray() {
		t.Fatalf("case.add_attachment: %d %s", r.StatusCode, r.body)
	}
	sameShape(t, "case.add_attachment", gjson.GetBytes(r.body, "attachments.0"), fixture(t, "case-attachments-upload-response.json").Get("attachments.0"), "_id", "name", "size")
	aid := gjson.GetBytes(r.body, "attachments.0._id").Str
	if d := c.getJSON("/api/v1/case/" + id + "/attachment/" + aid + "/download"); d.StatusCode != 200 || string(d.body) != "alice\nbob\n" {
		t.Errorf("case.download_attachment: %d %q", d.StatusCode, d.body)
	}

	r = c.postJSON("/api/v1/case/"+id+"/observable", `{"dataType":"domain","data":"invoice-update.example.com","message":"seen"}`)
	if r.StatusCode != http.StatusCreated || !gjson.ParseBytes(r.body).IsArray() {
		t.Fatalf("case.create_observable: %d %s", r.StatusCode, r.body)
	}
	sameShape(t, "case.create_observable", gjson.GetBytes(r.body, "0"), fixture(t, "case-observables-query-response.json").Get("0"), "_id", "dataType", "data")
	ct, body = multipartBody(t, map[string]string{"_json": `{"dataType":"file","message":"sample"}`}, "attachment", map[string]string{"sample.bin": "MZ"})
	if r = c.do("POST", "/api/v1/case/"+id+"/observable", ct, body); r.StatusCode != http.StatusCreated {
		t.Errorf("create_observable with a file: %d %s", r.StatusCode, r.body)
	}

	r = c.postJSON("/api/v1/case", `{"title":"Suspicious invoice","description":"Received from a new supplier","severity":2}`)
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("case.create: %d %s", r.StatusCode, r.body)
	}
	sameShape(t, "case.create", gjson.ParseBytes(r.body), caseFix, "_id", "number", "title")
	if u := c.getJSON("/api/v1/user/current"); gjson.GetBytes(u.body, "login").Str != thehivetest.JaneEmail {
		t.Errorf("user.get_current: %s", u.body)
	}
}
