package thehivetest

import (
	"net/http"
	"testing"
)

func TestCaseGetByIDNumberAndEncodedID(t *testing.T) {
	srv := NewServer(t, WithSeed())
	c := newClient(t, srv, ServiceKey)
	want := fixture(t, "case.json")
	for _, path := range []string{"/api/v1/case/~41001", "/api/v1/case/42", "/api/v1/case/%7E41001"} {
		got := decode(t, c.expect(200, "GET", path, nil))
		assertEqualJSON(t, path, want, got)
	}
	for _, path := range []string{"/api/v1/case/~1", "/api/v1/case/9999", "/api/v1/case/042", "/api/v1/case/abc"} {
		body := obj(t, c.expect(404, "GET", path, nil))
		if body["type"] != "NotFoundError" || body["message"] != "Case not found" {
			t.Fatalf("%s: %v", path, body)
		}
	}
}

func TestAuthFailures(t *testing.T) {
	srv := NewServer(t)
	want := fixture(t, "error-401.json")
	cases := []struct {
		name string
		hdr  []string
	}{
		{"no header", nil},
		{"unknown key", []string{"Authorization", "Bearer nope"}},
		{"lower-case bearer", []string{"Authorization", "bearer " + ServiceKey}},
		{"basic", []string{"Authorization", "Basic cG9ydGFsOng="}},
		{"empty key", []string{"Authorization", "Bearer "}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := newClient(t, srv, "").do("GET", "/api/v1/user/current", nil, tc.hdr...)
			if resp.StatusCode != 401 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			assertEqualJSON(t, "401 body", want, decode(t, body))
		})
	}
	c := newClient(t, srv, ServiceKey)
	c.expect(200, "GET", "/api/v1/user/current", nil, "X-Organisation", OrgName)
	c.expect(200, "GET", "/api/v1/user/current", nil, "X-Organisation", OrgID)
	body := obj(t, c.expect(403, "GET", "/api/v1/user/current", nil, "X-Organisation", "other-org"))
	if body["type"] != "AuthorizationError" {
		t.Fatalf("wrong org: %v", body)
	}
	// Routing comes before authentication: unknown routes are 404 without a key.
	body = obj(t, newClient(t, srv, "").expect(404, "GET", "/api/v1/nope", nil))
	if body["type"] != "NotFoundError" || body["message"] != "/api/v1/nope" {
		t.Fatalf("unknown route: %v", body)
	}
}

func TestUnknownRoutesAndOddPaths(t *testing.T) {
	srv := NewServer(t, WithSeed())
	c := newClient(t, srv, ServiceKey)
	for _, tc := range []struct{ method, path string }{
		{"GET", "/api/v1/case/~41001/"}, {"GET", "/api/v1//case/~41001"}, {"GET", "/api/v1/case/../case/~41001"},
		{"PUT", "/api/v1/case/~41001"}, {"GET", "/api/v1/comment/~41210"}, {"GET", "/api/v1/log/~41610"},
		{"GET", "/api/case/~41001"}, {"GET", "/"}, {"POST", "/api/v1/case/~41001/export"},
	} {
		resp, body := c.do(tc.method, tc.path, nil)
		if resp.StatusCode != 404 || obj(t, body)["type"] != "NotFoundError" {
			t.Errorf("%s %s: %d %s", tc.method, tc.path, resp.StatusCode, body)
		}
	}
	st := obj(t, newClient(t, srv, "").expect(200, "GET", "/api/v1/status", nil))
	if st["versions"] == nil {
		t.Fatalf("status: %v", st)
	}
	u := obj(t, c.expect(200, "GET", "/api/v1/user/current", nil))
	if u["login"] != ServiceLogin || u["organisation"] != OrgName || u["_type"] != "User" {
		t.Fatalf("user: %v", u)
	}
}

func TestCaseCreateUpdateDelete(t *testing.T) {
	srv := NewServer(t, WithSeed())
	c := newClient(t, srv, AnalystKey)
	created := obj(t, c.expect(201, "POST", "/api/v1/case", map[string]any{
		"title": "New case", "description": "d", "tags": []string{"a"}, "severity": 3,
		"customFields": map[string]any{"business-unit": "HR"},
		"access":       map[string]any{"_kind": AccessExternal, "users": []string{AliceEmail}},
	}))
	id := created["_id"].(string)
	if created["number"].(float64) != 53 || created["severityLabel"] != "HIGH" || created["stage"] != "New" ||
		created["_createdBy"] != AnalystLogin || created["access"].(map[string]any)["_kind"] != AccessExternal {
		t.Fatalf("created: %v", created)
	}
	assertShape(t, "created.customFields", []any{map[string]any{"_id": "", "name": "", "type": "", "value": "", "order": 0.0}}, created["customFields"])
	c.expect(204, "PATCH", "/api/v1/case/53", map[string]any{
		"status": "TruePositive", "addTags": []string{"b"}, "removeTags": []string{"a"},
		"customFields.business-unit": "Legal", "summary": "done",
	})
	got, _ := srv.Case(id)
	if got.Status != "TruePositive" || got.Stage != "Closed" || got.ClosedDate == 0 || got.EndDate == 0 ||
		len(got.Tags) != 1 || got.Tags[0] != "b" || got.CustomFields[0].Value != "Legal" || got.UpdatedBy != AnalystLogin {
		t.Fatalf("after patch: %+v", got)
	}
	// Query-string keys are merged into the fields, as in TheHive.
	c.expect(204, "PATCH", "/api/v1/case/"+id+"?status=InProgress", nil)
	if got, _ = srv.Case(id); got.Status != "InProgress" || got.ClosedDate != 0 {
		t.Fatalf("query-string patch: %+v", got)
	}
	c.expect(204, "POST", "/api/v1/case/"+id+"/access", map[string]any{"access": map[string]any{"_kind": AccessAllExternal}})
	if got, _ = srv.Case(id); got.Access.Kind != AccessAllExternal {
		t.Fatalf("access: %+v", got.Access)
	}
	c.expect(204, "DELETE", "/api/v1/case/"+id, nil)
	c.expect(404, "GET", "/api/v1/case/"+id, nil)
	c.expect(404, "PATCH", "/api/v1/case/"+id, map[string]any{"title": "x"})
}

func TestCaseValidationErrors(t *testing.T) {
	srv := NewServer(t, WithSeed())
	c := newClient(t, srv, ServiceKey)
	for _, tc := range []struct {
		name   string
		method string
		path   string
		body   any
		status int
		typ    string
	}{
		{"missing title", "POST", "/api/v1/case", map[string]any{"description": "d"}, 400, "AttributeCheckingError"},
		{"bad severity", "POST", "/api/v1/case", map[string]any{"title": "t", "description": "d", "severity": 9}, 400, "AttributeCheckingError"},
		{"bad type", "POST", "/api/v1/case", map[string]any{"title": 5, "description": "d"}, 400, "AttributeCheckingError"},
		{"invalid json", "POST", "/api/v1/case", []byte(`{"title":`), 400, "BadRequest"},
		{"array body", "POST", "/api/v1/case", []byte(`[1]`), 400, "BadRequest"},
		{"unknown status", "PATCH", "/api/v1/case/42", map[string]any{"status": "Resolved"}, 400, "AttributeCheckingError"},
		{"bad access kind", "POST", "/api/v1/case/42/access", map[string]any{"access": map[string]any{"_kind": "Nope"}}, 400, "AttributeCheckingError"},
		{"external without users", "POST", "/api/v1/case/42/access", map[string]any{"access": map[string]any{"_kind": AccessExternal}}, 400, "AttributeCheckingError"},
		{"missing access", "POST", "/api/v1/case/42/access", map[string]any{}, 400, "AttributeCheckingError"},
		{"access on missing case", "POST", "/api/v1/case/~9/access", map[string]any{"access": map[string]any{"_kind": AccessAllExternal}}, 404, "NotFoundError"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := c.do(tc.method, tc.path, tc.body, "Content-Type", "application/json")
			m := obj(t, body)
			if resp.StatusCode != tc.status || m["type"] != tc.typ || m["message"] == "" {
				t.Fatalf("status %d body %s", resp.StatusCode, body)
			}
			if tc.typ == "AttributeCheckingError" && len(m["errors"].([]any)) == 0 {
				t.Fatalf("no errors listed: %s", body)
			}
		})
	}
}

func TestReaderIsForbiddenToWrite(t *testing.T) {
	srv := NewServer(t, WithSeed())
	c := newClient(t, srv, ReaderKey)
	c.expect(200, "GET", "/api/v1/case/42", nil)
	for _, path := range []string{"/api/v1/case/42/comment", "/api/v1/case"} {
		body := obj(t, c.expect(http.StatusForbidden, "POST", path, map[string]any{"message": "x", "title": "t", "description": "d"}))
		if body["type"] != "AuthorizationError" {
			t.Fatalf("%s: %v", path, body)
		}
	}
	got := obj(t, c.expect(200, "GET", "/api/v1/case/42", nil))
	if len(got["userPermissions"].([]any)) != 0 {
		t.Fatalf("reader permissions: %v", got["userPermissions"])
	}
}
