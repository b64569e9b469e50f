package thehivetest

import (
	"encoding/json"
	"testing"
)

func TestWithoutFields(t *testing.T) {
	v := map[string]any{
		"a": `x",}{][\`, "b": map[string]any{"c": []any{"}", 1.5, nil, map[string]any{"d": "]"}}},
		"e": true, "f": []any{}, "g": -2e10, "h": "",
	}
	for _, tc := range []struct {
		exclude []string
		want    string
	}{
		{[]string{"b"}, `{"a":"x\",}{][\\","e":true,"f":[],"g":-20000000000,"h":""}`},
		{[]string{"a", "h"}, `{"b":{"c":["}",1.5,null,{"d":"]"}]},"e":true,"f":[],"g":-20000000000}`},
		{[]string{"a", "b", "e", "f", "g", "h"}, `{}`},
		{[]string{"zz"}, `{"a":"x\",}{][\\","b":{"c":["}",1.5,null,{"d":"]"}]},"e":true,"f":[],"g":-20000000000,"h":""}`},
	} {
		raw, _ := json.Marshal([]any{v, map[string]any{}, v})
		got := string(withoutFields(raw, tc.exclude))
		if want := "[" + tc.want + ",{}," + tc.want + "]"; got != want {
			t.Errorf("without %v:\n got %s\nwant %s", tc.exclude, got, want)
		}
		if !json.Valid([]byte(got)) {
			t.Errorf("invalid JSON: %s", got)
		}
	}
	if got := string(withoutFields([]byte("[]"), []string{"a"})); got != "[]" {
		t.Errorf("empty list: %s", got)
	}
}
