package thehivetest

import (
	"slices"
	"testing"
)

type m = map[string]any

func TestQueryFixtureChains(t *testing.T) {
	srv := NewServer(t, WithSeed())
	c := newClient(t, srv, ServiceKey)
	for _, tc := range []struct {
		chain   string
		fixture string
	}{
		{"comments", "case-comments-query-response.json"},
		{"attachments", "case-attachments-query-response.json"},
		{"observables", "case-observables-query-response.json"},
	} {
		for _, ref := range []any{"~41001", "42", 42} {
			got, _ := c.query(200, m{"_name": "getCase", "idOrName": ref}, m{"_name": tc.chain})
			assertEqualJSON(t, tc.chain, fixture(t, tc.fixture), got)
		}
	}
	got, _ := c.query(200, m{"_name": "getCase", "idOrName": "~41001"})
	assertEqualJSON(t, "getCase", []any{fixture(t, "case.json")}, got)
	got, _ = c.query(200, m{"_name": "getCase", "idOrName": "~999"}, m{"_name": "comments"})
	if len(got.([]any)) != 0 {
		t.Fatalf("missing case: %v", got)
	}
}

func TestQueryListPageTotal(t *testing.T) {
	srv := NewServer(t, WithSeed())
	c := newClient(t, srv, ServiceKey)
	got, resp := c.query(200, m{"_name": "listCase"},
		m{"_name": "filter", "_in": m{"_field": "_id", "_values": []string{Case42ID, Case41ID}}},
		m{"_name": "page", "from": 0, "to": 2, "extraData": []string{"attachmentCount", "shareCount", "total"}})
	// Custom field values have different types; the fixture's #42 has one field, case.json two.
	want := fixture(t, "cases-query-response.json").([]any)
	for i, g := range got.([]any) {
		assertShape(t, "cases", stripKeys(want[i], "customFields"), stripKeys(g, "customFields"))
	}
	if resp.Header.Get("X-Total") != "2" {
		t.Fatalf("X-Total %q", resp.Header.Get("X-Total"))
	}
	arr := got.([]any)
	if ids(t, got)[0] != Case42ID || arr[0].(m)["extraData"].(m)["attachmentCount"].(float64) != 2 {
		t.Fatalf("order/extraData: %v", arr[0].(m)["extraData"])
	}
	all, resp := c.query(200, m{"_name": "listCase"}, m{"_name": "page", "from": 1, "to": 3, "extraData": []string{"total"}})
	if len(all.([]any)) != 2 || resp.Header.Get("X-Total") != "12" {
		t.Fatalf("page: %d items, X-Total %q", len(all.([]any)), resp.Header.Get("X-Total"))
	}
	_, resp = c.query(200, m{"_name": "listCase"}, m{"_name": "page", "from": 0, "to": 1, "extraData": []string{}})
	if resp.Header.Get("X-Total") != "" {
		t.Fatal("X-Total without total")
	}
	n, _ := c.query(200, m{"_name": "listCase"}, m{"_name": "count"})
	if n.(float64) != 12 {
		t.Fatalf("count %v", n)
	}
	n, _ = c.query(200, m{"_name": "getCase", "idOrName": "42"}, m{"_name": "comments"},
		m{"_name": "filter", "_eq": m{"_field": "external", "_value": true}}, m{"_name": "count"})
	if n.(float64) != 2 {
		t.Fatalf("external comments %v", n)
	}
}

func TestQueryFilters(t *testing.T) {
	srv := NewServer(t, WithSeed())
	c := newClient(t, srv, ServiceKey)
	list := func(filter m) []string {
		t.Helper()
		f := m{"_name": "filter"}
		for k, v := range filter {
			f[k] = v
		}
		got, _ := c.query(200, m{"_name": "listCase"}, f, m{"_name": "sort", "_fields": []any{m{"number": "asc"}}})
		return ids(t, got)
	}
	for _, tc := range []struct {
		name   string
		filter m
		want   []string
	}{
		{"eq", m{"_eq": m{"_field": "number", "_value": 42}}, []string{Case42ID}},
		{"is string number", m{"_is": m{"_field": "number", "_value": "42"}}, []string{Case42ID}},
		{"legacy field value", m{"_field": "title", "_value": "Phishing wave targeting finance team"}, []string{Case42ID}},
		{"legacy bare", m{"number": 41}, []string{Case41ID}},
		{"legacy gt", m{"_and": []any{m{"_gt": m{"number": 50}}}}, []string{CaseRestrictedID, CaseNearMissID}},
		{"ne", m{"_and": []any{m{"_ne": m{"_field": "status", "_value": "InProgress"}}, m{"_lt": m{"_field": "number", "_value": 43}}}}, []string{Case41ID}},
		{"in", m{"_in": m{"_field": "number", "_values": []any{41, 43}}}, []string{Case41ID, CaseUserTagID}},
		{"between from incl to excl", m{"_between": m{"_field": "number", "_from": 50, "_to": 52}}, []string{CaseInternalID, CaseRestrictedID}},
		{"gte lte", m{"_and": []any{m{"_gte": m{"_field": "number", "_value": 51}}, m{"_lte": m{"_field": "number", "_value": 51}}}}, []string{CaseRestrictedID}},
		{"like wildcard", m{"_like": m{"_field": "title", "_value": "*PHISH*"}}, []string{Case42ID, CaseAllExternalID}},
		{"like substring", m{"_like": m{"_field": "title", "_value": "vpn"}}, []string{Case41ID, CaseUserTagID}},
		{"like anchored", m{"_like": m{"_field": "title", "_value": "phish*"}}, []string{Case42ID}},
		{"startsWith", m{"_startsWith": m{"_field": "title", "_value": "Leaked"}}, []string{CaseGroupTagID}},
		{"endsWith", m{"_endsWith": m{"_field": "title", "_value": "(SHARE-44)"}}, []string{CaseGroupTagID}},
		{"tags any element", m{"_eq": m{"_field": "tags", "_value": "portal:user=" + AliceEmail}}, []string{CaseUserTagID}},
		{"tags like", m{"_like": m{"_field": "tags", "_value": "portal:domain=*"}}, []string{CaseDomainTagID, CaseNearMissID}},
		{"access kind", m{"_eq": m{"_field": "access._kind", "_value": AccessAllExternal}}, []string{CaseAllExternalID}},
		{"access users", m{"_eq": m{"_field": "access.users", "_value": "*"}}, []string{CaseExternalStarID}},
		{"custom field", m{"_eq": m{"_field": "customFields.business-unit", "_value": "Finance"}}, []string{Case42ID}},
		{"or not", m{"_or": []any{m{"_id": Case41ID}, m{"_not": m{"_lt": m{"_field": "number", "_value": 52}}}}}, []string{Case41ID, CaseNearMissID}},
		{"id list", m{"_id": []string{Case42ID, "~1"}}, []string{Case42ID}},
		{"has", m{"_and": []any{m{"_has": "endDate"}}}, []string{}},
		{"contains", m{"_and": []any{m{"_contains": "impactStatus"}, m{"_any": nil}}}, []string{Case41ID}},
		{"match word", m{"_match": m{"_field": "title", "_value": "finance"}}, []string{Case42ID}},
		{"empty or", m{"_or": []any{}}, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := list(tc.filter); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestQuerySortAndExclude(t *testing.T) {
	srv := NewServer(t, WithSeed())
	c := newClient(t, srv, ServiceKey)
	got, _ := c.query(200, m{"_name": "getCase", "idOrName": "~41001"}, m{"_name": "comments"},
		m{"_name": "sort", "_fields": []any{m{"createdAt": "desc"}}})
	if !slices.Equal(ids(t, got), []string{Comment42ByJane, Comment42Internal, Comment42External}) {
		t.Fatalf("desc: %v", ids(t, got))
	}
	got, _ = c.query(200, m{"_name": "listCase"}, m{"_name": "sort", "_fields": []any{"-number"}}, m{"_name": "page", "from": 0, "to": 2})
	if !slices.Equal(ids(t, got), []string{CaseNearMissID, CaseRestrictedID}) {
		t.Fatalf("-number: %v", ids(t, got))
	}
	resp, body := c.do("POST", "/api/v1/query?name=case-comments", m{"query": []any{m{"_name": "getComment", "idOrName": Comment42External}},
		"excludeFields": []string{"message", "extraData"}})
	arr := decode(t, body).([]any)
	if resp.StatusCode != 200 || len(arr) != 1 || arr[0].(m)["message"] != nil || arr[0].(m)["extraData"] != nil || arr[0].(m)["_id"] != Comment42External {
		t.Fatalf("excludeFields: %s", body)
	}
	got, _ = c.query(200, m{"_name": "listComment"}, m{"_name": "filter", "_like": m{"_field": "message", "_value": "*PH-17*"}})
	if !slices.Equal(ids(t, got), []string{Comment42Internal}) {
		t.Fatalf("listComment filter: %v", got)
	}
	got, _ = c.query(200, m{"_name": "getComment", "idOrName": Comment42External}, m{"_name": "page", "from": 0, "to": 1, "extraData": []string{"case"}})
	if got.([]any)[0].(m)["extraData"].(m)["case"].(m)["_id"] != Case42ID {
		t.Fatalf("comment extraData case: %v", got)
	}
}

func TestQueryOtherInitialOps(t *testing.T) {
	srv := NewServer(t, WithSeed())
	c := newClient(t, srv, ServiceKey)
	for _, tc := range []struct {
		ops  []map[string]any
		want int
	}{
		{[]map[string]any{{"_name": "getObservable", "idOrName": Observable42Analyst}}, 1},
		{[]map[string]any{{"_name": "getTask", "idOrName": Task42ID}, {"_name": "logs"}}, 1},
		{[]map[string]any{{"_name": "getCase", "idOrName": 42}, {"_name": "tasks"}}, 1},
		{[]map[string]any{{"_name": "listAlert"}}, 1},
		{[]map[string]any{{"_name": "getAlert", "idOrName": SeededAlertID}}, 1},
		{[]map[string]any{{"_name": "listAudit"}, {"_name": "filter", "_eq": m{"_field": "objectId", "_value": Comment42Internal}}}, 1},
		{[]map[string]any{{"_name": "listObservable"}, {"_name": "filter", "_eq": m{"_field": "attachment.name", "_value": "sample.bin"}}}, 1},
		{[]map[string]any{{"_name": "listTask"}}, 11},
		{[]map[string]any{{"_name": "getComment", "idOrName": "~1"}}, 0},
	} {
		got, _ := c.query(200, tc.ops...)
		if n := len(got.([]any)); n != tc.want {
			t.Errorf("%v: %d items, want %d", tc.ops, n, tc.want)
		}
	}
}

func TestQueryErrors(t *testing.T) {
	srv := NewServer(t, WithSeed())
	c := newClient(t, srv, ServiceKey)
	for _, tc := range []struct {
		name string
		body any
	}{
		{"invalid json", []byte(`{"query":[`)},
		{"no query", m{}},
		{"not an object op", []byte(`{"query":[1]}`)},
		{"no name", m{"query": []any{m{"idOrName": "~1"}}}},
		{"unknown initial", m{"query": []any{m{"_name": "listEverything"}}}},
		{"chained op first", m{"query": []any{m{"_name": "comments"}}}},
		{"comments on comments", m{"query": []any{m{"_name": "listComment"}, m{"_name": "comments"}}}},
		{"unknown op", m{"query": []any{m{"_name": "listCase"}, m{"_name": "similarCases"}}}},
		{"initial op later", m{"query": []any{m{"_name": "listCase"}, m{"_name": "listCase"}}}},
		{"after count", m{"query": []any{m{"_name": "listCase"}, m{"_name": "count"}, m{"_name": "filter"}}}},
		{"after page", m{"query": []any{m{"_name": "listCase"}, m{"_name": "page", "from": 0, "to": 1}, m{"_name": "comments"}}}},
		{"unknown field", m{"query": []any{m{"_name": "listCase"}, m{"_name": "filter", "_eq": m{"_field": "nope", "_value": 1}}}}},
		{"unknown operator", m{"query": []any{m{"_name": "listCase"}, m{"_name": "filter", "_regex": m{"_field": "title", "_value": 1}}}}},
		{"two operators", m{"query": []any{m{"_name": "listCase"}, m{"_name": "filter", "_eq": m{"title": "x"}, "_ne": m{"title": "y"}}}}},
		{"bad sort dir", m{"query": []any{m{"_name": "listCase"}, m{"_name": "sort", "_fields": []any{m{"title": "up"}}}}}},
		{"bad sort field", m{"query": []any{m{"_name": "listCase"}, m{"_name": "sort", "_fields": []any{m{"nope": "asc"}}}}}},
		{"bad page", m{"query": []any{m{"_name": "listCase"}, m{"_name": "page", "from": "a"}}}},
		{"getCase without id", m{"query": []any{m{"_name": "getCase"}}}},
		{"getCase with object id", m{"query": []any{m{"_name": "getCase", "idOrName": m{}}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := c.do("POST", "/api/v1/query", tc.body, "Content-Type", "application/json")
			if resp.StatusCode != 400 || obj(t, body)["type"] != "BadRequest" {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
		})
	}
}
