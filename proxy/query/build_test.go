package query

import (
	"encoding/json"
	"testing"

	"github.com/thehive-portal/thehive-portal/config"
)

func TestParseCaseID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw  string
		want CaseRef
		ok   bool
	}{
		{"~41001", CaseRef{ID: "~41001"}, true},
		{"~0", CaseRef{ID: "~0"}, true},
		{"~9223372036854775807", CaseRef{ID: "~9223372036854775807"}, true},
		{"42", CaseRef{Number: 42}, true},
		{"999999999", CaseRef{Number: 999999999}, true},
		{"", CaseRef{}, false},
		{"~", CaseRef{}, false},
		{"~9223372036854775808", CaseRef{}, false},
		{"~12345678901234567890", CaseRef{}, false},
		{"~007", CaseRef{}, false},
		{"%7E41001", CaseRef{}, false},
		{"%257E41001", CaseRef{}, false},
		{"~41001%2F..%2F~200", CaseRef{}, false},
		{"~41001/../~200", CaseRef{}, false},
		{"~41001;x=1", CaseRef{}, false},
		{"~41001\x00", CaseRef{}, false},
		{"~41001.", CaseRef{}, false},
		{"~-1", CaseRef{}, false},
		{"~+1", CaseRef{}, false},
		{"#42", CaseRef{}, false},
		{"0", CaseRef{}, false},
		{"042", CaseRef{}, false},
		{"1234567890", CaseRef{}, false},
		{"+42", CaseRef{}, false},
		{"-42", CaseRef{}, false},
		{" 42", CaseRef{}, false},
		{"42 ", CaseRef{}, false},
		{"4.2", CaseRef{}, false},
		{"٤٢", CaseRef{}, false}, // Arabic-Indic digits
	}
	for _, tc := range tests {
		got, err := ParseCaseID(tc.raw)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseCaseID(%q) = %+v, %v; want %+v ok=%v", tc.raw, got, err, tc.want, tc.ok)
		}
		if tc.ok && got.String() != tc.raw {
			t.Errorf("String() = %q, want %q", got.String(), tc.raw)
		}
	}
}

func TestBuilders(t *testing.T) {
	t.Parallel()
	q := &Query{Root: RootListCase, Filter: json.RawMessage(`{"_eq":{"_field":"title","_value":"x"}}`),
		Sort: []SortField{{"title", false}}, Page: &Page{From: 5, To: 10, Total: true}, Count: true}
	tests := []struct {
		name string
		got  []byte
		want string
	}{
		{"list: no restrict", ListCases(nil, q, 50),
			`{"query":[{"_name":"listCase"},{"_name":"filter","_and":[{"_eq":{"_field":"title","_value":"x"}}]},` +
				`{"_name":"sort","_fields":[{"title":"asc"}]},{"_name":"page","from":0,"to":50}]}`},
		{"list: restrict only", ListCases(json.RawMessage(`{"_or":[]}`), &Query{Root: RootListCase}, 10),
			`{"query":[{"_name":"listCase"},{"_name":"filter","_and":[{"_or":[]}]},{"_name":"page","from":0,"to":10}]}`},
		{"list: nothing", ListCases(nil, &Query{Root: RootListCase}, 10),
			`{"query":[{"_name":"listCase"},{"_name":"page","from":0,"to":10}]}`},
		{"list: invalid restrict fails closed", ListCases(json.RawMessage(`{"_or":[`), nil, 10),
			`{"query":[{"_name":"listCase"},{"_name":"filter","_and":[{"_or":[]}]},{"_name":"page","from":0,"to":10}]}`},
		{"list: array restrict fails closed", ListCases(json.RawMessage(`[]`), nil, 10),
			`{"query":[{"_name":"listCase"},{"_name":"filter","_and":[{"_or":[]}]},{"_name":"page","from":0,"to":10}]}`},
		{"list: restrict re-encoded compactly", ListCases(json.RawMessage(" {\"_or\" : [ ]} "), nil, -3),
			`{"query":[{"_name":"listCase"},{"_name":"filter","_and":[{"_or":[]}]},{"_name":"page","from":0,"to":0}]}`},
		{"children: desc sort", CaseChildren("~7", config.KindObservable, &Query{Sort: []SortField{{"data", true}}}, 3),
			`{"query":[{"_name":"getCase","idOrName":"~7"},{"_name":"observables"},{"_name":"sort","_fields":[{"data":"desc"}]},{"_name":"page","from":0,"to":3}]}`},
		{"children: number is refused", CaseChildren("42", config.KindComment, q, 3), ``},
		{"children: bad id is refused", CaseChildren("~7/../~8", config.KindComment, q, 3), ``},
		{"children: case kind is refused", CaseChildren("~7", config.KindCase, q, 3), ``},
		{"children: unknown kind is refused", CaseChildren("~7", "task", q, 3), ``},
		{"get: id", GetCase(CaseRef{ID: "~7"}), `{"query":[{"_name":"getCase","idOrName":"~7"}]}`},
		{"get: number", GetCase(CaseRef{Number: 12}), `{"query":[{"_name":"getCase","idOrName":"12"}]}`},
		{"get: zero ref", GetCase(CaseRef{}), ``},
		{"get: both set", GetCase(CaseRef{ID: "~7", Number: 7}), ``},
		{"get: bad id", GetCase(CaseRef{ID: "~7;x"}), ``},
		{"get: negative number", GetCase(CaseRef{Number: -1}), ``},
	}
	for _, tc := range tests {
		if string(tc.got) != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, tc.got, tc.want)
		}
	}
}

func TestLimits(t *testing.T) {
	t.Parallel()
	filterTitle := []byte(`{"query":[{"_name":"listCase"},{"_name":"filter","title":"x"}]}`)
	if _, err := Parse(filterTitle, "", Limits{}); err == nil {
		t.Error("no allow-list: a filter field was accepted")
	}
	tags := Limits{Fields: map[config.Kind][]string{config.KindCase: {"tags"}}}
	if _, err := Parse([]byte(`{"query":[{"_name":"listCase"},{"_name":"filter","tags":"x"}]}`), "", tags); err != nil {
		t.Errorf("listed field refused: %v", err)
	}
	small := Limits{MaxBodyBytes: 40, Fields: DefaultFields()}
	if _, err := Parse(filterTitle, "", small); err == nil {
		t.Error("MaxBodyBytes not applied")
	}
	shallow := Limits{MaxDepth: 3, Fields: DefaultFields()}
	if _, err := Parse([]byte(`{"query":[{"_name":"listCase"},{"_name":"filter","_not":{"title":"x"}}]}`), "", shallow); err == nil {
		t.Error("MaxDepth not applied")
	}
	terms := Limits{MaxFilterTerms: 2, Fields: DefaultFields()}
	if _, err := Parse([]byte(`{"query":[{"_name":"listCase"},{"_name":"filter","_and":[{"title":"x"},{"title":"y"}]}]}`), "", terms); err == nil {
		t.Error("MaxFilterTerms not applied")
	}
	pages := Limits{MaxPageSize: 5, Fields: DefaultFields()}
	if _, err := Parse([]byte(`{"query":[{"_name":"listCase"},{"_name":"page","from":0,"to":6}]}`), "", pages); err == nil {
		t.Error("MaxPageSize not applied")
	}
	got := FromConfig(config.Limits{MaxBodyBytes: 2048, MaxJSONDepth: 8, MaxPageSize: 20}, nil)
	if got.MaxBodyBytes != 2048 || got.MaxDepth != 8 || got.MaxPageSize != 20 || len(got.Fields[config.KindComment]) != 5 {
		t.Errorf("FromConfig = %+v", got)
	}
}

func TestKind(t *testing.T) {
	t.Parallel()
	if k := (&Query{Root: RootListCase}).Kind(); k != config.KindCase {
		t.Errorf("list kind %q", k)
	}
	if k := (&Query{Root: RootGetCase, Child: config.KindAttachment}).Kind(); k != config.KindAttachment {
		t.Errorf("child kind %q", k)
	}
}
