package thehivetest

import (
	"encoding/json"
	"testing"
)

func TestAppendWithout(t *testing.T) {
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
		got := string(appendWithout([]byte("["), v, tc.exclude))
		if got != "["+tc.want {
			t.Errorf("without %v:\n got %s\nwant [%s", tc.exclude, got, tc.want)
		}
		if !json.Valid([]byte(got[1:])) {
			t.Errorf("invalid JSON: %s", got)
		}
	}
	if got := string(appendWithout(nil, 3, []string{"a"})); got != "null" {
		t.Errorf("non-object: %s", got)
	}
}
