package query

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/thehive-portal/thehive-portal/config"
)

// restrict stands for the policy's case filter in the built bodies.
const restrict = `{"_or":[{"_in":{"_field":"tags","_values":["portal:user=alice@example.org"]}}]}`

// upLimit is the fetch cap passed to the builders in tests.
const upLimit = 1000

// testLimits are the limits of the tests: defaults with DefaultFields.
func testLimits() Limits { return Limits{Fields: DefaultFields()} }

// upstreamFor builds the body the portal would send for q: a case list with
// restrict, the children of the resolved case ~41001, or one case.
func upstreamFor(q *Query) []byte {
	switch {
	case q.Root == RootListCase:
		return ListCases(json.RawMessage(restrict), q, upLimit)
	case q.Child != "":
		return CaseChildren("~41001", q.Child, q, upLimit)
	}
	return GetCase(q.Case)
}

type acceptCase struct {
	name  string
	query string // raw URL query string
	body  string
	want  Query  // Filter compared as text
	up    string // the built upstream body
}

// Prefixes of the upstream bodies.
const (
	upList     = `{"query":[{"_name":"listCase"},{"_name":"filter","_and":[` + restrict
	upComments = `{"query":[{"_name":"getCase","idOrName":"~41001"},{"_name":"comments"}`
	upPage     = `{"_name":"page","from":0,"to":1000}]}`
)

var acceptCases = []acceptCase{
	// thehive4py 2.x wire bodies (thehive-api.md §10).
	{name: "py case.find: no arguments", query: "name=cases",
		body: `{"query":[{"_name":"listCase"}]}`,
		want: Query{Root: RootListCase},
		up:   upList + `]},` + upPage},
	{name: "py case.find: §10 example", query: "name=cases",
		body: `{"query":[{"_name":"listCase"},
  {"_name":"filter","_and":[{"_eq":{"_field":"status","_value":"InProgress"}},{"_like":{"_field":"title","_value":"*phish*"}}]},
  {"_name":"sort","_fields":[{"_createdAt":"desc"}]},
  {"_name":"page","from":0,"to":10,"extraData":[]}]}`,
		want: Query{Root: RootListCase,
			Filter: json.RawMessage(`{"_and":[{"_eq":{"_field":"status","_value":"InProgress"}},{"_like":{"_field":"title","_value":"*phish*"}}]}`),
			Sort:   []SortField{{"_createdAt", true}}, Page: &Page{From: 0, To: 10}},
		up: upList + `,{"_and":[{"_eq":{"_field":"status","_value":"InProgress"}},{"_like":{"_field":"title","_value":"*phish*"}}]}]},` +
			`{"_name":"sort","_fields":[{"_createdAt":"desc"}]},` + upPage},
	{name: "py case.find: paginate with extra_data total", query: "name=cases",
		body: `{"query":[{"_name":"listCase"},{"_name":"page","from":10,"to":20,"extraData":["total"]}]}`,
		want: Query{Root: RootListCase, Page: &Page{From: 10, To: 20, Total: true}},
		up:   upList + `]},` + upPage},
	{name: "py case.count: with filter", query: "name=cases.count",
		body: `{"query":[{"_name":"listCase"},{"_name":"filter","_gte":{"_field":"severity","_value":3}},{"_name":"count"}]}`,
		want: Query{Root: RootListCase, Filter: json.RawMessage(`{"_gte":{"_field":"severity","_value":3}}`), Count: true},
		up:   upList + `,{"_gte":{"_field":"severity","_value":3}}]},` + upPage},
	{name: "py case.count: no filter", query: "name=cases.count",
		body: `{"query":[{"_name":"listCase"},{"_name":"count"}]}`,
		want: Query{Root: RootListCase, Count: true},
		up:   upList + `]},` + upPage},
	{name: "py case.find_comments: id, filter, sort, paginate", query: "name=case-comments",
		body: `{"query":[{"_name":"getCase","idOrName":"~41001"},{"_name":"comments"},` +
			`{"_name":"filter","_like":{"_field":"message","_value":"*invoice*"}},` +
			`{"_name":"sort","_fields":[{"createdAt":"asc"}]},{"_name":"page","from":0,"to":25,"extraData":[]}]}`,
		want: Query{Root: RootGetCase, Case: CaseRef{ID: "~41001"}, Child: config.KindComment,
			Filter: json.RawMessage(`{"_like":{"_field":"message","_value":"*invoice*"}}`),
			Sort:   []SortField{{"createdAt", false}}, Page: &Page{To: 25}},
		up: upComments + `,{"_name":"filter","_and":[{"_like":{"_field":"message","_value":"*invoice*"}}]},` +
			`{"_name":"sort","_fields":[{"createdAt":"asc"}]},` + upPage},
	{name: "py case.find_comments: int case id", query: "name=case-comments",
		body: `{"query":[{"_name":"getCase","idOrName":42},{"_name":"comments"}]}`,
		want: Query{Root: RootGetCase, Case: CaseRef{Number: 42}, Child: config.KindComment},
		up:   upComments + `,` + upPage},
	{name: "py case.find_comments: number as string", query: "name=case-comments",
		body: `{"query":[{"_name":"getCase","idOrName":"42"},{"_name":"comments"},{"_name":"count"}]}`,
		want: Query{Root: RootGetCase, Case: CaseRef{Number: 42}, Child: config.KindComment, Count: true},
		up:   upComments + `,` + upPage},
	{name: "py case.find_attachments: filter and sort", query: "name=case-attachments",
		body: `{"query":[{"_name":"getCase","idOrName":"~41001"},{"_name":"attachments"},` +
			`{"_name":"filter","_eq":{"_field":"contentType","_value":"application/pdf"}},` +
			`{"_name":"sort","_fields":[{"name":"asc"},{"_createdAt":"desc"}]},{"_name":"page","from":0,"to":100,"extraData":[]}]}`,
		want: Query{Root: RootGetCase, Case: CaseRef{ID: "~41001"}, Child: config.KindAttachment,
			Filter: json.RawMessage(`{"_eq":{"_field":"contentType","_value":"application/pdf"}}`),
			Sort:   []SortField{{"name", false}, {"_createdAt", true}}, Page: &Page{To: 100}},
		up: `{"query":[{"_name":"getCase","idOrName":"~41001"},{"_name":"attachments"},` +
			`{"_name":"filter","_and":[{"_eq":{"_field":"contentType","_value":"application/pdf"}}]},` +
			`{"_name":"sort","_fields":[{"name":"asc"},{"_createdAt":"desc"}]},` + upPage},
	{name: "py case.find_observables: In filter and paginate", query: "name=case-observables",
		body: `{"query":[{"_name":"getCase","idOrName":"~41001"},{"_name":"observables"},` +
			`{"_name":"filter","_in":{"_field":"dataType","_values":["ip","domain"]}},{"_name":"page","from":5,"to":10,"extraData":["total"]}]}`,
		want: Query{Root: RootGetCase, Case: CaseRef{ID: "~41001"}, Child: config.KindObservable,
			Filter: json.RawMessage(`{"_in":{"_field":"dataType","_values":["ip","domain"]}}`), Page: &Page{From: 5, To: 10, Total: true}},
		up: `{"query":[{"_name":"getCase","idOrName":"~41001"},{"_name":"observables"},` +
			`{"_name":"filter","_and":[{"_in":{"_field":"dataType","_values":["ip","domain"]}}]},` + upPage},
	{name: "py query.run: excludeFields empty",
		body: `{"query":[{"_name":"listCase"},{"_name":"sort","_fields":[{"number":"asc"}]}],"excludeFields":[]}`,
		want: Query{Root: RootListCase, Sort: []SortField{{"number", false}}},
		up:   upList + `]},{"_name":"sort","_fields":[{"number":"asc"}]},` + upPage},
	{name: "py query.run: excludeFields listed", query: "name=my-query",
		body: `{"excludeFields":["description","summary"],"query":[{"_name":"getCase","idOrName":"~41001"}]}`,
		want: Query{Root: RootGetCase, Case: CaseRef{ID: "~41001"}},
		up:   `{"query":[{"_name":"getCase","idOrName":"~41001"}]}`},
	{name: "getCase alone by number",
		body: `{"query":[{"_name":"getCase","idOrName":"42"}]}`,
		want: Query{Root: RootGetCase, Case: CaseRef{Number: 42}},
		up:   `{"query":[{"_name":"getCase","idOrName":"42"}]}`},
	{name: "getCase alone by int",
		body: `{"query":[{"_name":"getCase","idOrName":999999999}]}`,
		want: Query{Root: RootGetCase, Case: CaseRef{Number: 999999999}},
		up:   `{"query":[{"_name":"getCase","idOrName":"999999999"}]}`},
	// §5.5 typical bodies.
	{name: "§5.5 comments sorted",
		body: `{"query":[{"_name":"getCase","idOrName":"~41001"},{"_name":"comments"},{"_name":"sort","_fields":[{"createdAt":"asc"}]}]}`,
		want: Query{Root: RootGetCase, Case: CaseRef{ID: "~41001"}, Child: config.KindComment, Sort: []SortField{{"createdAt", false}}},
		up:   upComments + `,{"_name":"sort","_fields":[{"createdAt":"asc"}]},` + upPage},
	{name: "§5.5 attachments",
		body: `{"query":[{"_name":"getCase","idOrName":"~41001"},{"_name":"attachments"}]}`,
		want: Query{Root: RootGetCase, Case: CaseRef{ID: "~41001"}, Child: config.KindAttachment},
		up:   `{"query":[{"_name":"getCase","idOrName":"~41001"},{"_name":"attachments"},` + upPage},
	{name: "§5.5 observables paged",
		body: `{"query":[{"_name":"getCase","idOrName":"~41001"},{"_name":"observables"},{"_name":"page","from":0,"to":50,"extraData":[]}]}`,
		want: Query{Root: RootGetCase, Case: CaseRef{ID: "~41001"}, Child: config.KindObservable, Page: &Page{To: 50}},
		up:   `{"query":[{"_name":"getCase","idOrName":"~41001"},{"_name":"observables"},` + upPage},
	// Operators, each helper of thehive4py/query.
	{name: "operators: Ne Lt Gt Lte", body: `{"query":[{"_name":"listCase"},{"_name":"filter","_and":[` +
		`{"_ne":{"_field":"status","_value":"New"}},{"_lt":{"_field":"severity","_value":4}},` +
		`{"_gt":{"_field":"startDate","_value":1700000000000}},{"_lte":{"_field":"number","_value":99}}]}]}`,
		want: Query{Root: RootListCase, Filter: json.RawMessage(`{"_and":[{"_ne":{"_field":"status","_value":"New"}},` +
			`{"_lt":{"_field":"severity","_value":4}},{"_gt":{"_field":"startDate","_value":1700000000000}},{"_lte":{"_field":"number","_value":99}}]}`)}},
	{name: "operators: StartsWith EndsWith Match in Or", body: `{"query":[{"_name":"listCase"},{"_name":"filter","_or":[` +
		`{"_startsWith":{"_field":"title","_value":"Phish"}},{"_endsWith":{"_field":"title","_value":"report"}},` +
		`{"_match":{"_field":"description","_value":"ransom"}}]}]}`,
		want: Query{Root: RootListCase, Filter: json.RawMessage(`{"_or":[{"_startsWith":{"_field":"title","_value":"Phish"}},` +
			`{"_endsWith":{"_field":"title","_value":"report"}},{"_match":{"_field":"description","_value":"ransom"}}]}`)}},
	{name: "operators: Between Has Not", body: `{"query":[{"_name":"listCase"},{"_name":"filter","_and":[` +
		`{"_between":{"_field":"_createdAt","_from":1700000000000,"_to":1800000000000}},{"_has":"endDate"},` +
		`{"_not":{"_eq":{"_field":"stage","_value":"Closed"}}}]}]}`,
		want: Query{Root: RootListCase, Filter: json.RawMessage(`{"_and":[{"_between":{"_field":"_createdAt","_from":1700000000000,"_to":1800000000000}},` +
			`{"_has":"endDate"},{"_not":{"_eq":{"_field":"stage","_value":"Closed"}}}]}`)}},
	{name: "operators: booleans on comments", body: `{"query":[{"_name":"getCase","idOrName":"~41001"},{"_name":"comments"},` +
		`{"_name":"filter","_eq":{"_field":"isEdited","_value":false}}]}`,
		want: Query{Root: RootGetCase, Case: CaseRef{ID: "~41001"}, Child: config.KindComment,
			Filter: json.RawMessage(`{"_eq":{"_field":"isEdited","_value":false}}`)}},
	{name: "py Contains (deprecated) becomes _has", body: `{"query":[{"_name":"listCase"},{"_name":"filter","_contains":"endDate"}]}`,
		want: Query{Root: RootListCase, Filter: json.RawMessage(`{"_has":"endDate"}`)}},
	{name: "py Id(x)", body: `{"query":[{"_name":"getCase","idOrName":"~41001"},{"_name":"comments"},{"_name":"filter","_id":"~110"}]}`,
		want: Query{Root: RootGetCase, Case: CaseRef{ID: "~41001"}, Child: config.KindComment,
			Filter: json.RawMessage(`{"_eq":{"_field":"_id","_value":"~110"}}`)}},
	// Legacy forms and canonicalisation.
	{name: "canonical: _is becomes _eq", body: `{"query":[{"_name":"listCase"},{"_name":"filter","_is":{"_field":"status","_value":"New"}}]}`,
		want: Query{Root: RootListCase, Filter: json.RawMessage(`{"_eq":{"_field":"status","_value":"New"}}`)}},
	{name: "legacy: _field/_value pair", body: `{"query":[{"_name":"listCase"},{"_name":"filter","_field":"title","_value":"x"}]}`,
		want: Query{Root: RootListCase, Filter: json.RawMessage(`{"_eq":{"_field":"title","_value":"x"}}`)}},
	{name: "legacy: _value before _field", body: `{"query":[{"_name":"listCase"},{"_name":"filter","_value":2,"_field":"severity"}]}`,
		want: Query{Root: RootListCase, Filter: json.RawMessage(`{"_eq":{"_field":"severity","_value":2}}`)}},
	{name: "legacy: {field: value}", body: `{"query":[{"_name":"listCase"},{"_name":"filter","title":"x"}]}`,
		want: Query{Root: RootListCase, Filter: json.RawMessage(`{"_eq":{"_field":"title","_value":"x"}}`)}},
	{name: "legacy: _gt {field: value}", body: `{"query":[{"_name":"listCase"},{"_name":"filter","_gt":{"severity":2}}]}`,
		want: Query{Root: RootListCase, Filter: json.RawMessage(`{"_gt":{"_field":"severity","_value":2}}`)}},
	{name: "legacy: _id", body: `{"query":[{"_name":"listCase"},{"_name":"filter","_id":"~41001"}]}`,
		want: Query{Root: RootListCase, Filter: json.RawMessage(`{"_eq":{"_field":"_id","_value":"~41001"}}`)}},
	{name: "legacy: nested in _and and _not", body: `{"query":[{"_name":"listCase"},{"_name":"filter","_and":[{"status":"New"},{"_not":{"_field":"stage","_value":"Closed"}}]}]}`,
		want: Query{Root: RootListCase, Filter: json.RawMessage(`{"_and":[{"_eq":{"_field":"status","_value":"New"}},{"_not":{"_eq":{"_field":"stage","_value":"Closed"}}}]}`)}},
	{name: "empty filter matches all", body: `{"query":[{"_name":"listCase"},{"_name":"filter"},{"_name":"count"}]}`,
		want: Query{Root: RootListCase, Count: true},
		up:   upList + `]},` + upPage},
	{name: "escaped key names are decoded", body: `{"\u0071uery":[{"\u005fname":"list\u0043ase"},{"_name":"filter","_eq":{"\u005ffield":"status","_value":"\u0049nProgress"}}]}`,
		want: Query{Root: RootListCase, Filter: json.RawMessage(`{"_eq":{"_field":"status","_value":"InProgress"}}`)}},
	{name: "numbers are canonical", body: `{"query":[{"_name":"listCase"},{"_name":"filter","_in":{"_field":"severity","_values":[3.0,1e3,-0,1.5,2E-1,100000000000000000000]}}]}`,
		want: Query{Root: RootListCase, Filter: json.RawMessage(`{"_in":{"_field":"severity","_values":[3,1000,0,1.5,0.2,100000000000000000000]}}`)}},
	{name: "strings are re-encoded", body: `{"query":[{"_name":"listCase"},{"_name":"filter","_like":{"_field":"title","_value":"<b>é\/\"</b>"}}]}`,
		want: Query{Root: RootListCase, Filter: json.RawMessage(`{"_like":{"_field":"title","_value":"\u003cb\u003eé/\"\u003c/b\u003e"}}`)}},
	{name: "name parameter url-escaped", query: "name=case%20list+%C3%A9",
		body: `{"query":[{"_name":"listCase"}]}`, want: Query{Root: RootListCase}},
	{name: "name parameter empty", query: "name=",
		body: `{"query":[{"_name":"listCase"}]}`, want: Query{Root: RootListCase}},
	{name: "whitespace around everything", body: " \n{ \"query\" : [ { \"_name\" : \"listCase\" } ] }\n\t",
		want: Query{Root: RootListCase}},
	{name: "page: empty window and full window", body: `{"query":[{"_name":"listCase"},{"_name":"page","from":7,"to":7}]}`,
		want: Query{Root: RootListCase, Page: &Page{From: 7, To: 7}}},
	{name: "page: exactly MaxPageSize", body: `{"query":[{"_name":"listCase"},{"_name":"page","from":100,"to":200}]}`,
		want: Query{Root: RootListCase, Page: &Page{From: 100, To: 200}}},
	{name: "sort: five fields", body: `{"query":[{"_name":"listCase"},{"_name":"sort","_fields":[{"severity":"desc"},{"status":"asc"},{"stage":"asc"},{"title":"asc"},{"_id":"desc"}]}]}`,
		want: Query{Root: RootListCase, Sort: []SortField{{"severity", true}, {"status", false}, {"stage", false}, {"title", false}, {"_id", true}}},
		up:   upList + `]},{"_name":"sort","_fields":[{"severity":"desc"},{"status":"asc"},{"stage":"asc"},{"title":"asc"},{"_id":"desc"}]},` + upPage},
	{name: "filter: exactly MaxFilterTerms terms", body: `{"query":[{"_name":"listCase"},{"_name":"filter","_or":[` +
		strings.Repeat(`{"_and":[{"title":"a"},{"title":"b"}]},`, 16) + `{"title":"c"}]}]}`,
		want: Query{Root: RootListCase, Filter: json.RawMessage(`{"_or":[` +
			strings.Repeat(`{"_and":[{"_eq":{"_field":"title","_value":"a"}},{"_eq":{"_field":"title","_value":"b"}}]},`, 16) +
			`{"_eq":{"_field":"title","_value":"c"}}]}`)}},
	{name: "all optional ops on observables", body: `{"query":[{"_name":"getCase","idOrName":"~9223372036854775807"},{"_name":"observables"},` +
		`{"_name":"filter","_startsWith":{"_field":"data","_value":"10."}},{"_name":"sort","_fields":[{"data":"asc"}]},{"_name":"count"}]}`,
		want: Query{Root: RootGetCase, Case: CaseRef{ID: "~9223372036854775807"}, Child: config.KindObservable,
			Filter: json.RawMessage(`{"_startsWith":{"_field":"data","_value":"10."}}`), Sort: []SortField{{"data", false}}, Count: true}},
}

func TestParseAccepts(t *testing.T) {
	t.Parallel()
	for _, tc := range acceptCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			q, err := Parse([]byte(tc.body), tc.query, testLimits())
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if string(q.Filter) != string(tc.want.Filter) {
				t.Errorf("filter\n got %s\nwant %s", q.Filter, tc.want.Filter)
			}
			got, want := *q, tc.want
			got.Filter, want.Filter = nil, nil
			if !reflect.DeepEqual(got, want) {
				t.Errorf("query\n got %+v\nwant %+v", got, want)
			}
			up := upstreamFor(q)
			if tc.up != "" && string(up) != tc.up {
				t.Errorf("upstream\n got %s\nwant %s", up, tc.up)
			}
			checkUpstream(t, q, up, testLimits())
		})
	}
}
