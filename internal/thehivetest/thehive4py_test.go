package thehivetest

import (
	"reflect"
	"testing"
)

// assertSubShape checks that every key of got exists in want with a value of the same
// JSON type, and that every required key is present.
func assertSubShape(tb testing.TB, path string, want, got map[string]any, required ...string) {
	tb.Helper()
	for k, gv := range got {
		wv, ok := want[k]
		if !ok {
			tb.Fatalf("%s: unexpected key %q", path, k)
		}
		if wv != nil && gv != nil && reflect.TypeOf(wv) != reflect.TypeOf(gv) {
			tb.Fatalf("%s.%s: got %T, want %T", path, k, gv, wv)
		}
	}
	for _, k := range required {
		if _, ok := got[k]; !ok {
			tb.Fatalf("%s: missing key %q", path, k)
		}
	}
}

var requiredCaseKeys = []string{"_id", "_type", "_createdBy", "_createdAt", "number", "title", "description", "severity",
	"severityLabel", "startDate", "flag", "tlp", "tlpLabel", "pap", "papLabel", "status", "stage", "access",
	"customFields", "userPermissions", "extraData", "newDate", "timeToDetect"}

// TestThehive4pyWireRequests replays the HTTP requests thehive4py 2.0.3 sends
// (thehive-api.md §10) and checks the responses against the fixture shapes.
func TestThehive4pyWireRequests(t *testing.T) {
	srv := NewServer(t, WithSeed())
	c := newClient(t, srv, ServiceKey)
	c.ua = "thehive4py/2.0.3"
	caseFixture := fixture(t, "case.json").(map[string]any)
	allCaseKeys := stripKeys(caseFixture) // plus the optional keys of the closed case #41
	for k, v := range fixture(t, "cases-query-response.json").([]any)[1].(map[string]any) {
		allCaseKeys[k] = v
	}

	cid := replayCases(t, c, caseFixture, allCaseKeys)

	// find_comments / find_attachments / find_observables
	for chain, file := range map[string]string{"comments": "case-comments-query-response.json",
		"attachments": "case-attachments-query-response.json", "observables": "case-observables-query-response.json"} {
		body := c.expect(200, "POST", "/api/v1/query?name=case-"+chain, m{"query": []any{m{"_name": "getCase", "idOrName": "~41001"}, m{"_name": chain}}})
		assertEqualJSON(t, chain, fixture(t, file), decode(t, body))
	}

	replayAttachments(t, c)
	replayObservables(t, c)
	replayComments(t, c)
	replayTasks(t, c)

	// hive.query.run(query, exclude_fields=[…])
	raw := decode(t, c.expect(200, "POST", "/api/v1/query", m{"query": []any{m{"_name": "getCase", "idOrName": "~41001"}},
		"excludeFields": []string{"description", "summary"}})).([]any)
	if _, has := raw[0].(map[string]any)["description"]; has {
		t.Fatal("excludeFields ignored")
	}
	// hive.case.delete
	c.expect(204, "DELETE", "/api/v1/case/"+cid, nil)

	for _, r := range srv.Requests() {
		if r.Header.Get("User-Agent") != "thehive4py/2.0.3" || r.Header.Get("Authorization") != "Bearer "+ServiceKey {
			t.Fatalf("recorded request %s %s lacks thehive4py headers", r.Method, r.Path)
		}
	}
}

// replayCases replays case get/create/update/find/count and returns the new case id.
func replayCases(t *testing.T, c *apiClient, caseFixture, allCaseKeys map[string]any) string {
	t.Helper()
	// hive.case.get
	assertEqualJSON(t, "case.get(~id)", caseFixture, decode(t, c.expect(200, "GET", "/api/v1/case/~41001", nil)))
	assertEqualJSON(t, "case.get(42)", caseFixture, decode(t, c.expect(200, "GET", "/api/v1/case/42", nil)))
	// hive.case.create / update / close
	created := obj(t, c.expect(201, "POST", "/api/v1/case", m{"title": "thehive4py phishing case", "description": "created by thehive4py"}))
	assertSubShape(t, "case.create", allCaseKeys, created, requiredCaseKeys...)
	cid := created["_id"].(string)
	if body := c.expect(204, "PATCH", "/api/v1/case/"+cid, m{"status": "InProgress", "tags": []string{"phishing"}}); len(body) != 0 {
		t.Fatalf("update body %q", body)
	}
	c.expect(204, "PATCH", "/api/v1/case/"+cid, m{"status": "TruePositive", "impactStatus": "NotApplicable", "summary": "closed"})

	// hive.case.find with the example wire body, then count
	found, _ := c.query(200,
		m{"_name": "listCase"},
		m{"_name": "filter", "_and": []any{m{"_eq": m{"_field": "status", "_value": "InProgress"}}, m{"_like": m{"_field": "title", "_value": "*phish*"}}}},
		m{"_name": "sort", "_fields": []any{m{"_createdAt": "desc"}}},
		m{"_name": "page", "from": 0, "to": 10, "extraData": []any{}})
	if got := ids(t, found); len(got) != 2 || got[0] != CaseAllExternalID || got[1] != Case42ID {
		t.Fatalf("find: %v", got)
	}
	for _, o := range found.([]any) {
		assertSubShape(t, "case.find", allCaseKeys, o.(map[string]any), requiredCaseKeys...)
	}
	n, _ := c.query(200, m{"_name": "listCase"}, m{"_name": "filter", "_eq": m{"_field": "status", "_value": "InProgress"}}, m{"_name": "count"})
	if _, ok := n.(float64); !ok {
		t.Fatalf("count: %v", n)
	}
	return cid
}

func replayAttachments(t *testing.T, c *apiClient) {
	t.Helper()
	// hive.case.add_attachment: one part "attachments" per file, mimetype guessed
	body := c.upload(201, "/api/v1/case/~41001/attachments", part{"attachments", "affected-mailboxes.txt", "text/plain", "mailbox list\n"})
	up := obj(t, body)
	assertShape(t, "add_attachment", fixture(t, "case-attachments-upload-response.json"), up)
	att := up["attachments"].([]any)[0].(map[string]any)
	// hive.case.download_attachment and hive.organisation.download_attachment
	for _, path := range []string{"/api/v1/case/~41001/attachment/" + att["_id"].(string) + "/download", "/api/v1/attachment/" + att["_id"].(string) + "/download"} {
		if got := c.expect(200, "GET", path, nil); string(got) != "mailbox list\n" {
			t.Fatalf("download %s: %q", path, got)
		}
	}
	// hive.case.delete_attachment
	c.expect(204, "DELETE", "/api/v1/case/~41001/attachment/"+att["_id"].(string), nil)
}

func replayObservables(t *testing.T, c *apiClient) {
	t.Helper()
	want := fixture(t, "case-observables-query-response.json").([]any)
	arr := decode(t, c.expect(201, "POST", "/api/v1/case/~41001/observable", m{"dataType": "domain", "data": "bad.example.net", "ioc": true})).([]any)
	assertSubShape(t, "create_observable", want[0].(map[string]any), arr[0].(map[string]any), "_id", "_type", "dataType", "data", "reports", "external")
	body := c.upload(201, "/api/v1/case/~41001/observable",
		part{"_json", "", "", `{"dataType":"file","message":"sample from thehive4py"}`},
		part{"attachment", "sample.bin", "application/octet-stream", "binary"})
	arr = decode(t, body).([]any)
	assertShape(t, "create_observable(file)", want[1], arr[0])
	o := arr[0].(map[string]any)
	assertEqualJSON(t, "observable.get", o, decode(t, c.expect(200, "GET", "/api/v1/observable/"+o["_id"].(string), nil)))
	aid := o["attachment"].(map[string]any)["_id"].(string)
	if got := c.expect(200, "GET", "/api/v1/observable/"+o["_id"].(string)+"/attachment/"+aid+"/download?asZip=False", nil); string(got) != "binary" {
		t.Fatalf("observable download %q", got)
	}
}

func replayComments(t *testing.T, c *apiClient) {
	t.Helper()
	created := obj(t, c.expect(201, "POST", "/api/v1/case/~41001/comment", m{"message": "Attached the list of affected mailboxes."}))
	assertShape(t, "comment.create_in_case", fixture(t, "comment-created.json"), created)
	id := created["_id"].(string)
	c.expect(204, "PATCH", "/api/v1/comment/"+id, m{"message": "Updated text"})
	got, _ := c.query(200, m{"_name": "getComment", "idOrName": id})
	arr := got.([]any)
	if len(arr) != 1 || arr[0].(map[string]any)["message"] != "Updated text" || arr[0].(map[string]any)["isEdited"] != true {
		t.Fatalf("comment.get: %v", got)
	}
	c.expect(204, "DELETE", "/api/v1/comment/"+id, nil)
	if got, _ = c.query(200, m{"_name": "getComment", "idOrName": id}); len(got.([]any)) != 0 {
		t.Fatalf("deleted comment still found: %v", got)
	}
}

func replayTasks(t *testing.T, c *apiClient) {
	t.Helper()
	task := obj(t, c.expect(201, "POST", "/api/v1/case/~41001/task", m{"title": "Reset passwords", "group": "remediation"}))
	for _, k := range []string{"_id", "_type", "_createdBy", "_createdAt", "title", "group", "status", "flag", "order", "mandatory", "extraData"} {
		if _, ok := task[k]; !ok {
			t.Fatalf("task lacks %s: %v", k, task)
		}
	}
	log := obj(t, c.expect(201, "POST", "/api/v1/task/"+task["_id"].(string)+"/log", m{"message": "Done for 2 users"}))
	for _, k := range []string{"_id", "_type", "_createdBy", "_createdAt", "message", "date", "attachments", "owner", "extraData"} {
		if _, ok := log[k]; !ok {
			t.Fatalf("log lacks %s: %v", k, log)
		}
	}
	// hive.task.find_logs
	got, _ := c.query(200, m{"_name": "getTask", "idOrName": task["_id"]}, m{"_name": "logs"})
	if ids(t, got)[0] != log["_id"] {
		t.Fatalf("find_logs: %v", got)
	}
}
