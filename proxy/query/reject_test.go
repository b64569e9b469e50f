package query

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// Operations used to write rejected bodies.
const (
	opL = `{"_name":"listCase"}`
	opG = `{"_name":"getCase","idOrName":"~41001"}`
	opC = `{"_name":"comments"}`
)

// wrap wraps operations into a query body.
func wrap(ops ...string) string { return `{"query":[` + strings.Join(ops, ",") + `]}` }

// filt is a filter operation holding the members given.
func filt(members string) string { return `{"_name":"filter",` + members + `}` }

// getCase is getCase with a raw idOrName value.
func getCase(raw string) string { return wrap(`{"_name":"getCase","idOrName":`+raw+`}`, opC) }

type rejectCase struct {
	name  string
	query string
	body  string
}

var rejectCases = []rejectCase{
	// Other initial operations (bypass vector 1).
	{name: "initial: listComment", body: wrap(`{"_name":"listComment"}`)},
	{name: "initial: listObservable", body: wrap(`{"_name":"listObservable"}`)},
	{name: "initial: listAlert", body: wrap(`{"_name":"listAlert"}`)},
	{name: "initial: listAudit", body: wrap(`{"_name":"listAudit"}`)},
	{name: "initial: getComment", body: wrap(`{"_name":"getComment","idOrName":"~111"}`)},
	{name: "initial: listLog", body: wrap(`{"_name":"listLog"}`)},
	{name: "initial: listTask", body: wrap(`{"_name":"listTask"}`)},
	{name: "initial: listShare", body: wrap(`{"_name":"listShare"}`)},
	{name: "initial: getObservable", body: wrap(`{"_name":"getObservable","idOrName":"~131"}`)},
	{name: "initial: countCase", body: wrap(`{"_name":"countCase"}`)},
	{name: "initial: listcase lower case", body: wrap(`{"_name":"listcase"}`)},
	{name: "initial: filter first", body: wrap(`{"_name":"filter"}`, opL)},
	// Chained operations outside the grammar.
	{name: "chain: tasks", body: wrap(opG, `{"_name":"tasks"}`)},
	{name: "chain: tasks then logs", body: wrap(opG, `{"_name":"tasks"}`, `{"_name":"logs"}`)},
	{name: "chain: allComments", body: wrap(opG, `{"_name":"allComments"}`)},
	{name: "chain: shares", body: wrap(opG, `{"_name":"shares"}`)},
	{name: "chain: audits", body: wrap(opG, `{"_name":"audits"}`)},
	{name: "chain: auditsFromContext", body: wrap(opG, `{"_name":"auditsFromContext"}`)},
	{name: "chain: alerts", body: wrap(opG, `{"_name":"alerts"}`)},
	{name: "chain: similarCasesLight", body: wrap(opG, `{"_name":"similarCasesLight"}`)},
	{name: "chain: organisations", body: wrap(opG, `{"_name":"organisations"}`)},
	{name: "chain: pages", body: wrap(opG, `{"_name":"pages"}`)},
	{name: "chain: comments after listCase", body: wrap(opL, opC)},
	{name: "chain: attachments after comments", body: wrap(opG, opC, `{"_name":"attachments"}`)},
	{name: "chain: getCase then filter", body: wrap(opG, filt(`"title":"x"`))},
	{name: "chain: getCase then page", body: wrap(opG, `{"_name":"page","from":0,"to":1}`)},
	// Order and repetition.
	{name: "order: sort before filter", body: wrap(opL, `{"_name":"sort","_fields":[{"title":"asc"}]}`, filt(`"title":"x"`))},
	{name: "order: page before sort", body: wrap(opL, `{"_name":"page","from":0,"to":1}`, `{"_name":"sort","_fields":[{"title":"asc"}]}`)},
	{name: "order: page then count", body: wrap(opL, `{"_name":"page","from":0,"to":1}`, `{"_name":"count"}`)},
	{name: "repeat: two filters", body: wrap(opL, filt(`"title":"x"`), filt(`"title":"y"`))},
	{name: "repeat: two listCase", body: wrap(opL, opL)},
	{name: "repeat: two getCase", body: wrap(opG, opG)},
	{name: "repeat: two counts", body: wrap(opL, `{"_name":"count"}`, `{"_name":"count"}`)},
	{name: "aggregation", body: wrap(opL, `{"_name":"aggregation","_agg":"field","_field":"status"}`)},
	{name: "limitedCount", body: wrap(opL, `{"_name":"limitedCount"}`)},
	{name: "too many operations", body: wrap(opG, opC, filt(`"message":"a"`), `{"_name":"sort","_fields":[{"message":"asc"}]}`, `{"_name":"count"}`, `{"_name":"count"}`, `{"_name":"count"}`)},
	// Extra parameters.
	{name: "param: listCase with idOrName", body: wrap(`{"_name":"listCase","idOrName":"~1"}`)},
	{name: "param: comments with caseId", body: wrap(opG, `{"_name":"comments","caseId":"~200"}`)},
	{name: "param: getCase with extra key", body: wrap(`{"_name":"getCase","idOrName":"~41001","extraData":["links"]}`)},
	{name: "param: count with param", body: wrap(opL, `{"_name":"count","limit":1}`)},
	{name: "param: sort with extra key", body: wrap(opL, `{"_name":"sort","_fields":[{"title":"asc"}],"x":1}`)},
	{name: "param: page with extra key", body: wrap(opL, `{"_name":"page","from":0,"to":1,"CANARY":1}`)},
	{name: "param: filter with two operators", body: wrap(opL, filt(`"_eq":{"_field":"title","_value":"a"},"_ne":{"_field":"title","_value":"b"}`))},
	// Duplicate keys.
	{name: "dup: top-level query", body: `{"query":[` + opL + `],"query":[` + opG + `]}`},
	{name: "dup: _name in op", body: wrap(`{"_name":"getCase","_name":"listCase"}`)},
	{name: "dup: idOrName", body: wrap(`{"_name":"getCase","idOrName":"~41001","idOrName":"~200"}`, opC)},
	{name: "dup: inside filter", body: wrap(opL, filt(`"_eq":{"_field":"title","_field":"tags","_value":"x"}`))},
	{name: "dup: filter operator", body: wrap(opL, filt(`"_and":[{"title":"a"}],"_and":[{"tags":"b"}]`))},
	{name: "dup: via \\u escape of _name", body: wrap(`{"_name":"listCase","\u005fname":"listAlert"}`)},
	{name: "dup: via \\u escape in filter", body: wrap(opL, filt(`"_eq":{"_field":"title","\u005ffield":"tags","_value":"x"}`))},
	{name: "dup: in excludeFields object", body: `{"query":[` + opL + `],"excludeFields":[],"excl\u0075deFields":[]}`},
	{name: "dup: deep inside sort", body: wrap(opL, `{"_name":"sort","_fields":[{"title":"asc","title":"desc"}]}`)},
	// Case variants.
	{name: "case: _NAME", body: wrap(`{"_NAME":"listCase"}`)},
	{name: "case: _name plus _NAME", body: wrap(`{"_name":"listCase","_NAME":"listAlert"}`)},
	{name: "case: Query", body: `{"Query":[` + opL + `]}`},
	{name: "case: _Field", body: wrap(opL, filt(`"_eq":{"_Field":"title","_value":"x"}`))},
	{name: "case: _EQ", body: wrap(opL, filt(`"_EQ":{"_field":"title","_value":"x"}`))},
	{name: "case: sort ASC", body: wrap(opL, `{"_name":"sort","_fields":[{"title":"ASC"}]}`)},
	// Hidden fields (bypass vector 2: oracles).
	{name: "hidden: tags", body: wrap(opL, filt(`"_eq":{"_field":"tags","_value":"portal:user=bob@example.org"}`))},
	{name: "hidden: access._kind", body: wrap(opL, filt(`"_eq":{"_field":"access._kind","_value":"OrganisationAccessKind"}`))},
	{name: "hidden: external on comments", body: wrap(opG, opC, filt(`"_eq":{"_field":"external","_value":false}`))},
	{name: "hidden: customFields.x", body: wrap(opL, filt(`"_like":{"_field":"customFields.secret","_value":"*"}`))},
	{name: "hidden: _createdBy", body: wrap(opL, filt(`"_startsWith":{"_field":"_createdBy","_value":"a"}`))},
	{name: "hidden: assignee via _has", body: wrap(opL, filt(`"_has":"assignee"`))},
	{name: "hidden: legacy field form", body: wrap(opL, filt(`"tags":"portal:user=bob@example.org"`))},
	{name: "hidden: legacy _gt form", body: wrap(opL, filt(`"_gt":{"tlp":1}`))},
	{name: "hidden: legacy _field/_value", body: wrap(opL, filt(`"_field":"summary","_value":"x"`))},
	{name: "hidden: inside _in", body: wrap(opL, filt(`"_in":{"_field":"tags","_values":["a"]}`))},
	{name: "hidden: inside _between", body: wrap(opL, filt(`"_between":{"_field":"tlp","_from":0,"_to":5}`))},
	{name: "hidden: nested in _or/_not", body: wrap(opL, filt(`"_or":[{"title":"a"},{"_not":{"assignee":"bob"}}]`))},
	{name: "hidden: case field on comments", body: wrap(opG, opC, filt(`"title":"x"`))},
	{name: "hidden: sort on tags", body: wrap(opL, `{"_name":"sort","_fields":[{"tags":"asc"}]}`)},
	{name: "hidden: sort on assignee", body: wrap(opL, `{"_name":"sort","_fields":[{"title":"asc"},{"assignee":"desc"}]}`)},
	{name: "hidden: sort on comment createdBy", body: wrap(opG, opC, `{"_name":"sort","_fields":[{"createdBy":"asc"}]}`)},
	{name: "hidden: field name \\u escaped", body: wrap(opL, filt(`"_eq":{"_field":"t\u0061gs","_value":"x"}`))},
	// Filter grammar.
	{name: "filter: _any", body: wrap(opL, filt(`"_any":null`))},
	{name: "filter: _contains hidden field", body: wrap(opL, filt(`"_contains":"tags"`))},
	{name: "filter: _wildcard", body: wrap(opL, filt(`"_wildcard":{"_field":"title","_value":"*"}`))},
	{name: "filter: empty _and", body: wrap(opL, filt(`"_and":[]`))},
	{name: "filter: empty _or", body: wrap(opL, filt(`"_or":[]`))},
	{name: "filter: 21 terms in _and", body: wrap(opL, filt(`"_and":[`+strings.Repeat(`{"title":"a"},`, 20)+`{"title":"a"}]`))},
	{name: "filter: nested empty object", body: wrap(opL, filt(`"_and":[{}]`))},
	{name: "filter: _not of array", body: wrap(opL, filt(`"_not":[{"title":"a"}]`))},
	{name: "filter: null value", body: wrap(opL, filt(`"_eq":{"_field":"title","_value":null}`))},
	{name: "filter: object value (relative date)", body: wrap(opL, filt(`"_gt":{"_field":"_createdAt","_value":{"amount":1,"unit":"days"}}`))},
	{name: "filter: array value", body: wrap(opL, filt(`"_eq":{"_field":"title","_value":["a"]}`))},
	{name: "filter: number for _like", body: wrap(opL, filt(`"_like":{"_field":"title","_value":1}`))},
	{name: "filter: string over 1 KiB", body: wrap(opL, filt(`"title":"`+strings.Repeat("x", 1025)+`"`))},
	{name: "filter: number overflows", body: wrap(opL, filt(`"severity":1e400`))},
	{name: "filter: _field not a string", body: wrap(opL, filt(`"_eq":{"_field":1,"_value":"x"}`))},
	{name: "filter: _field without _value", body: wrap(opL, filt(`"_field":"title"`))},
	{name: "filter: _in without values", body: wrap(opL, filt(`"_in":{"_field":"status","_values":[]}`))},
	{name: "filter: _in with 101 values", body: wrap(opL, filt(`"_in":{"_field":"status","_values":[`+strings.Repeat(`"a",`, 100)+`"a"]}`))},
	{name: "filter: _in with _value", body: wrap(opL, filt(`"_in":{"_field":"status","_value":"a"}`))},
	{name: "filter: _between missing _to", body: wrap(opL, filt(`"_between":{"_field":"severity","_from":1}`))},
	{name: "filter: too many terms", body: wrap(opL, filt(`"_or":[`+strings.Repeat(`{"_and":[{"title":"a"},{"title":"b"}]},`, 17)+`{"title":"c"}]`))},
	{name: "filter: not an object op", body: wrap(opL, filt(`"_eq":"title"`))},
	// Depth and size.
	{name: "depth: deep _not chain", body: wrap(opL, filt(strings.Repeat(`"_not":{`, 40)+`"title":"a"`+strings.Repeat(`}`, 40)))},
	{name: "depth: 100000 brackets", body: `{"query":[` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `]}`},
	{name: "size: body over limit", body: `{"query":[` + opL + `],"excludeFields":["` + strings.Repeat("x", 1<<20) + `"]}`},
	// Sort and page.
	{name: "sort: no fields", body: wrap(opL, `{"_name":"sort","_fields":[]}`)},
	{name: "sort: six fields", body: wrap(opL, `{"_name":"sort","_fields":[{"title":"asc"},{"status":"asc"},{"stage":"asc"},{"number":"asc"},{"_id":"asc"},{"severity":"asc"}]}`)},
	{name: "sort: two keys in one object", body: wrap(opL, `{"_name":"sort","_fields":[{"title":"asc","status":"desc"}]}`)},
	{name: "sort: repeated field", body: wrap(opL, `{"_name":"sort","_fields":[{"title":"asc"},{"title":"desc"}]}`)},
	{name: "sort: legacy string form", body: wrap(opL, `{"_name":"sort","_fields":["-title"]}`)},
	{name: "sort: fields key", body: wrap(opL, `{"_name":"sort","fields":[{"title":"asc"}]}`)},
	{name: "page: huge", body: wrap(opL, `{"_name":"page","from":0,"to":10000}`)},
	{name: "page: negative from", body: wrap(opL, `{"_name":"page","from":-1,"to":10}`)},
	{name: "page: from after to", body: wrap(opL, `{"_name":"page","from":10,"to":5}`)},
	{name: "page: decimal", body: wrap(opL, `{"_name":"page","from":0,"to":1.0}`)},
	{name: "page: exponent", body: wrap(opL, `{"_name":"page","from":0,"to":1e1}`)},
	{name: "page: string numbers", body: wrap(opL, `{"_name":"page","from":"0","to":"10"}`)},
	{name: "page: missing to", body: wrap(opL, `{"_name":"page","from":0}`)},
	{name: "page: extraData links", body: wrap(opL, `{"_name":"page","from":0,"to":10,"extraData":["links"]}`)},
	{name: "page: extraData total and permissions", body: wrap(opL, `{"_name":"page","from":0,"to":10,"extraData":["total","permissions"]}`)},
	{name: "page: extraData total twice", body: wrap(opL, `{"_name":"page","from":0,"to":10,"extraData":["total","total"]}`)},
	{name: "page: extraData string", body: wrap(opL, `{"_name":"page","from":0,"to":10,"extraData":"total"}`)},
	// idOrName forms (bypass vector 5).
	{name: "id: #42", body: getCase(`"#42"`)},
	{name: "id: %7E41001", body: getCase(`"%7E41001"`)},
	{name: "id: space", body: getCase(`" 42"`)},
	{name: "id: trailing space", body: getCase(`"~41001 "`)},
	{name: "id: plus sign", body: getCase(`"+42"`)},
	{name: "id: negative int", body: getCase(`-42`)},
	{name: "id: decimal", body: getCase(`42.0`)},
	{name: "id: exponent", body: getCase(`4e1`)},
	{name: "id: leading zero", body: getCase(`"042"`)},
	{name: "id: ~ leading zero", body: getCase(`"~041001"`)},
	{name: "id: zero", body: getCase(`0`)},
	{name: "id: ten digits", body: getCase(`"1234567890"`)},
	{name: "id: int too large", body: getCase(`1000000000`)},
	{name: "id: ~ overflows int64", body: getCase(`"~9223372036854775808"`)},
	{name: "id: ~ alone", body: getCase(`"~"`)},
	{name: "id: alert name", body: getCase(`"type;source;ref"`)},
	{name: "id: path smuggling", body: getCase(`"~41001/../~200"`)},
	{name: "id: null", body: getCase(`null`)},
	{name: "id: missing", body: wrap(`{"_name":"getCase"}`, opC)},
	{name: "id: array", body: getCase(`["~41001"]`)},
	// Top level and JSON.
	{name: "top: unknown key", body: `{"query":[` + opL + `],"CANARY-key":1}`},
	{name: "top: params key", body: `{"query":[` + opL + `],"name":"cases"}`},
	{name: "top: no query", body: `{"excludeFields":[]}`},
	{name: "top: empty query", body: `{"query":[]}`},
	{name: "top: query object", body: `{"query":` + opL + `}`},
	{name: "top: array body", body: `[` + opL + `]`},
	{name: "top: excludeFields with number", body: `{"query":[` + opL + `],"excludeFields":[1]}`},
	{name: "op: not an object", body: wrap(`"listCase"`)},
	{name: "op: array", body: wrap(`["listCase"]`)},
	{name: "op: _name not a string", body: wrap(`{"_name":1}`)},
	{name: "json: invalid", body: `{"query":[{"_name":"listCase"}]`},
	{name: "json: trailing garbage", body: wrap(opL) + `{"query":[` + opG + `]}`},
	{name: "json: trailing comma", body: `{"query":[{"_name":"listCase"},]}`},
	{name: "json: NaN", body: wrap(opL, filt(`"severity":NaN`))},
	{name: "json: invalid UTF-8", body: wrap(opL, filt("\"title\":\"\xff\""))},
	{name: "json: empty body", body: ``},
	// Query string (bypass vector 6).
	{name: "qs: external=true", query: "external=true", body: wrap(opL)},
	{name: "qs: name twice", query: "name=a&name=b", body: wrap(opL)},
	{name: "qs: name and caseId", query: "name=cases&caseId=~200", body: wrap(opL)},
	{name: "qs: semicolon", query: "name=cases;x=1", body: wrap(opL)},
	{name: "qs: name without value", query: "name", body: wrap(opL)},
	{name: "qs: encoded key", query: "n%61me=cases", body: wrap(opL)},
	{name: "qs: Name", query: "Name=cases", body: wrap(opL)},
	{name: "qs: control character", query: "name=a%0Ab", body: wrap(opL)},
	{name: "qs: bad escape", query: "name=%zz", body: wrap(opL)},
	{name: "qs: name too long", query: "name=" + strings.Repeat("a", 201), body: wrap(opL)},
	{name: "qs: trailing ampersand", query: "name=cases&", body: wrap(opL)},
	{name: "qs: query key", query: "query=x", body: wrap(opL)},
}

func TestParseRejects(t *testing.T) {
	t.Parallel()
	for _, tc := range rejectCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			q, err := Parse([]byte(tc.body), tc.query, testLimits())
			if err == nil {
				t.Fatalf("accepted: %+v filter %s", *q, q.Filter)
			}
			var e *Error
			if !errors.As(err, &e) || e.Status != 400 || e.Type != "BadRequest" {
				t.Fatalf("error %#v, want *Error 400 BadRequest", err)
			}
			if len(e.Message) > 120 || strings.Contains(e.Message, "CANARY") || strings.Contains(e.Message, "tags") {
				t.Errorf("message echoes input or is long: %q", e.Message)
			}
		})
	}
}

func TestErrorShape(t *testing.T) {
	_, err := Parse([]byte(`{"query":[{"_name":"listAlert"}]}`), "", testLimits())
	out, _ := json.Marshal(err)
	if want := `{"type":"BadRequest","message":"query[0]: operation not allowed here"}`; string(out) != want {
		t.Errorf("got %s, want %s", out, want)
	}
	if err.Error() != "BadRequest: query[0]: operation not allowed here" {
		t.Errorf("Error() = %q", err.Error())
	}
}
