package thehivetest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// serveDirect runs one request through the handler in-process and checks that it
// answers below 500 with a JSON error body (or success).
func serveDirect(t testing.TB, s *Sim, method, target, ctype, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+ServiceKey)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code >= 500 {
		t.Fatalf("%s %s %q: status %d %s", method, target, body, rec.Code, rec.Body)
	}
	if rec.Code >= 400 {
		var e struct{ Type, Message string }
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Type == "" {
			t.Fatalf("%s %s %q: error body %q", method, target, body, rec.Body)
		}
	}
	return rec
}

func TestOddInputs(t *testing.T) {
	s := New(WithSeed())
	defer s.Close()
	const js = "application/json"
	for _, tc := range []struct{ method, target, ctype, body string }{
		{"POST", "/api/v1/case", js, `null`},
		{"POST", "/api/v1/case", js, `"x"`},
		{"POST", "/api/v1/case", js, `{"title":null,"description":[]}`},
		{"POST", "/api/v1/case", js, `{"title":"t","description":"d","customFields":"x"}`},
		{"POST", "/api/v1/case", js, `{"title":"t","description":"d","customFields":[{"name":"n","value":{"a":[1]}}]}`},
		{"POST", "/api/v1/case", js, `{"title":"t","description":"d","tasks":[{"title":1},"x"]}`},
		{"POST", "/api/v1/case", js, `{"title":"t","description":"d","severity":1e400}`},
		{"POST", "/api/v1/case", js, `{"title":"t","description":"d","startDate":-1,"tlp":-1}`},
		{"POST", "/api/v1/case", "application/x-www-form-urlencoded", `title=t&description=d&severity=x%zz`},
		{"POST", "/api/v1/case", "text/plain", `{"title":"t"}`},
		{"POST", "/api/v1/case", "multipart/form-data", `--x`},
		{"PATCH", "/api/v1/case/42", js, `{"tags":[1,2],"addTags":"a","customFields.":1,"customFields.x":null}`},
		{"PATCH", "/api/v1/case/42", js, `{"customFields":{"a":[1,"b",null]}}`},
		{"PATCH", "/api/v1/case/18446744073709551617", js, `{}`},
		{"PATCH", "/api/v1/case/-1", js, `{}`},
		{"POST", "/api/v1/case/42/access", js, `{"access":{"_kind":"UserAccessKind","users":[]}}`},
		{"POST", "/api/v1/case/42/access", js, `{"access":[]}`},
		{"POST", "/api/v1/case/42/comment", js, `{"message":["a"]}`},
		{"PATCH", "/api/v1/comment/~41210", js, `{"external":"maybe"}`},
		{"POST", "/api/v1/case/42/attachments", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"a\"\r\n\r\nabc"},
		{"POST", "/api/v1/case/42/attachments", "multipart/form-data", "--x--"},
		{"POST", "/api/v1/case/42/observable", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"_json\"\r\n\r\n[]\r\n--x--\r\n"},
		{"POST", "/api/v1/case/42/observable", js, `{"dataType":"file","attachment":"sample"}`},
		{"POST", "/api/v1/case/42/observable", js, `{"dataType":"ip","data":[1]}`},
		{"POST", "/api/v1/case/42/observable", js, `{"dataType":"ip","data":[]}`},
		{"PATCH", "/api/v1/observable/~41500", js, `{"tlp":99,"tags":"x"}`},
		{"PATCH", "/api/v1/case/42/attachment/~41400", js, `{"external":null}`},
		{"POST", "/api/v1/task/~41600/log", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"_json\"; filename=\"_json\"\r\n\r\n{}\r\n--x--\r\n"},
		{"PATCH", "/api/v1/task/~41600", js, `{"order":"1.5"}`},
		{"POST", "/api/v1/alert", js, `{"type":"a","source":"b","sourceRef":"c","title":"t","description":"d","customFields":5}`},
		{"POST", "/api/v1/query", js, `{"query":[{"_name":"listCase"},{"_name":"filter","_and":"x"}]}`},
		{"POST", "/api/v1/query", js, `{"query":[{"_name":"listCase"},{"_name":"filter","_not":{"_not":{"_or":[{}]}}}]}`},
		{"POST", "/api/v1/query", js, `{"query":[{"_name":"listCase"},{"_name":"filter","_in":{"_field":"tags"}}]}`},
		{"POST", "/api/v1/query", js, `{"query":[{"_name":"listCase"},{"_name":"filter","_between":{"_field":"number","_from":{},"_to":[]}}]}`},
		{"POST", "/api/v1/query", js, `{"query":[{"_name":"listCase"},{"_name":"filter","_like":{"_field":"title","_value":"**a***"}}]}`},
		{"POST", "/api/v1/query", js, `{"query":[{"_name":"listCase"},{"_name":"filter","_eq":{"_field":"customFields.x.y.z","_value":[1]}}]}`},
		{"POST", "/api/v1/query", js, `{"query":[{"_name":"listCase"},{"_name":"sort","_fields":"x"}]}`},
		{"POST", "/api/v1/query", js, `{"query":[{"_name":"listCase"},{"_name":"page","from":-5,"to":-1}]}`},
		{"POST", "/api/v1/query", js, `{"query":[{"_name":"listCase"},{"_name":"page","from":9,"to":2,"extraData":["total","x"]}]}`},
		{"POST", "/api/v1/query", js, `{"query":[{"_name":"getCase","idOrName":1e30}]}`},
		{"POST", "/api/v1/query", js, `{"query":[{"_name":1}]}`},
		{"POST", "/api/v1/query", js, `{"query":{}}`},
		{"POST", "/api/v1/query", js, `{"query":[{"_name":"listCase"}],"excludeFields":[1]}`},
		{"GET", "/api/v1/case/%25zz", "", ""},
		{"GET", "/api/v1/case/~41001%2Fcomment", "", ""},
	} {
		serveDirect(t, s, tc.method, tc.target, tc.ctype, tc.body)
	}
}

func FuzzQuery(f *testing.F) {
	for _, seed := range []string{
		`{"query":[{"_name":"listCase"},{"_name":"filter","_and":[{"_eq":{"_field":"status","_value":"InProgress"}},{"_like":{"_field":"title","_value":"*phish*"}}]},{"_name":"sort","_fields":[{"_createdAt":"desc"}]},{"_name":"page","from":0,"to":10,"extraData":["total"]}]}`,
		`{"query":[{"_name":"getCase","idOrName":42},{"_name":"comments"},{"_name":"count"}]}`,
		`{"query":[{"_name":"listAudit"},{"_name":"filter","_gt":{"_createdAt":0}}],"excludeFields":["object"]}`,
	} {
		f.Add(seed)
	}
	s := New(WithSeed())
	f.Cleanup(s.Close)
	f.Fuzz(func(t *testing.T, body string) {
		serveDirect(t, s, "POST", "/api/v1/query", "application/json", body)
	})
}

func FuzzCaseCreate(f *testing.F) {
	f.Add(`{"title":"t","description":"d","customFields":{"a":1},"access":{"_kind":"AllExternalAccessKind"}}`)
	f.Add(`{"title":"t","description":"d","tasks":[{"title":"x"}],"tags":["a"]}`)
	s := New()
	f.Cleanup(s.Close)
	f.Fuzz(func(t *testing.T, body string) {
		rec := serveDirect(t, s, "POST", "/api/v1/case", "application/json", body)
		if rec.Code != http.StatusCreated && rec.Code != http.StatusBadRequest {
			t.Fatalf("status %d", rec.Code)
		}
	})
}
